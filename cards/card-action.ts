/**
 * Setup card buttons (Action.Execute with an Action.Submit fallback) and reading a click back
 * from either shape. Card data identifies the draft and revision; it never carries authority.
 */
import { z } from 'zod';
import { clickOf, executeWithFallback, readClick } from './card-payload.js';
import { SETUP_STEPS } from '../setup/model/draft.js';
import {
  isSetupVerb,
  SETUP_VERBS,
  type CardIdentity,
  type ReviewSection,
  type SetupActionData,
  type SetupCardKind,
  type SetupList,
} from './setup-actions.js';
import type { CardInputs } from './form-view.js';
import type { Words } from '../i18n/translations.js';

export interface SetupActionOptions {
  style?: 'positive' | 'destructive';
  /** 'auto' (default) sends the card's input values; 'none' sends none and skips client validation. */
  inputs?: 'auto' | 'none';
}

/** An Action.Execute whose fallback is an Action.Submit carrying the same data (incl. verb). */
export function setupAction(title: string, data: SetupActionData, options: SetupActionOptions = {}): Record<string, unknown> {
  return executeWithFallback(title, { ...compact(data), verb: data.verb }, { style: options.style, ...(options.inputs === 'none' ? { associatedInputs: 'none' } : {}) });
}

function compact(data: SetupActionData): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

/** The buttons of one card, bound to its draft, revision and kind, titled in the reader's words. */
export function cardActions(identity: CardIdentity, card: SetupCardKind, words: Words) {
  const data = (verb: SetupActionData['verb'], extra: Partial<SetupActionData> = {}): SetupActionData => ({
    verb, draft: identity.draft, rev: identity.rev, card, ...extra,
  });
  const none = { inputs: 'none' } as const;
  return {
    next: () => setupAction(words.t('cards.button.next'), data(SETUP_VERBS.next), { style: 'positive' }),
    back: () => setupAction(words.t('cards.button.back'), data(SETUP_VERBS.back), none),
    skip: () => setupAction(words.t('cards.button.skip'), data(SETUP_VERBS.skip), none),
    cancel: () => setupAction(words.t('cards.button.cancel'), data(SETUP_VERBS.cancel), none),
    add: (title: string, list: SetupList, index?: number) => setupAction(title, data(SETUP_VERBS.add, { list, index })),
    remove: (title: string, list: SetupList, index: number, member?: number) =>
      setupAction(title, data(SETUP_VERBS.remove, { list, index, member })),
    move: (list: SetupList, index: number, member: number, direction: 'up' | 'down') =>
      setupAction(words.t(direction === 'up' ? 'cards.button.up' : 'cards.button.down'), data(SETUP_VERBS.move, { list, index, member, direction })),
    edit: (section: ReviewSection) => setupAction(words.t('cards.button.edit'), data(SETUP_VERBS.edit, { section }), none),
    submit: () => setupAction(words.t('cards.button.submitForApproval'), data(SETUP_VERBS.submit), { style: 'positive' }),
    plain: (title: string, verb: SetupActionData['verb'], options: SetupActionOptions = none) => setupAction(title, data(verb), options),
  };
}

const SETUP_LISTS = ['users', 'externalApplications', 'numberSequences', 'items', 'chains', 'chainCertificates', 'connectedApplications'] as const satisfies readonly SetupList[];
const REVIEW_SECTIONS = ['environment', 'keyVault', 'connectedApps'] as const satisfies readonly ReviewSection[];
const CARD_KINDS = [...SETUP_STEPS, 'confirmDiscard', 'resumeOffer'] as const satisfies readonly SetupCardKind[];
const count = z.number().int().min(0);

/** The fields a setup button posts besides the card's input values. */
const SETUP_CLICK = z.object({
  verb: z.custom<SetupActionData['verb']>((value) => typeof value === 'string' && isSetupVerb(value)),
  draft: z.string().min(1),
  rev: count,
  card: z.enum(CARD_KINDS),
  list: z.enum(SETUP_LISTS).optional(),
  index: count.optional(),
  member: count.optional(),
  direction: z.enum(['up', 'down']).optional(),
  section: z.enum(REVIEW_SECTIONS).optional(),
});
const ACTION_KEYS: ReadonlySet<string> = new Set(Object.keys(SETUP_CLICK.shape));

/**
 * Reads a setup click from an Action.Execute invoke value (`{ action: { verb, data } }`) or an
 * Action.Submit message value (the data itself, verb included). Undefined when it is not one.
 */
export function readSetupSubmission(payload: unknown): { action: SetupActionData; inputs: CardInputs } | undefined {
  const action = readClick(payload, SETUP_CLICK);
  const click = clickOf(payload);
  if (!action || !click) return undefined;
  const inputs = Object.fromEntries(Object.entries(click.data).filter(([key]) => !ACTION_KEYS.has(key)));
  return { action: compactAction(action), inputs };
}

/** The action without the optional fields the click did not post. */
function compactAction({ verb, draft, rev, card, list, index, member, direction, section }: z.infer<typeof SETUP_CLICK>): SetupActionData {
  const action: SetupActionData = { verb, draft, rev, card };
  if (list !== undefined) action.list = list;
  if (index !== undefined) action.index = index;
  if (member !== undefined) action.member = member;
  if (direction !== undefined) action.direction = direction;
  if (section !== undefined) action.section = section;
  return action;
}
