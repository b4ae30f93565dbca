/**
 * What a turn that throws answers (bot/adapter.ts onTurnError): two turns changing the same
 * record at once is said plainly and logged as a conflict, not as a failure; storage trouble asks
 * to try again; anything else is a logged failure with the generic apology.
 */
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { DialogContextError, DialogSet, type DialogState } from 'botbuilder-dialogs';
import { createAdapter, createBotAuthentication, STORAGE_UNAVAILABLE_TEXT, TURN_CONFLICT_TEXT, TURN_ERROR_TEXT } from '../../../bot/adapter.js';
import { loadConfig } from '../../../bot/config.js';
import { createLogger } from '../../../bot/logger.js';
import { ConflictError, StorageUnavailableError } from '../../../setup/errors.js';
import { LogCollector } from '../../harness/test-bot.js';

async function failTurnWith(errorFor: (context: TurnContext) => Promise<Error>): Promise<{ sent: string[]; events: string[] }> {
  const logs = new LogCollector();
  const logger = createLogger({ level: 'debug', destination: logs });
  const adapter = createAdapter(createBotAuthentication(loadConfig({})), logger);
  const test = new TestAdapter();
  const activity: Partial<Activity> = { type: ActivityTypes.Message, channelId: 'msteams', text: 'cancel', from: { id: '29:a', name: 'A' }, recipient: { id: '28:bot', name: 'setupbot' }, conversation: { id: 'a:chat', isGroup: false, conversationType: 'personal', name: '' } };
  const context = new TurnContext(test, activity);
  await adapter.onTurnError(context, await errorFor(context));
  return { sent: test.activeQueue.map((sent) => sent.text ?? ''), events: logs.events().map(String) };
}

describe('a turn that throws', () => {
  it('a conflict thrown inside a dialog is answered plainly and logged as a conflict, not a failure', async () => {
    const conflict = new ConflictError('drafts/x is at version 23, not 22');
    const { sent, events } = await failTurnWith(async (context) => {
      const dialogs = new DialogSet(new ConversationState(new MemoryStorage()).createProperty<DialogState>('dialogState'));
      return new DialogContextError(conflict, await dialogs.createContext(context));
    });
    expect(sent).toEqual([TURN_CONFLICT_TEXT]);
    expect(events).toContain('turn_conflict');
    expect(events).not.toContain('turn_failed');
  });

  it('storage trouble asks to try again', async () => {
    const { sent, events } = await failTurnWith(async () => new StorageUnavailableError('the disk is full'));
    expect(sent).toEqual([STORAGE_UNAVAILABLE_TEXT]);
    expect(events).toContain('turn_storage_unavailable');
  });

  it('anything else is a failure, with the generic apology', async () => {
    const { sent, events } = await failTurnWith(async () => new TypeError('x is undefined'));
    expect(sent).toEqual([TURN_ERROR_TEXT]);
    expect(events).toContain('turn_failed');
  });
});
