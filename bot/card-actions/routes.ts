/**
 * The route table of card clicks: each family of buttons with its reader (a schema at the edge,
 * in cards/) and its handler. A click no reader accepts gets the one polite refusal; nothing
 * changes. Within a family, each verb has its own handler table (request verbs in registry.ts,
 * environment verbs in environment.ts, setup verbs in the setup dialog).
 */
import { ENGLISH_WORDS } from '../../cards/words/commands.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import type { TurnContext } from 'botbuilder';
import { readSetupSubmission } from '../../cards/card-action.js';
import { ENVIRONMENT_VERBS, readEnvironmentAction } from '../../cards/environment-actions.js';
import { readHistoryAction } from '../../cards/history.js';
import { readRequestSubmission } from '../../cards/request-actions.js';
import { refuse } from '../../dialogs/card-presenter.js';
import { turnLogger } from '../../turn/turn-logger.js';
import type { BotDeps } from '../bot-deps.js';
import type { OpenSetup } from '../commands/command-turn.js';
import { showHistory } from '../commands/history-command.js';
import { handleEnvironmentAction } from './environment.js';
import { acceptedName } from '../name-argument.js';
import { handleRequestAction } from './registry.js';

/** The answer to a click no route takes, in English (tests); a turn says it in its reader's words. */
export const UNKNOWN_CARD_ACTION_TEXT = ENGLISH_WORDS.t('replies.refusal.unknownCardAction');

/** What a card click's handler is given. */
export interface CardTurn {
  context: TurnContext;
  deps: BotDeps;
  openSetup: OpenSetup;
  /** Hands a setup-card click to the clicker's setup dialog (the activity handler owns the dialogs). */
  continueSetup: (submission: NonNullable<ReturnType<typeof readSetupSubmission>>) => Promise<void>;
}

interface CardRoute {
  family: string;
  /** Handles the click when this family's reader accepts it; false when it is not this family's. */
  tryHandle(turn: CardTurn, payload: unknown): Promise<boolean>;
}

function route<T>(family: string, read: (payload: unknown) => T | undefined, handle: (turn: CardTurn, click: T) => Promise<void>): CardRoute {
  return {
    family,
    async tryHandle(turn, payload) {
      const click = read(payload);
      if (click === undefined) return false;
      await handle(turn, click);
      return true;
    },
  };
}

/** Every family of card clicks, tried in this order (their verbs do not overlap). */
export const CARD_ROUTES: readonly CardRoute[] = [
  route('request', readRequestSubmission, ({ context, deps, openSetup }, click) => handleRequestAction(context, click, { ...deps, openSetup })),
  route('history', readHistoryAction, async ({ context, deps }, click) => {
    const name = await acceptedName(context, deps.logger, 'history', click.environment);
    if (name !== undefined) await showHistory(deps, context, name, click.page);
  }),
  route('environment', readEnvironmentAction, async ({ context, deps, openSetup }, click) => {
    const name = await acceptedName(context, deps.logger, click.verb === ENVIRONMENT_VERBS.change ? 'change' : 'retire', click.environment);
    if (name !== undefined) await handleEnvironmentAction(context, { ...click, environment: name }, deps, openSetup);
  }),
  route('setup', readSetupSubmission, ({ continueSetup }, click) => continueSetup(click)),
];

/** A card click (Action.Execute invoke or Action.Submit message), routed by the table above. */
export async function routeCardAction(turn: CardTurn, payload: unknown): Promise<void> {
  for (const candidate of CARD_ROUTES) if (await candidate.tryHandle(turn, payload)) return;
  turnLogger(turn.context, turn.deps.logger).warn({ event: 'card_action_unknown' }, 'unknown card action refused');
  await refuse(turn.context, wordsOf(turn.context).t('replies.refusal.unknownCardAction'));
}
