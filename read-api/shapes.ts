/**
 * The read API's response bodies (GET /api/…). Plain JSON, documented in the README; the tab
 * imports these types. Names, states, dates and findings only: never a secret value.
 */

export type RequestState = 'submitted' | 'approved' | 'rejected' | 'cancelled' | 'expired' | 'executing' | 'succeeded' | 'failed';
export type EnvironmentState = 'Not published' | 'Published' | 'Changed' | 'Retired';
/** ok = ✅, warning = ⚠️ (done, but look), failed = ❌ */
export type Outcome = 'ok' | 'warning' | 'failed';
export type StepState = 'pending' | 'running' | Outcome | 'skipped';

/** Who is asking, and what they may see. */
export interface ViewerView {
  objectId: string;
  name: string;
  /** Approvers see every request and environment; everyone else their own. */
  seesEverything: boolean;
  /** Anonymous local mode: no sign-in, loopback only. */
  anonymous: boolean;
}

export interface PersonView {
  objectId: string;
  name: string;
}

export interface DecisionView extends PersonView {
  decision: 'approved' | 'rejected' | 'cancelled';
  /** ISO 8601 */
  at: string;
  comment: string;
}

export interface StepView {
  title: string;
  state: StepState;
  messages: string[];
  startedAt: string | null;
  finishedAt: string | null;
  /** More than 1 only when a restart resumed the step. */
  attempts: number;
}

export interface PrincipalView {
  kind: 'group' | 'user';
  objectId: string;
  name: string | null;
}

export interface RuleView {
  name: string;
  source: 'file' | 'environment';
  requiredApprovals: number;
  approvers: PrincipalView[];
  rejectComment: 'required' | 'optional';
}

export interface ApproverView {
  objectId: string;
  name: string | null;
  /** "member of Finance-Prod-Approvers", "named in rule production". */
  why: string;
}

export interface RequestSummaryView {
  /** e.g. SR-0042 */
  id: string;
  /** A new setup, a change of a recorded environment, or its retirement. */
  kind: 'setup' | 'change' | 'retire';
  /** For a change or retirement: the environment's version it was built on; null for a setup. */
  baseVersion: number | null;
  /** For a change: what it changes, one line each ("+ Added · user bob (bob@contoso.com)"); empty otherwise. */
  changes: string[];
  state: RequestState;
  environment: string;
  keyVaultReference: string;
  connectedApplications: string[];
  dryRun: boolean;
  requester: PersonView;
  approvals: {
    required: number;
    received: number;
    /** Approvers named at submission (Entra object ids). */
    approverIds: string[];
    /** Every decision so far: approvals, a rejection, the requester's cancellation. */
    decisions: DecisionView[];
    /**
     * The approval rule the request was submitted under (issue 19); null for requests from before
     * approval policies. `source`: a policy file, or the SETUPBOT_APPROVERS variables.
     */
    rule: RuleView | null;
    /**
     * While it waits: the approvers asked at submission who have not decided yet, and why each was
     * asked. Membership of groups is checked again when they click.
     */
    mayStillDecide: ApproverView[];
  };
  createdAt: string;
  updatedAt: string;
  /** Approval deadline. */
  expiresAt: string;
  expiredAt: string | null;
  execution: { dryRun: boolean; startedAt: string; finishedAt: string | null; steps: StepView[] } | null;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  action: string;
  actor: PersonView | { system: true };
  details: Record<string, string | number | boolean | null>;
  hash: string;
  prevHash: string;
}

/** The whole hash chain checked: every entry hashes to itself and links to the one before. */
export type ChainVerdictView = { ok: true; entries: number; checkedAt: string } | { ok: false; brokenAt: number; reason: string; checkedAt: string };

export interface RequestDetailView extends RequestSummaryView {
  content: {
    environment: {
      name: string;
      description: string;
      users: { userId: string; email: string }[];
      externalApplications: { name: string; objectId: string }[];
      numberSequences: { name: string; description: string }[];
      dataverseEndpointUri: string;
    };
    keyVault: KeyVaultContentView;
    connectedApplications: ConnectedApplicationContentView[];
  };
  audit: { entries: AuditEntryView[]; chain: ChainVerdictView };
}

export interface KeyVaultContentView {
  name: string;
  description: string;
  keyVaultUri: string;
  storageSasSecretName: string;
  items: { name: string; type: 'Secret' | 'Certificate'; description: string }[];
  chains: { name: string; certificates: string[] }[];
}

