/** One place that turns a service finding (code + parameters) into words, whichever check made it. */
import type { ServiceFinding } from '../../setup/model/verification.js';
import { sasProbeText } from './sas-probe.js';
import { serviceAccessText } from './service-access.js';

const TEXT: Record<string, (finding: ServiceFinding) => string> = { ...sasProbeText, ...serviceAccessText };

/** The finding in words; an unknown code still shows (as the code) rather than vanish. */
export function serviceFindingText(finding: ServiceFinding): string {
  const words = TEXT[finding.code];
  return words ? words(finding) : finding.code;
}
