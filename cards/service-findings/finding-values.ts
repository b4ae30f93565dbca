/**
 * What the service-finding modules share: the finding codes the English catalog has a message for
 * (`cards.serviceFinding.<code>`), and how a finding's parameters become a message's values.
 */
import type { MessageKey, MessageValues } from '../../i18n/message-keys.js';
import type { Words } from '../../i18n/translations.js';
import type { ServiceFinding } from '../../setup/model/verification.js';

const PREFIX = 'cards.serviceFinding.';

/** Every code with a message: `sas.usable` for `cards.serviceFinding.sas.usable`. */
export type ServiceFindingCode = MessageKey extends infer Key ? (Key extends `${typeof PREFIX}${infer Code}` ? Code : never) : never;

/** The values one finding's message takes: every argument it names, a blank where the finding lacks one. */
export type FindingValues = (finding: ServiceFinding, words: Words) => MessageValues;

export function findingKey(code: ServiceFindingCode): MessageKey {
  return `${PREFIX}${code}`;
}

/** A parameter as text, '' when the finding does not carry it. */
export function param(finding: ServiceFinding, name: string): string {
  return String(finding.params[name] ?? '');
}

/** A select's value for an optional part of a sentence: `{hasX, select, yes {…} other {}}`. */
export function yes(present: boolean): 'yes' | 'no' {
  return present ? 'yes' : 'no';
}
