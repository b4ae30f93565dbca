import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { renderHelpCard } from '../../cards/help.js';
import { cardAttachment } from '../../cards/render.js';
import { COMMANDS } from './catalog.js';

export async function sendHelp(context: TurnContext, heading: string): Promise<void> {
  const card = renderHelpCard({ heading, commands: COMMANDS });
  if (context.activity.type === ActivityTypes.Invoke) return;
  await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}