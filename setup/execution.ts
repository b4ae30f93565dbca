/**
 * The plan an approved request becomes, and the record of each step's outcome. Steps run in
 * dependency order (Key Vault reference first: the environment's SAS secret lives there).
 */
import type { SetupContent } from './model.js';
import type { SetupRequest } from './request.js';
import { isFieldChange, keyVaultScope, touchesOnlyNumberSequences, type ListChange } from './setup-diff.js';
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
  title: string;
  /** For connectedApplication steps: index into content.connectedApplications. */
  appIndex?: number;
  /** For applicationUnlink steps: the application's name. */
  appName?: string;
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

function step(kind: StepKind, title: string, extra: Pick<ExecutionStep, 'appIndex' | 'appName'> = {}): ExecutionStep {
  return { kind, title, ...extra, status: 'pending', messages: [], attempts: 0 };
}

/** The plan of a new setup: verify and record the Key Vault reference, record and publish the environment, connect each application. */
export function planFor(content: SetupContent): ExecutionStep[] {
  return [
    step('keyVault', `Verify Key Vault reference ${content.keyVault.name}`),
    step('environmentRecord', `Record service environment ${content.environment.name}`),
    step('environmentPublish', `Publish service environment ${content.environment.name}`),
    ...content.connectedApplications.map((app, index) => step('connectedApplication', `Connect ${app.name}`, { appIndex: index })),
  ];
}

/**
 * The plan of a change: the version check first; then verify in Key Vault only what is new or
 * changed (when anything is); apply the change (the next version; Changed if it was Published);
 * publish again — unless only number sequences changed, which apply without publishing; connect
 * the applications added or changed, unlink those removed.
 */
export function changePlan(content: SetupContent, change: NonNullable<SetupRequest['change']>): ExecutionStep[] {
  const environment = change.environment;
  const apps = change.diff.filter((entry): entry is Extract<ListChange, { list: 'connectedApplications' }> => !isFieldChange(entry) && entry.list === 'connectedApplications');
  const connect = apps.filter((entry) => entry.kind !== 'removed').flatMap((entry) => {
    const index = content.connectedApplications.findIndex((app) => app.name.trim().toLowerCase() === entry.key);
    return index === -1 ? [] : [step('connectedApplication', `Connect ${content.connectedApplications[index].name}`, { appIndex: index })];
  });
  const unlink = apps.filter((entry) => entry.kind === 'removed').map((entry) => {
    const name = entry.before?.name ?? entry.key;
    return step('applicationUnlink', `Disconnect ${name}`, { appName: name });
  });
  return [
    step('versionCheck', `Check that ${environment} is still at version ${change.baseRevision}`),
    ...(keyVaultScope(change.diff, content) ? [step('keyVault', `Verify what is new in Key Vault reference ${content.keyVault.name}`)] : []),
    step('environmentChange', `Apply the change to service environment ${environment}`),
    ...(touchesOnlyNumberSequences(change.diff) ? [] : [step('environmentPublish', `Publish service environment ${environment}`)]),
    ...connect,
    ...unlink,
  ];
}

/** The plan of a retirement: the version check, unlink each application, mark the environment Retired. */
export function retirePlan(content: SetupContent, retire: NonNullable<SetupRequest['retire']>): ExecutionStep[] {
  return [
    step('versionCheck', `Check that ${retire.environment} is still at version ${retire.baseRevision}`),
    ...content.connectedApplications.map((app) => step('applicationUnlink', `Unlink ${app.name}`, { appName: app.name })),
    step('environmentRetire', `Mark ${retire.environment} Retired`),
  ];
}

/** The plan of any request, by its kind. */
export function planOf(request: Pick<SetupRequest, 'kind' | 'content' | 'change' | 'retire'>): ExecutionStep[] {
  if (request.kind === 'change' && request.change) return changePlan(request.content, request.change);
  if (request.kind === 'retire' && request.retire) return retirePlan(request.content, request.retire);
  return planFor(request.content);
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
    isDone(step.status)
      ? step
      : {
          kind: step.kind,
          title: step.title,
          ...(step.appIndex === undefined ? {} : { appIndex: step.appIndex }),
          ...(step.appName === undefined ? {} : { appName: step.appName }),
          status: 'pending',
          messages: [],
          attempts: 0,
        },
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
