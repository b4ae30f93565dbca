import type { TurnContext } from 'botbuilder';
import type { Notice } from '../../cards/form-view.js';
import { renderRequestCard } from '../../cards/request-card.js';
import type { RequestSubmission } from '../../cards/request-actions.js';
import { presentCard } from '../../dialogs/card-presenter.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { sayText } from '../../cards/words/domain-message.js';
import type { DomainText } from '../../setup/model/messages.js';
import type { Failpoint, Logger, Versioned } from '../../setup/ports.js';
import type { SetupStep } from '../../setup/model/draft.js';
import type { DraftStore } from '../../setup/requests/drafts.js';
import type { SetupRequest } from '../../setup/model/request.js';
import type { Registry } from '../../setup/registry/registry.js';
import type { SetupRequests } from '../../setup/requests/setup-requests.js';
import type { BackgroundWork } from '../background.js';
import { viewerFor, type RequestCards } from '../request-cards.js';

export interface RequestActionDeps {
  requests: SetupRequests;
  drafts: DraftStore;
  cards: RequestCards;
  /** The recorded environments (Rebuild on the current version reads the current one). */
  registry: Registry;
  background: BackgroundWork;
  logger: Logger;
  /** Called once a request has become approved (execution starts from here). */
  onApproved?: (request: Versioned<SetupRequest>) => void;
  /** Entra object ids allowed to request a setup; empty = anyone (in an allowed tenant). */
  requesters: readonly string[];
  /** Opens the clicker's setup conversation at a card of their draft (wired by the activity handler). */
  openSetup?: (context: TurnContext, entry: { show: SetupStep; notice?: Notice }) => Promise<void>;
  /** Crash tests: named points where the process may be killed (bot/failpoints.ts). */
  failpoint?: Failpoint;
}

export interface RequestActionHandler {
  handle(context: TurnContext, submission: RequestSubmission, clicker: { objectId: string; name: string }, deps: RequestActionDeps): Promise<void>;
}

/** Answers the clicker with the card as they should now see it. */
export async function showCurrentCard(context: TurnContext, request: Versioned<SetupRequest>, viewerId: string, notice?: DomainText): Promise<void> {
  const words = wordsOf(context);
  const said = notice === undefined ? undefined : sayText(words, notice);
  await presentCard(context, renderRequestCard({ request: request.value, viewer: viewerFor(viewerId, request.value), notice: said, viewerId }, words));
}
