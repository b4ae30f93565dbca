/**
 * The screen for an environment name typed after a command or carried by a card button, before
 * anything looks it up or quotes it back: a pasted secret (SAS URL, client secret, connection
 * string, JWT, key) or a name longer than any environment name is refused. Codes only; the words
 * are made where the answer is (bot/name-argument.ts, the read API).
 */
import { describeSecretKind } from './secret-detector.js';
import { ENVIRONMENT_NAME_MAX } from './validation.js';

export type NameScreen = { ok: true; name: string } | { ok: false; reason: 'secret' | 'too_long' };

/** What may be done with `argument` (trimmed here). */
export function screenNameArgument(argument: string): NameScreen {
  const name = argument.trim();
  if (describeSecretKind(name) !== undefined) return { ok: false, reason: 'secret' };
  if ([...name].length > ENVIRONMENT_NAME_MAX) return { ok: false, reason: 'too_long' };
  return { ok: true, name };
}
