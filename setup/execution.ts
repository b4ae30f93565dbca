/**
 * The plan an approved request becomes, and the record of each step's outcome. Steps run in
 * dependency order (Key Vault reference first: the environment's SAS secret lives there).
 */
import type { SetupContent } from './model.js';
import type { CheckOutcome, ConnectionCheck, KeyVaultVerification } from './verification.js';

export type StepKind = 'keyVault' | 'environmentRecord' | 'environmentPublish' | 'connectedApplication';
export type StepStatus = 'pending' | 'running' | CheckOutcome | 'skipped';

export interface ExecutionStep {
  kind: StepKind;
  title: string;
  /** For connectedApplication steps: index into content.connectedApplications. */
  appIndex?: number;
  status: StepStatus;
  messages: string[];
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
  details: Record<string, string | number | boolean | null>;
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

export function planFor(content: SetupContent): ExecutionStep[] {
  const step = (kind: StepKind, title: string, appIndex?: number): ExecutionStep => ({ kind, title, appIndex, status: 'pending', messages: [], attempts: 0 });
  return [
    step('keyVault', `Verify Key Vault reference ${content.keyVault.name}`),
    step('environmentRecord', `Record service environment ${content.environment.name}`),
    step('environmentPublish', `Publish service environment ${content.environment.name}`),
    ...content.connectedApplications.map((app, index) => step('connectedApplication', `Connect ${app.name}`, index)),
  ];
}

export function isFinished(status: StepStatus): boolean {
  return status === 'ok' || status === 'warning' || status === 'failed' || status === 'skipped';
}

/** A step that finished well (✅ or ⚠️): a Retry does not run it again. */
export function isDone(status: StepStatus): boolean {
  return status === 'ok' || status === 'warning';
}

/**
 * The steps of a Retry: those done stay as they are (with their findings, which later steps
 * read); the failed, skipped and unfinished ones start over.
 */
export function retryPlan(steps: readonly ExecutionStep[]): ExecutionStep[] {
  return steps.map((step): ExecutionStep =>
    isDone(step.status) ? step : { kind: step.kind, title: step.title, ...(step.appIndex === undefined ? {} : { appIndex: step.appIndex }), status: 'pending', messages: [], attempts: 0 },
  );
}

/**
 * The word each step line carries, so its state never depends on the emoji alone (some clients
 * draw emoji as empty boxes; screen readers name them oddly).
 */
export const STEP_WORD: Record<StepStatus, string> = {
  pending: 'Not run',
  running: 'Running',
  ok: 'Done',
  warning: 'Done, with warnings',
  failed: 'Failed',
  skipped: 'Skipped',
};

export const STEP_ICON: Record<StepStatus, string> = {
  pending: '⏳',
  running: '⏳',
  ok: '✅',
  warning: '⚠️',
  failed: '❌',
  skipped: '⏭️',
};
