/**
 * Electronic invoicing's use of a vault and its items, in the reader's words, for every place that
 * shows a verification (step details, `verify`, the environment card). Which lines, in which order,
 * is the domain's (setup/service-access/service-use-lines.ts): this only says them.
 */
import type { ServiceUse, ServiceUseOutcome } from '../setup/model/verification.js';
import { fixMessage, itemUseMessage, serviceMarkMessage, serviceUseMessages, verificationServiceMessages } from '../setup/service-access/service-use-lines.js';
import type { Words } from '../i18n/translations.js';
import { say, sayAll } from './words/domain-message.js';

/** The outcome in a word beside its emoji (clients may draw emoji as empty boxes): "✅ OK". */
export function serviceMark(outcome: ServiceUseOutcome, words: Words): string {
  return say(words, serviceMarkMessage(outcome));
}

/** "Fix: az …" in the reader's words, the command as it is. */
export function fixLine(command: string, words: Words): string {
  return say(words, fixMessage(command));
}

/** Each finding (worst first) and its fix; `problemsOnly` leaves the ✅ ones out. */
export function serviceUseLines(use: ServiceUse | undefined, words: Words, options: { problemsOnly?: boolean } = {}): string[] {
  return sayAll(words, serviceUseMessages(use, options));
}

/** "Electronic invoicing: ✅ OK, can use it" for one item's line; '' when it was not checked at all. */
export function itemUseSummary(use: ServiceUse | undefined, words: Words): string {
  const message = itemUseMessage(use);
  return message ? say(words, message) : '';
}

/** Every line about Electronic invoicing for a verification: the vault's findings, then each item's own (its storage account, the SAS used). */
export function verificationServiceLines(verification: { serviceUse?: ServiceUse; items: readonly { serviceUse?: ServiceUse }[] }, words: Words, options: { problemsOnly?: boolean } = {}): string[] {
  return sayAll(words, verificationServiceMessages(verification, options));
}
