/**
 * Verbs and action data of the setup cards: exact-match constants shared by the card renderers
 * and the dialogs that handle them. Card data identifies (whose draft, which revision, which
 * step); it never carries authority — the server re-reads the draft on every click.
 */
import type { SetupStep } from '../setup/model/draft.js';
import type { EditableList } from '../setup/model/list-edits.js';

export const SETUP_VERBS = {
  next: 'setup.next',
  back: 'setup.back',
  skip: 'setup.skip',
  cancel: 'setup.cancel',
  add: 'setup.add',
  remove: 'setup.remove',
  move: 'setup.move',
  edit: 'setup.edit',
  submit: 'setup.submit',
  resume: 'setup.resume',
  startOver: 'setup.startOver',
  discard: 'setup.discard',
  keep: 'setup.keep',
} as const;
export type SetupVerb = (typeof SETUP_VERBS)[keyof typeof SETUP_VERBS];

const ALL_SETUP_VERBS: ReadonlySet<string> = new Set(Object.values(SETUP_VERBS));
export function isSetupVerb(verb: string): verb is SetupVerb {
  return ALL_SETUP_VERBS.has(verb);
}

/** The lists an admin grows and shrinks on the cards (the domain's editable lists). */
export type SetupList = EditableList;

export type ReviewSection = 'environment' | 'keyVault' | 'connectedApps';

/** The card a draft is showing; 'confirmDiscard' and 'resumeOffer' are not steps of the request. */
export type SetupCardKind = SetupStep | 'confirmDiscard' | 'resumeOffer';

/** What every setup action carries besides the inputs. */
export interface SetupActionData {
  verb: SetupVerb;
  /** Owner (Entra object id) of the draft the card belongs to. */
  draft: string;
  /** Draft version the card was rendered from: an older one is a stale card. */
  rev: number;
  card: SetupCardKind;
  list?: SetupList;
  /** Row index for remove / move; for chainCertificates, the chain index. */
  index?: number;
  /** Member index inside a chain (chainCertificates). */
  member?: number;
  direction?: 'up' | 'down';
  section?: ReviewSection;
}

/** Identifies the draft and revision a card is rendered for. */
export interface CardIdentity {
  draft: string;
  rev: number;
}
