/**
 * Ports and results of the checks an approved setup runs against the outside world. The
 * adapters live in azure/; results carry names, dates and plain-word reasons — never a secret
 * value.
 */
import type { ItemType, KeyVaultReference } from './content.js';
import type { DomainText } from './messages.js';
import type { ServiceFinding, ServiceUseOutcome } from './service-finding.js';

/** ✅ ok · ⚠️ warning (done, but look) · ❌ failed */
export type CheckOutcome = 'ok' | 'warning' | 'failed';

export type { ServiceFinding, ServiceUseOutcome } from './service-finding.js';

export interface ServiceUse {
  /** The worst of the findings' outcomes (`failed` > `notChecked` > `warning` > `ok`). */
  outcome: ServiceUseOutcome;
  findings: ServiceFinding[];
}

export interface ItemVerification {
  name: string;
  type: ItemType;
  /** True for the storage SAS token secret. */
  isStorageSas: boolean;
  outcome: CheckOutcome;
  /** Findings as messages (records written before codes hold English sentences), e.g. sas.expiresSoon. */
  messages: DomainText[];
  /** For certificates: subject and validity, when it parsed. */
  certificate?: { subject: string; issuer: string; notBefore: string; notAfter: string };
  /** For the SAS secret: the storage account and container it grants, and its expiry. */
  sas?: { account: string; container: string; permissions: string; expiresOn: string; startsOn?: string };
  /** Item attributes from the vault. */
  enabled?: boolean;
  expiresOn?: string;
  /** Electronic invoicing's own use of this item (its access to it; for the SAS, the SAS used for real). */
  serviceUse?: ServiceUse;
}

export interface ChainVerification {
  name: string;
  outcome: CheckOutcome;
  messages: DomainText[];
}

export interface KeyVaultVerification {
  vaultUri: string;
  outcome: CheckOutcome;
  /** Vault-level problems (access denied, vault not found, timeout) with the fix. */
  messages: DomainText[];
  items: ItemVerification[];
  chains: ChainVerification[];
  checkedAt: string;
  /** Electronic invoicing's own access to the vault: its principal, the access model, the network. */
  serviceUse?: ServiceUse;
}

/**
 * Which parts of a reference to verify (a change verifies only what it adds or changes): item
 * names (the storage SAS secret included when it is one of them) and chain names, compared
 * case-insensitively. The certificates of a chain in scope must be in `items` for it to be checked.
 */
export interface VerificationScope {
  items: readonly string[];
  chains: readonly string[];
}

/** Verifies a Key Vault reference for real: every item, the SAS secret, the chains (or those in `scope`). */
export interface KeyVaultVerifier {
  verify(reference: KeyVaultReference, scope?: VerificationScope): Promise<KeyVaultVerification>;
}

export interface ConnectionCheck {
  url: string;
  outcome: CheckOutcome;
  /** The HTTP status when the application answered. */
  status?: number;
  /** What was found, e.g. connection.answered ("answered HTTP 200 in 120 ms"); records written before codes hold the English sentence. */
  message: DomainText;
}

/** "Check connection" of a connected application: any HTTP answer means reachable. */
export interface ConnectionChecker {
  check(url: string): Promise<ConnectionCheck>;
}
