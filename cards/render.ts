import * as ACData from 'adaptivecards-templating';
import { isolateData } from '../i18n/bidi.js';
import type { Words } from '../i18n/translations.js';

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

/** The elements that lay out their content in a direction of their own (Adaptive Cards 1.5 `rtl`). */
const DIRECTED = new Set(['Container', 'Column']);

/** Text that is nothing but left-to-right data (a name, a URL), set left to right whole on a right-to-left card. */
function dataLeftToRight(text: unknown): unknown {
  return typeof text === 'string' ? isolateData(text) : text;
}

/**
 * Right to left on the card and on every container and column in it (Adaptive Cards 1.5): set on
 * each, so a host that reads it per container lays every part of the card out the same way. A
 * text block, text run or fact value that holds only left-to-right data ("contoso-kv
 * (https://…/)") is isolated left to right, so its brackets stay where they are written.
 */
function setRightToLeft(card: AdaptiveCardJson): void {
  card.rtl = true;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const node = value as Record<string, unknown>;
    if (typeof node.type === 'string' && DIRECTED.has(node.type)) node.rtl = true;
    if (node.type === 'TextBlock' || node.type === 'TextRun') node.text = dataLeftToRight(node.text);
    if (node.type === 'FactSet' && Array.isArray(node.facts)) {
      for (const fact of node.facts as unknown[]) {
        if (typeof fact === 'object' && fact !== null) (fact as Record<string, unknown>).value = dataLeftToRight((fact as Record<string, unknown>).value);
      }
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'data') visit(child);
  };
  visit(card.body);
  visit(card.actions);
}

/**
 * Expands a designer-editable JSON template with `${binding}` data, for a reader whose words are
 * `words`: a right-to-left language (Arabic) gets `rtl: true` on the card and its containers.
 */
export function expandTemplate(template: object, data: object, words: Pick<Words, 'rtl'>): AdaptiveCardJson {
  const expanded: unknown = templateFor(template).expand({ $root: data });
  if (typeof expanded !== 'object' || expanded === null || (expanded as { type?: unknown }).type !== 'AdaptiveCard') {
    throw new Error('card template did not expand to an AdaptiveCard');
  }
  const card = expanded as AdaptiveCardJson;
  if (words.rtl) setRightToLeft(card);
  return card;
}

/** The attachment shape botbuilder sends. */
export function cardAttachment(card: AdaptiveCardJson): { contentType: string; content: AdaptiveCardJson } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
