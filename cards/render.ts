import * as ACData from 'adaptivecards-templating';

/** A plain Adaptive Card object, ready to send as an attachment. */
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  body?: unknown[];
  actions?: unknown[];
  [extra: string]: unknown;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Parsed templates, one per template object: parsing a template's `${…}` expressions (an ANTLR
 * parser per binding) costs far more than expanding it, and a Template can be expanded with
 * different data again and again.
 */
const prepared = new WeakMap<object, ACData.Template>();

function templateFor(template: object): ACData.Template {
  let parsed = prepared.get(template);
  if (!parsed) {
    parsed = new ACData.Template(template);
    prepared.set(template, parsed);
  }
  return parsed;
}

/** Expands a designer-editable JSON template with `${binding}` data. */
export function expandTemplate(template: object, data: object): AdaptiveCardJson {
  const expanded: unknown = templateFor(template).expand({ $root: data });
  if (typeof expanded !== 'object' || expanded === null || (expanded as { type?: unknown }).type !== 'AdaptiveCard') {
    throw new Error('card template did not expand to an AdaptiveCard');
  }
  return expanded as AdaptiveCardJson;
}

/** The attachment shape botbuilder sends. */
export function cardAttachment(card: AdaptiveCardJson): { contentType: string; content: AdaptiveCardJson } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
