import { createRequire } from 'node:module';
import type { Activity } from 'botbuilder';

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
interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context: SerializationContextLike): void;
    validateProperties(): ValidationResultsLike;
  };
  SerializationContext: new () => SerializationContextLike;
}

const adaptiveCards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

export const MAX_CARD_BYTES = 28 * 1024;

/** Problems the official Adaptive Cards parser finds in a card, plus the Teams size limit. */
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
