import type { TurnContext } from 'botbuilder';
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
  onSubmitted?: (request: Versioned<SetupRequest>, requesterCopy?: { conversationId: string; activityId: string }) => void;
}

/** What a setup dialog hands to the loop: the next card to show, or the end of the flow. */
export type StepOutcome =
  | { show: SetupCardKind; notice?: Notice; returnTo?: SetupStep }
  | { finished: 'submitted' | 'discarded' | 'abandoned' };

export const STALE_NOTICE: Notice = { tone: 'warning', text: 'That card was out of date — here is the current one.' };

export const REFUSALS = {
  unreadable: "Sorry, I couldn't read that card action. Nothing was changed.",
  noIdentity: "I can't tell who you are (this message carries no Microsoft Entra identity), so I can't work on a setup draft for you.",
  notYours: "This card belongs to someone else's setup draft, so I left it alone. Type **setup** to start your own.",
  noDraft: 'This setup draft no longer exists (it was submitted or discarded). Type **setup** to start a new one.',
} as const;

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
    await refuse(context, REFUSALS.unreadable);
    return { ok: false, outcome: 'waiting' };
  }
  const requester = requesterOf(context);
  if (!requester) {
    await refuse(context, REFUSALS.noIdentity);
    return { ok: false, outcome: 'waiting' };
  }
  if (submission.action.draft !== requester.objectId) {
    turnLogger(context, deps.logger).warn({ event: 'card_refused', reason: 'not_owner' }, 'click on another person\'s draft card refused');
    await refuse(context, REFUSALS.notYours);
    return { ok: false, outcome: 'waiting' };
  }
  const draft = await deps.drafts.get(requester.objectId);
  if (!draft) {
    await refuse(context, REFUSALS.noDraft);
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
