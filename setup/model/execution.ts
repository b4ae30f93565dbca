/**
 * The record of an execution: each step's outcome, in the order the plan (setup/execution/plans.ts)
 * put them.
 */
import type { DomainMessage, DomainText } from './messages.js';
import type { CheckOutcome, ConnectionCheck, KeyVaultVerification } from './verification.js';

export type StepKind =
  | 'keyVault'
  | 'environmentRecord'
  | 'environmentPublish'
  | 'connectedApplication'
  /** Change and retire: the environment is still at the version the request was built on. */
  | 'versionCheck'
  /** Change: record the new content as the next version (and the Key Vault reference's). */
  | 'environmentChange'
  /** Change and retire: unlink an application from the environment. */
  | 'applicationUnlink'
  /** Retire: mark the environment Retired. */
  | 'environmentRetire';
export type StepStatus = 'pending' | 'running' | CheckOutcome | 'skipped';

export interface ExecutionStep {
  kind: StepKind;
  /** The step's name in the audit record and the log (English). */
  title: string;
  /** What a reader is told the step is; absent in records written before (their `title` is shown). */
  label?: DomainMessage;
  /** For connectedApplication steps: index into content.connectedApplications. */
  appIndex?: number;
  /** For applicationUnlink steps: the application's name. */
  appName?: string;
  status: StepStatus;
  /** Messages; records written before the domain spoke in codes hold English sentences (shown as they are). */
  messages: DomainText[];
  /** How many times the step was started (more than one only after a crash mid-step). */
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  verification?: KeyVaultVerification;
  connection?: ConnectionCheck;
}

/** An audit entry decided in the same write as the state change it reports, appended right after. */
export interface PendingAuditEntry {
  action: 'execution_started' | 'step_finished' | 'succeeded' | 'failed';
  details: Record<string, string | number | boolean | null | DomainMessage>;
  /** Idempotency key: appending the same queued entry twice (a crash in between) adds it once. */
  key?: string;
}

export interface Execution {
  pendingAudit?: PendingAuditEntry[];
  /** The request's attempt this execution record is of (absent = 1). */
  attempt?: number;
  dryRun: boolean;
  steps: ExecutionStep[];
  startedAt: string;
  finishedAt?: string;
}

export function isFinished(status: StepStatus): boolean {
  return status === 'ok' || status === 'warning' || status === 'failed' || status === 'skipped';
}

/** A step that finished well (✅ or ⚠️): a Retry does not run it again. */
export function isDone(status: StepStatus): boolean {
  return status === 'ok' || status === 'warning';
}

export const STEP_ICON: Record<StepStatus, string> = {
  pending: '⏳',
  running: '⏳',
  ok: '✅',
  warning: '⚠️',
  failed: '❌',
  skipped: '⏭️',
};
