import { MessageFactory, TeamsActivityHandler, TurnContext } from 'botbuilder';
import { renderHelpCard } from '../cards/help.js';
import { cardAttachment } from '../cards/render.js';
import type { Logger } from '../setup/ports.js';
import { COMMANDS, parseCommand } from './commands.js';
import type { InstallationStore } from './installations.js';
import { turnLogger } from './turn-logger.js';

export interface SetupBotDeps {
  logger: Logger;
  installations: InstallationStore;
}

/** The Teams activity handler: thin routing from activities to commands, dialogs and card actions. */
export class SetupBot extends TeamsActivityHandler {
  constructor(private readonly deps: SetupBotDeps) {
    super();

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const botWasAdded = (context.activity.membersAdded ?? []).some((member) => member.id === botId);
      if (botWasAdded) {
        await this.deps.installations.remember(context);
        turnLogger(context, this.deps.logger).info({ event: 'installed' }, 'bot added to a conversation; reference stored; greeting');
        await this.sendHelp(context, "Hi, I'm setupbot");
      }
      await next();
    });

    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const botWasRemoved = (context.activity.membersRemoved ?? []).some((member) => member.id === botId);
      if (botWasRemoved) {
        await this.deps.installations.forget(context.activity.conversation.id);
        turnLogger(context, this.deps.logger).info({ event: 'uninstalled' }, 'bot removed from a conversation; reference forgotten');
      }
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text;
    const { verb } = parseCommand(text);
    switch (verb) {
      case 'help':
      case '?':
        await this.sendHelp(context, 'Here is what I can do');
        return;
      default:
        turnLogger(context, this.deps.logger).info({ event: 'unknown_command' }, 'unrecognised text; answering with help');
        await this.sendHelp(context, "I didn't catch that. Here is what I can do");
    }
  }

  private async sendHelp(context: TurnContext, heading: string): Promise<void> {
    const card = renderHelpCard({ heading, commands: COMMANDS });
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }
}
