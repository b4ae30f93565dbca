/** English words for the findings of the SAS check (codes `sas.*`). */
import type { ServiceFinding } from '../../setup/model/verification.js';

export const sasProbeText: Record<string, (finding: ServiceFinding) => string> = {};