export interface ConnectedApplicationContentView {
  name: string;
  type: string;
  applicationUrl: string;
  tenant: string;
}

/** Electronic invoicing's own use, apart from setupbot's reading: `notChecked` when setupbot lacks the permission. */
export type ServiceUseOutcomeView = Outcome | 'notChecked';

export interface ServiceFindingView {
  code: string;
  outcome: ServiceUseOutcomeView;
  /** In words (English). */
  text: string;
  /** The Azure CLI command that fixes it, real names filled in. */
  fix: string | null;
}

export interface ServiceUseView {
  outcome: ServiceUseOutcomeView;
  findings: ServiceFindingView[];
}

export interface ItemVerificationView {
  name: string;
  type: 'Secret' | 'Certificate';
  isStorageSas: boolean;
  outcome: Outcome;
  messages: string[];
  enabled: boolean | null;
  expiresOn: string | null;
  certificate: { subject: string; issuer: string; notBefore: string; notAfter: string } | null;
  /** For the storage SAS secret: what it grants (never the signature). */
  sas: { account: string; container: string; permissions: string; expiresOn: string } | null;
  /** Whether Electronic invoicing can use it (its access; for the SAS, the storage account); `outcome` above is setupbot's own reading. */
  serviceUse: ServiceUseView | null;
}

export interface KeyVaultVerificationView {
  outcome: Outcome;
  checkedAt: string;
  messages: string[];
  items: ItemVerificationView[];
  chains: { name: string; outcome: Outcome; messages: string[] }[];
  /** Electronic invoicing's access to the vault: its principal, the access model, the firewall. */
  serviceUse: ServiceUseView | null;
}

export interface EnvironmentView {
  name: string;
  description: string;
  state: EnvironmentState;
  /** The request that created it. */
  recordedBy: string;
  recordedAt: string;
  publishedAt: string | null;
  /** The version of its content: 1 when recorded, +1 per applied change or retirement. */
  version: number;
  /** The request that made the current version (a change or retirement), or null. */
  lastChangedBy: string | null;
  lastChangedAt: string | null;
  retiredAt: string | null;
  users: { userId: string; email: string }[];
  externalApplications: { name: string; objectId: string }[];
  numberSequences: { name: string; description: string }[];
  dataverseEndpointUri: string;
  keyVault: (KeyVaultContentView & { lastVerification: KeyVaultVerificationView }) | null;
  connectedApplications: (ConnectedApplicationContentView & { lastCheck: { outcome: Outcome; status: number | null; message: string } | null })[];
}

/** One entry of an environment's history: the audit entry, and what it says in plain words. */
export interface HistoryEntryView extends AuditEntryView {
  /** The request the entry belongs to, e.g. SR-0042. */
  requestId: string;
  /** The same sentence `history <environment>` shows, e.g. "Approved by Ada Approver — “fine”". */
  text: string;
}

/** A page of an environment's history, newest first: the same data as `history <environment>`. */
export interface EnvironmentHistoryView {
  environment: string;
  /** 1-based page shown (the newest entries are on page 1), and how many there are. */
  page: number;
  pages: number;
  pageSize: number;
  /** Entries in the whole history. */
  total: number;
  entries: HistoryEntryView[];
  /** The entries shown, each verified where it sits in the log's hash chain. */
  chain: ChainVerdictView;
}

/** GET /api/environments */
export interface EnvironmentListResponse {
  viewer: ViewerView;
  environments: EnvironmentView[];
}

/** GET /api/environments/{name} */
export interface EnvironmentResponse {
  viewer: ViewerView;
  environment: EnvironmentView;
}

/** GET /api/environments/{name}/history?page=N */
export interface EnvironmentHistoryResponse {
  viewer: ViewerView;
  history: EnvironmentHistoryView;
}

/** GET /api/requests — newest first */
export interface RequestListResponse {
  viewer: ViewerView;
  requests: RequestSummaryView[];
}

/** GET /api/requests/{id} */
export interface RequestResponse {
  viewer: ViewerView;
  request: RequestDetailView;
}

/** Every non-2xx answer. */
export interface ApiError {
  error: { code: 'unauthorized' | 'forbidden' | 'not_found' | 'bad_request' | 'unavailable' | 'internal'; reason?: string; message: string };
}
