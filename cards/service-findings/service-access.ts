/** English words for the findings of Electronic invoicing's access checks (codes `principal.*`, `access.*`, `network.*`, …). */
import type { ServiceFinding } from '../../setup/verification.js';

export const serviceAccessText: Record<string, (finding: ServiceFinding) => string> = {};
