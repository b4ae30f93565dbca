import { createRequire } from 'node:module';
import type { Activity } from 'botbuilder';
import { STEP_LINE_ID_PREFIX } from '../../cards/request-card.js';
import { CATALOG_FILES } from '../../i18n/catalog-files.js';
import { accentText, PSEUDO_CLOSE, PSEUDO_OPEN } from '../../i18n/pseudo.js';

interface ParseEvent {
  message: string;
  phase: number;
  event: number;
}
interface SerializationContextLike {
  eventCount: number;
  getEventAt(index: number): ParseEvent;
}
interface ValidationResultsLike {
  validationEvents: { message: string }[];
}
/** The parts of the official object model the checks read (elements, actions, texts). */
interface ParsedElement {
  id?: string;
  getJsonTypeName(): string;
  text?: string;
  facts?: { name?: string; value?: string }[];
  getItemCount?(): number;
  getItemAt?(index: number): ParsedElement;
  getInlineCount?(): number;
  getInlineAt?(index: number): ParsedElement;
  getActionCount?(): number;
  getActionAt?(index: number): { card?: ParsedElement };
}
interface ParsedCard extends ParsedElement {
  parse(json: unknown, context: SerializationContextLike): void;
  validateProperties(): ValidationResultsLike;
}
interface AdaptiveCardsModule {
  AdaptiveCard: new () => ParsedCard;
  SerializationContext: new () => SerializationContextLike;
}

const adaptiveCards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

/** The words a step line must carry (issue 14): its state never rests on an emoji alone. */
export const STEP_STATUS_WORDS = ['Done', 'Running', 'Failed', 'Skipped', 'Not run'] as const;

/** The same words in every language setupbot speaks (issue 20), as each catalog has them. */
const TRANSLATED_STEP_WORDS: readonly string[] = Object.values(CATALOG_FILES).flatMap((files) =>
  Object.entries(files.cards).flatMap(([key, word]) => (key.startsWith('request.step.') && typeof word === 'string' ? [word] : [])),
);
const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const STEP_LINE = new RegExp(
  `^(?:[^\\p{L}\\p{N}\\s]+\\s+)?(?:${[...STEP_STATUS_WORDS, ...TRANSLATED_STEP_WORDS, ...STEP_STATUS_WORDS.map(accentText)].map(escape).join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);

/** A pseudo-localized line (qps-ploc) without its brackets and padding, as the status-word check reads it. */
function withoutPseudoMarks(text: string): string {
  return text.split(PSEUDO_OPEN).join('').split(PSEUDO_CLOSE).join('').replace(/ ~+/g, '');
}

/** `<name>`, `<environment name>`, `<SAS token>`: the Teams markdown renderer drops them as HTML tags. */
const ANGLE_PLACEHOLDER = /<[^<>\s][^<>]*>/;

/** A text that shows an angle-bracket placeholder, as a problem line; undefined when clean. */
export function placeholderProblem(where: string, text: string): string | undefined {
  const match = ANGLE_PLACEHOLDER.exec(text);
  return match ? `placeholder: ${where} shows ${match[0]} (eaten by the Teams markdown renderer): "${text.slice(0, 120)}"` : undefined;
}

/** Every text a reader sees as markdown in a parsed card: TextBlocks, rich text runs, fact titles and values. */
function visibleTexts(element: ParsedElement, found: { where: string; id?: string; text: string }[] = []): { where: string; id?: string; text: string }[] {
  const type = element.getJsonTypeName();
  if (typeof element.text === 'string' && (type === 'TextBlock' || type === 'TextRun')) found.push({ where: type, id: element.id, text: element.text });
  for (const fact of element.facts ?? []) {
    found.push({ where: 'FactSet title', text: fact.name ?? '' }, { where: 'FactSet value', text: fact.value ?? '' });
  }
  for (let index = 0; index < (element.getItemCount?.() ?? 0); index += 1) visibleTexts(element.getItemAt?.(index) as ParsedElement, found);
  for (let index = 0; index < (element.getInlineCount?.() ?? 0); index += 1) visibleTexts(element.getInlineAt?.(index) as ParsedElement, found);
  for (let index = 0; index < (element.getActionCount?.() ?? 0); index += 1) {
    const card = element.getActionAt?.(index).card;
    if (card) visibleTexts(card, found);
  }
  return found;
}

/** The step lines of a parsed card (TextBlocks with a `step-N` id), in order. */
export function stepLinesOf(card: unknown): string[] {
  const parsed = new adaptiveCards.AdaptiveCard();
  parsed.parse(card, new adaptiveCards.SerializationContext());
  return visibleTexts(parsed).filter((text) => text.id?.startsWith(STEP_LINE_ID_PREFIX)).map((text) => text.text);
}

export const MAX_CARD_BYTES = 28 * 1024;

/**
 * Problems the official Adaptive Cards parser finds in a card, plus the Teams size limit, plus
 * what the Teams client showed wrong (issue 14): an angle-bracket placeholder in any TextBlock or
 * FactSet text, and a step line without its status word.
 */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const context = new adaptiveCards.SerializationContext();
  const parsed = new adaptiveCards.AdaptiveCard();
  parsed.parse(card, context);
  for (let index = 0; index < context.eventCount; index += 1) {
    problems.push(`parse: ${context.getEventAt(index).message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    problems.push(`validate: ${event.message}`);
  }
  for (const { where, id, text } of visibleTexts(parsed)) {
    const placeholder = placeholderProblem(where, text);
    if (placeholder) problems.push(placeholder);
    if (id?.startsWith(STEP_LINE_ID_PREFIX) && !STEP_LINE.test(withoutPseudoMarks(text))) {
      problems.push(`step line: "${text}" does not start with a status word (${STEP_STATUS_WORDS.join(', ')})`);
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > MAX_CARD_BYTES) problems.push(`size: ${bytes} bytes exceeds ${MAX_CARD_BYTES}`);
  return problems;
}

/** The Adaptive Card content of the first attachment of an activity. */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> {
  const attachment = activity?.attachments?.find((candidate) => candidate.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!attachment) throw new Error(`activity has no Adaptive Card: ${JSON.stringify(activity)?.slice(0, 300)}`);
  return attachment.content as Record<string, unknown>;
}

/** All visible text in a card (TextBlocks, facts, action titles), for assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'label', 'placeholder', 'errorMessage']) {
      if (typeof record[key] === 'string') parts.push(record[key] as string);
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  return parts.join('\n');
}
