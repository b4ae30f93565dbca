import type { TurnContext } from 'botbuilder';
import type { SetupDialogOptions } from '../../dialogs/setup-dialog.js';
import type { BotDeps } from '../bot-deps.js';

/** Opens the sender's setup dialog at a card (cancelling any dialog running in the conversation). */
export type OpenSetup = (context: TurnContext, entry: SetupDialogOptions) => Promise<void>;

/** What a text command's handler is given: the turn, what followed the verb, and the bot's parts. */
export interface CommandTurn {
  context: TurnContext;
  /** The text after the verb, whitespace folded (may be empty). */
  argument: string;
  deps: BotDeps;
  openSetup: OpenSetup;
}

export type CommandHandler = (turn: CommandTurn) => Promise<void>;
