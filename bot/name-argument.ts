import type { TurnContext } from 'botbuilder';
import { ENGLISH_WORDS } from '../cards/words/commands.js';
import type { Words } from '../i18n/translations.js';
import { wordsOf } from '../dialogs/turn-words.js';
import { screenNameArgument } from '../setup/rules/name-argument.js';
import { ENVIRONMENT_NAME_MAX } from '../setup/rules/validation.js';
import type { Logger } from '../setup/ports.js';
import { refuse } from '../dialogs/card-presenter.js';
import { turnLogger } from '../turn/turn-logger.js';

/**
 * The one gate for an environment name typed after a command (`show`, `verify`, `history`,
 * `change`, `retire`) or carried by a card button that names one: every answer that quotes the
 * name back ("No service environment named …") runs after it. A pasted secret (SAS URL, client
 * secret, connection string, JWT, key) is refused without being looked up, repeated, logged or
 * kept; a name longer than any environment name is refused without being quoted.
 */
export type NameCheck = { ok: true; name: string } | { ok: false; reason: 'secret' | 'too_long'; text: string };

export function secretArgumentText(verb: string, words: Words = ENGLISH_WORDS): string {
  return words.t('replies.argument.secret', { verb });
}

export function tooLongArgumentText(verb: string, words: Words = ENGLISH_WORDS): string {
  return words.t('replies.argument.tooLong', { verb, max: ENVIRONMENT_NAME_MAX });
}

/** What may be done with `argument`, with the answer's words (English unless given) when it is refused. */
export function checkNameArgument(verb: string, argument: string, words: Words = ENGLISH_WORDS): NameCheck {
  const screen = screenNameArgument(argument);
  if (screen.ok) return screen;
  return { ok: false, reason: screen.reason, text: screen.reason === 'secret' ? secretArgumentText(verb, words) : tooLongArgumentText(verb, words) };
}

/**
 * Answers a refused argument (the argument itself never in the answer or the log) and returns
 * undefined; otherwise returns the name to act on.
 */
export async function acceptedName(context: TurnContext, logger: Logger, verb: string, argument: string): Promise<string | undefined> {
  const check = checkNameArgument(verb, argument, wordsOf(context));
  if (check.ok) return check.name;
  turnLogger(context, logger).warn({ event: 'argument_refused', verb, reason: check.reason, length: argument.length }, 'command argument refused before use; not quoted back');
  await refuse(context, check.text);
  return undefined;
}
