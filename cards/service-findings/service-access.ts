/** English words for the findings of Electronic invoicing's access checks (codes `principal.*`, `access.*`, `network.*`, …). */
import type { ServiceFinding } from '../../setup/model/verification.js';

export const serviceAccessText: Record<string, (finding: ServiceFinding) => string> = {};
