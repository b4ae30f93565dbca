/**
 * The command keywords a message tells the reader to type (`setup`, `environments`, `history`, …)
 * are values, never words of the message: the English keywords are the ones the bot understands
 * in every language, so a translation cannot change them. Messages name them as placeholders
 * (`Type **{setupCommand}** to start one.`); these words fill them in.
 */
import type { MessageKey, MessageValues } from '../../i18n/message-keys.js';
import { ENGLISH, type Words } from '../../i18n/translations.js';

export const COMMAND_KEYWORDS = {
  setupCommand: 'setup',
  cancelCommand: 'cancel',
  statusCommand: 'status',
  environmentsCommand: 'environments',
  showCommand: 'show',
  historyCommand: 'history',
  changeCommand: 'change',
  retireCommand: 'retire',
  verifyCommand: 'verify',
  notifyHereCommand: 'notify here',
  notifyOffCommand: 'notify off',
  notifyStatusCommand: 'notify status',
  helpCommand: 'help',
} as const satisfies MessageValues;

/** Words that fill in the command keywords of every message (the values given win). */
export function withCommands(words: Words): Words {
  return { ...words, t: (key: MessageKey, values?: MessageValues) => words.t(key, { ...COMMAND_KEYWORDS, ...values }) };
}

/** English words with the command keywords filled in: for texts made outside a turn (tests, tools). */
export const ENGLISH_WORDS: Words = withCommands(ENGLISH);
