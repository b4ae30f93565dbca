import type { TurnContext } from 'botbuilder';
import { ENGLISH_WORDS } from '../cards/words/commands.js';
import { wordsOf } from './turn-words.js';
import type { MessageKey } from '../i18n/message-keys.js';
import type { Words } from '../i18n/translations.js';
import type { Notice } from '../cards/form-view.js';
import { readSetupSubmission, } from '../cards/card-action.js';
import type { SetupActionData, SetupCardKind } from '../cards/setup-actions.js';
import type { CardInputs } from '../cards/form-view.js';
import type { AdaptiveCardJson } from '../cards/render.js';
import type { SetupDraft, SetupStep } from '../setup/model/draft.js';
import type { DraftStore } from '../setup/requests/drafts.js';
import type { Logger, Versioned } from '../setup/ports.js';
import type { SetupRequests } from '../setup/requests/setup-requests.js';
import type { SetupRequest } from '../setup/model/request.js';
import { presentCard, refuse } from './card-presenter.js';
import { requesterOf } from './requester.js';
import { turnLogger } from '../turn/turn-logger.js';

export interface SetupDialogDeps {
  drafts: DraftStore;
  requests: SetupRequests;
  logger: Logger;
  /** Told once a request was submitted, with the message that shows its card to the requester. */
  onSubmitted?: (request: Versioned<SetupRequest>, requesterCopy?: { conversationId: string; activityId: string; locale?: string }) => void;
}

/** What a setup dialog hands to the loop: the next card to show, or the end of the flow. */
export type StepOutcome =
  | { show: SetupCardKind; notice?: Notice; returnTo?: SetupStep }
  | { finished: 'submitted' | 'discarded' | 'abandoned' };

/** The same in English (tests and tools). */
export const STALE_NOTICE: Notice = { tone: 'warning', text: ENGLISH_WORDS.t('replies.notice.stale') };

/** The notice over the current card when a click came from an older one, in the reader's words. */
export function staleNotice(words: Words): Notice {
  return { tone: 'warning', text: words.t('replies.notice.stale') };
}

/** The refusals of a click on a setup card: catalog keys, said in the clicker's words. */
export const REFUSAL_KEYS = {
  unreadable: 'replies.refusal.unreadable',
  noIdentity: 'replies.refusal.noIdentity',
  notYours: 'replies.refusal.notYours',
  noDraft: 'replies.refusal.noDraft',
} as const satisfies Record<string, MessageKey>;

/** The same refusals in English (tests and tools). */
export const REFUSALS: Readonly<Record<keyof typeof REFUSAL_KEYS, string>> = {
  unreadable: ENGLISH_WORDS.t(REFUSAL_KEYS.unreadable),
  noIdentity: ENGLISH_WORDS.t(REFUSAL_KEYS.noIdentity),
  notYours: ENGLISH_WORDS.t(REFUSAL_KEYS.notYours),
  noDraft: ENGLISH_WORDS.t(REFUSAL_KEYS.noDraft),
};

export type Checked =
  | { ok: true; draft: Versioned<SetupDraft>; action: SetupActionData; inputs: CardInputs }
  | { ok: false; outcome: 'waiting' | 'ended' | 'stale'; draft?: Versioned<SetupDraft> };

/**
 * The checks every click on a setup card goes through, against stored state (card data only
 * identifies): a readable setup action, a known person, their own draft, the current revision
 * of the card they clicked.
 */
export async function checkClick(context: TurnContext, deps: SetupDialogDeps, expectedCard: SetupCardKind): Promise<Checked> {
  const submission = readSetupSubmission(context.activity.value);
  if (!submission) {
    await refuse(context, wordsOf(context).t(REFUSAL_KEYS.unreadable));
    return { ok: false, outcome: 'waiting' };
  }
  const requester = requesterOf(context);
  if (!requester) {
    await refuse(context, wordsOf(context).t(REFUSAL_KEYS.noIdentity));
    return { ok: false, outcome: 'waiting' };
  }
  if (submission.action.draft !== requester.objectId) {
    turnLogger(context, deps.logger).warn({ event: 'card_refused', reason: 'not_owner' }, 'click on another person\'s draft card refused');
    await refuse(context, wordsOf(context).t(REFUSAL_KEYS.notYours));
    return { ok: false, outcome: 'waiting' };
  }
  const draft = await deps.drafts.get(requester.objectId);
  if (!draft) {
    await refuse(context, wordsOf(context).t(REFUSAL_KEYS.noDraft));
    return { ok: false, outcome: 'ended' };
  }
  if (submission.action.rev !== draft.value.revision || submission.action.card !== expectedCard) {
    turnLogger(context, deps.logger).info({ event: 'card_stale', cardRev: submission.action.rev, draftRev: draft.value.revision }, 'stale setup card; showing the current one');
    return { ok: false, outcome: 'stale', draft };
  }
  return { ok: true, draft, action: submission.action, inputs: submission.inputs };
}

const LEFT_DRAFT = Symbol('setupbot.leftDraft');

/** A step's changes to the draft, left for the card shown next in the same turn to save. */
interface LeftDraft {
  draft: Versioned<SetupDraft>;
  changes: Partial<SetupDraft>;
}

/**
 * A step that moves on hands its changes to the card shown next in this turn, which saves them
 * together with its own (one compare-and-set write per click instead of two, and no read of the
 * draft just written). Nothing is saved if the turn ends without showing it (a failure): the
 * draft stays as it was before the click.
 */
export function leaveDraft(context: TurnContext, left: LeftDraft): void {
  context.turnState.set(LEFT_DRAFT, left);
}

/** The draft and changes a step left in this turn for its owner (once), else undefined. */
export function takeLeftDraft(context: TurnContext, ownerId: string): LeftDraft | undefined {
  const left = context.turnState.get(LEFT_DRAFT) as LeftDraft | undefined;
  context.turnState.delete(LEFT_DRAFT);
  return left && left.draft.id === ownerId.toLowerCase() ? left : undefined;
}

/**
 * Shows the next card of a draft: bumps its revision (so every older card goes stale), saves
 * the draft, presents the card, and remembers which message shows it.
 */
export async function showDraftCard(
  context: TurnContext,
  deps: SetupDialogDeps,
  draft: Versioned<SetupDraft>,
  changes: Partial<SetupDraft>,
  render: (draft: SetupDraft, identity: { draft: string; rev: number }) => AdaptiveCardJson,
): Promise<Versioned<SetupDraft>> {
  let saved = await deps.drafts.save(draft, (current) => ({ ...current, ...changes, revision: current.revision + 1 }));
  const card = render(saved.value, { draft: saved.value.ownerId, rev: saved.value.revision });
  const messageId = await presentCard(context, card);
  if (messageId && messageId !== saved.value.cardActivityId) {
    saved = await deps.drafts.save(saved, { cardActivityId: messageId, conversationId: context.activity.conversation.id });
  }
  return saved;
}
