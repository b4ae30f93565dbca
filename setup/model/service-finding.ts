/**
 * Whether Electronic invoicing itself can use what was referenced, told apart from whether setupbot
 * can read it. `notChecked` (⚠️) when setupbot lacks the permission a check needs: never ✅, never ❌.
 */
export type ServiceUseOutcome = 'ok' | 'warning' | 'failed' | 'notChecked';

/**
 * One finding about Electronic invoicing's own use of a vault, an item or the storage SAS. A code and
 * parameters (names, ids, dates — never a secret value); the words are made at the edge (cards/).
 */
export interface ServiceFinding {
  /** Stable code, e.g. `sas.signatureRejected`, `access.rbacRoleMissing`. */
  code: string;
  outcome: ServiceUseOutcome;
  params: Record<string, string | number>;
  /** The exact Azure CLI command that fixes it, real names and ids filled in (never translated). */
  fix?: string;
}
