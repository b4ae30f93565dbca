import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { cardAttachment, type AdaptiveCardJson } from '../cards/render.js';
import { sayText } from '../cards/words/domain-message.js';
import type { DomainText } from '../setup/model/messages.js';
import { wordsOf } from './turn-words.js';

const CARD_RESPONSE_TYPE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_RESPONSE_TYPE = 'application/vnd.microsoft.activity.message';

function isCardInvoke(context: TurnContext): boolean {
  return context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action';
}

function isCardSubmit(context: TurnContext): boolean {
  return context.activity.type === ActivityTypes.Message && context.activity.value !== undefined && !!context.activity.replyToId;
}

const INVOKE_ANSWERED = Symbol('setupbot.invokeAnswered');
const IN_NEW_MESSAGE = Symbol('setupbot.inNewMessage');

/**
 * From here on in this turn, cards go out as new messages: for a flow started from a card that
 * must stay as it is (Edit and resubmit opens a new setup below the request card it was pressed on).
 */
export function presentInNewMessage(context: TurnContext): void {
  context.turnState.set(IN_NEW_MESSAGE, true);
}

function invokeAnswered(context: TurnContext): boolean {
  return context.turnState.get(INVOKE_ANSWERED) === true;
}

async function answerInvoke(context: TurnContext, type: string, value: unknown): Promise<void> {
  context.turnState.set(INVOKE_ANSWERED, true);
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type, value } },
  });
}

/**
 * Shows a card as the answer to what the user did, updating in place where Teams allows:
 * - Action.Execute (invoke): the card is the invoke response, replacing the clicked card;
 * - Action.Submit (message with value): the clicked card's message is updated;
 * - a typed command: the card is sent as a new message.
 * Resolves with the id of the message that now shows the card, when known.
 */
export async function presentCard(context: TurnContext, card: AdaptiveCardJson): Promise<string | undefined> {
  if (context.turnState.get(IN_NEW_MESSAGE) === true) {
    const sent = await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
    return sent?.id;
  }
  if (isCardInvoke(context) && !invokeAnswered(context)) {
    await answerInvoke(context, CARD_RESPONSE_TYPE, card);
    return context.activity.replyToId;
  }
  if (isCardSubmit(context)) {
    const replyToId = context.activity.replyToId as string;
    await context.updateActivity({ ...MessageFactory.attachment(cardAttachment(card)), id: replyToId, conversation: context.activity.conversation });
    return replyToId;
  }
  const sent = await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  return sent?.id;
}

/**
 * Tells only the person who clicked why nothing happened: an invoke gets a message response
 * (Teams shows it to the clicker alone and leaves the card as it is); otherwise a reply. A domain
 * message is said in the turn's words; a string is already words and goes as it is.
 */
export async function refuse(context: TurnContext, said: DomainText): Promise<void> {
  const text = sayText(wordsOf(context), said);
  if (isCardInvoke(context) && !invokeAnswered(context)) {
    await answerInvoke(context, MESSAGE_RESPONSE_TYPE, text);
    return;
  }
  await context.sendActivity(text);
}

/**
 * Answers a click with a line for the clicker only, leaving the clicked card as it is (e.g. when
 * the click opens something below it): the same channel as a refusal, for good news.
 */
export async function acknowledge(context: TurnContext, text: string): Promise<void> {
  await refuse(context, text);
}
