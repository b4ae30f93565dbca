/**
 * The words for what the domain says (setup/model/messages.ts): a code and its parameters become a
 * sentence in the reader's language, from the `domain` catalog (`domain.<code>`). Messages given as
 * parameters are said first; a list of them is joined the reader's way ("a, b and c").
 */
import { DOMAIN_CODES, isDomainMessage, isServiceFindingParam, joinFindings, type DomainCode, type DomainMessage, type DomainParam, type DomainText } from '../../setup/model/messages.js';
import type { MessageKey } from '../../i18n/message-keys.js';
import type { Words } from '../../i18n/translations.js';
import { COMMAND_KEYWORDS } from './commands.js';
import { serviceFindingText } from '../service-findings/index.js';

/** The catalog key of a code. */
export type DomainKey = `domain.${DomainCode}`;

/**
 * Compile-time completeness: a code without an English message in locales/en/domain.json makes
 * this type name it, and the assignment below fails to type-check.
 */
type CodesWithoutEnglish = Exclude<DomainKey, MessageKey>;
const EVERY_CODE_HAS_ENGLISH: [CodesWithoutEnglish] extends [never] ? true : CodesWithoutEnglish = true;
void EVERY_CODE_HAS_ENGLISH;

export function keyOf(code: DomainCode): DomainKey & MessageKey {
  return `domain.${code}` as DomainKey & MessageKey;
}

/** Every code's key, for the catalog tests. */
export const DOMAIN_KEYS: readonly MessageKey[] = DOMAIN_CODES.map(keyOf);

function valueOf(words: Words, param: DomainParam): string | number {
  if (typeof param === 'string' || typeof param === 'number') return param;
  if (isDomainMessage(param)) return say(words, param);
  if (isServiceFindingParam(param)) return serviceFindingText(param.serviceFinding, words);
  return words.list((param as readonly DomainMessage[]).map((item) => say(words, item)));
}

/** The sentence for a domain message in the reader's words. */
export function say(words: Words, message: DomainMessage): string {
  const values = message.params === undefined ? undefined : Object.fromEntries(Object.entries(message.params).map(([name, param]) => [name, valueOf(words, param)]));
  return words.t(keyOf(message.code), { ...COMMAND_KEYWORDS, ...values });
}

/** A stored finding or notice: a message said in the reader's words; an old record's English sentence as it is. */
export function sayText(words: Words, text: DomainText): string {
  return typeof text === 'string' ? text : say(words, text);
}

/** Several stored findings, each said. */
export function sayAll(words: Words, texts: readonly DomainText[]): string[] {
  return texts.map((text) => sayText(words, text));
}

/** A step's name for a reader: its label said, or (a record written before labels) its title as it is. */
export function stepTitle(words: Words, step: { title: string; label?: DomainMessage }): string {
  return step.label ? say(words, step.label) : step.title;
}

/** Several stored findings said as one line, "a; b" (undefined when there are none). */
export function sayFindings(words: Words, texts: readonly DomainText[]): string | undefined {
  const joined = joinFindings(texts);
  return joined === undefined ? undefined : sayText(words, joined);
}

/**
 * Records written before fix lines were marked `whole` hold them as English sentences starting
 * with this (the English catalog's words then).
 */
const RECORDED_FIX_PREFIX = 'Fix: ';

/** Whether a stored line must be shown whole (it carries an Azure CLI command): never shortened. */
export function keptWhole(text: DomainText): boolean {
  return typeof text === 'string' ? text.startsWith(RECORDED_FIX_PREFIX) : text.whole === true;
}
