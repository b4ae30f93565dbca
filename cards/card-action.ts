/**
 * Setup card buttons (Action.Execute with an Action.Submit fallback) and reading a click back
 * from either shape. Card data identifies the draft and revision; it never carries authority.
 */
import { clickOf, executeWithFallback } from './card-payload.js';
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

/** The buttons of one card, bound to its draft, revision and kind. */
export function cardActions(identity: CardIdentity, card: SetupCardKind) {
  const data = (verb: SetupActionData['verb'], extra: Partial<SetupActionData> = {}): SetupActionData => ({
    verb, draft: identity.draft, rev: identity.rev, card, ...extra,
  });
  const none = { inputs: 'none' } as const;
  return {
    next: () => setupAction('Next', data(SETUP_VERBS.next), { style: 'positive' }),
    back: () => setupAction('Back', data(SETUP_VERBS.back), none),
    skip: () => setupAction('Skip', data(SETUP_VERBS.skip), none),
    cancel: () => setupAction('Cancel', data(SETUP_VERBS.cancel), none),
    add: (title: string, list: SetupList, index?: number) => setupAction(title, data(SETUP_VERBS.add, { list, index })),
    remove: (title: string, list: SetupList, index: number, member?: number) =>
      setupAction(title, data(SETUP_VERBS.remove, { list, index, member })),
    move: (list: SetupList, index: number, member: number, direction: 'up' | 'down') =>
      setupAction(direction === 'up' ? 'Up' : 'Down', data(SETUP_VERBS.move, { list, index, member, direction })),
    edit: (section: ReviewSection) => setupAction('Edit', data(SETUP_VERBS.edit, { section }), none),
    submit: () => setupAction('Submit for approval', data(SETUP_VERBS.submit), { style: 'positive' }),
    plain: (title: string, verb: SetupActionData['verb'], options: SetupActionOptions = none) => setupAction(title, data(verb), options),
  };
}

const SETUP_LISTS: Record<SetupList, true> = {
  users: true, externalApplications: true, numberSequences: true, items: true, chains: true, chainCertificates: true, connectedApplications: true,
};
const REVIEW_SECTIONS: Record<ReviewSection, true> = { environment: true, keyVault: true, connectedApps: true };
const CARD_KINDS: ReadonlySet<string> = new Set<SetupCardKind>([...SETUP_STEPS, 'confirmDiscard', 'resumeOffer']);
const ACTION_KEYS: ReadonlySet<string> = new Set(['verb', 'draft', 'rev', 'card', 'list', 'index', 'member', 'direction', 'section']);

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isKey = <K extends string>(table: Record<K, true>, value: unknown): value is K =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(table, value);

/**
 * Reads a setup click from an Action.Execute invoke value (`{ action: { verb, data } }`) or an
 * Action.Submit message value (the data itself, verb included). Undefined when it is not one.
 */
export function readSetupSubmission(payload: unknown): { action: SetupActionData; inputs: CardInputs } | undefined {
  const click = clickOf(payload);
  if (!click) return undefined;
  const { verb, data } = click;
  const { draft, rev, card, list, index, member, direction, section } = data;
  if (!isSetupVerb(verb)) return undefined;
  if (typeof draft !== 'string' || draft === '' || !isCount(rev)) return undefined;
  if (typeof card !== 'string' || !CARD_KINDS.has(card)) return undefined;
  if (list !== undefined && !isKey(SETUP_LISTS, list)) return undefined;
  if (section !== undefined && !isKey(REVIEW_SECTIONS, section)) return undefined;
  if ((index !== undefined && !isCount(index)) || (member !== undefined && !isCount(member))) return undefined;
  if (direction !== undefined && direction !== 'up' && direction !== 'down') return undefined;

  const action: SetupActionData = { verb, draft, rev, card: card as SetupCardKind };
  if (list !== undefined) action.list = list;
  if (index !== undefined) action.index = index;
  if (member !== undefined) action.member = member;
  if (direction !== undefined) action.direction = direction;
  if (section !== undefined) action.section = section;
  const inputs = Object.fromEntries(Object.entries(data).filter(([key]) => !ACTION_KEYS.has(key)));
  return { action, inputs };
}
