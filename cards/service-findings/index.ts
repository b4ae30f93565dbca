/**
 * One place that turns a service finding (code + parameters) into words, whichever check made it:
 * the message `cards.serviceFinding.<code>` in the reader's language, its values from the finding.
 */
import type { ServiceFinding } from '../../setup/model/verification.js';
import type { Words } from '../../i18n/translations.js';
import { findingKey, type FindingValues, type ServiceFindingCode } from './finding-values.js';
import { sasProbeValues } from './sas-probe.js';
import { serviceAccessValues } from './service-access.js';

const VALUES: Readonly<Record<ServiceFindingCode, FindingValues>> = { ...sasProbeValues, ...serviceAccessValues };

function hasMessage(code: string): code is ServiceFindingCode {
  return Object.hasOwn(VALUES, code);
}

/** The finding in the reader's words; an unknown code still shows (as the code) rather than vanish. */
export function serviceFindingText(finding: ServiceFinding, words: Words): string {
  return hasMessage(finding.code) ? words.t(findingKey(finding.code), VALUES[finding.code](finding, words)) : finding.code;
}
