/**
 * The steps of change and retire requests, each idempotent: a re-run after a crash (or by Retry)
 * finds what the request already did (its own entry in the environment's versions) and does not
 * do it again. A change or retirement applies only to the version it was built on; found at a
 * later version, it is not applied and says what changed in between.
 */
import type { ExecutionStep } from '../model/execution.js';
import { changedSince, EnvironmentVersionConflict, revisionOf, type RecordedEnvironment, type Registry } from '../registry/registry.js';
import type { ChangeConflict, SetupRequest } from '../model/request.js';
import { describeChange, diffSetup, isFieldChange, touchesOnlyNumberSequences, type SetupChange } from '../model/setup-diff.js';

/** A step finding starts with its word ("Added · user bob"): the card lists findings as bullets, where a leading "+" would vanish. */
function betweenLine(change: SetupChange): string {
  const line = describeChange(change);
  return `${line.word} · ${line.text}`;
}
import type { CheckOutcome, ConnectionCheck, KeyVaultVerification } from '../model/verification.js';

export interface StepResult {
  status: CheckOutcome;
  messages: string[];
  verification?: KeyVaultVerification;
  connection?: ConnectionCheck;
  /** Set (with status failed) when the environment was found at a later version. */
  conflict?: ChangeConflict;
}

/** How many lines of "what changed in between" a step shows (the request keeps them all). */
const BETWEEN_LINES = 10;

function target(request: SetupRequest): { environment: string; baseRevision: number } | undefined {
  return request.change ?? request.retire;
}

/** The environment is at a later version: what changed in between, and the step's failure. */
export async function conflictResult(request: SetupRequest, current: RecordedEnvironment, registry: Registry, now: string): Promise<StepResult> {
  const on = target(request);
  const baseRevision = on?.baseRevision ?? 1;
  const recorded = await registry.recordedContent(current.environment.name);
  const before = request.change?.before ?? request.content;
  const between = recorded ? diffSetup(before, recorded.content) : [];
  const changedBy = changedSince(current, baseRevision);
  const name = current.environment.name;
  const by = changedBy.length > 0 ? ` by ${changedBy.join(', ')}` : '';
  const lines = [
    current.status === 'Retired'
      ? `Not applied: ${name} was retired${by} after this request was built on version ${baseRevision}.`
      : `Not applied: ${name} is at version ${revisionOf(current)}, not ${baseRevision}: it was changed${by} after this request was built.`,
    ...(between.length > 0 ? ['What changed in between:', ...between.slice(0, BETWEEN_LINES).map(betweenLine)] : []),
    ...(between.length > BETWEEN_LINES ? [`… and ${between.length - BETWEEN_LINES} more`] : []),
  ];
  return { status: 'failed', messages: lines, conflict: { baseRevision, currentRevision: revisionOf(current), changedBy, between, at: now } };
}

/** The version check every change and retirement starts with (it only reads). */
export async function versionCheckStep(request: SetupRequest, registry: Registry, now: string): Promise<StepResult> {
  const on = target(request);
  if (!on) return { status: 'failed', messages: ['This request names no environment to change.'] };
  const check = await registry.versionCheck(on.environment, request.id, on.baseRevision);
  if (check.ok) return { status: 'ok', messages: [`${check.record.environment.name} is at version ${on.baseRevision}, as when this was asked.`] };
  if (!check.record) return { status: 'failed', messages: [`${on.environment} is no longer recorded, so there is nothing to change.`] };
  return conflictResult(request, check.record, registry, now);
}

/** Whether the change touches the Key Vault reference (its content is recorded again then). */
function touchesKeyVault(request: SetupRequest): boolean {
  return (request.change?.diff ?? []).some((change) => (isFieldChange(change) ? change.field.startsWith('keyVault.') : change.list === 'items' || change.list === 'chains'));
}

/** Records the change as the environment's next version, and the Key Vault reference with what was verified. */
export async function environmentChangeStep(request: SetupRequest, steps: readonly ExecutionStep[], registry: Registry, dryRun: boolean, now: string): Promise<StepResult> {
  const change = request.change;
  if (!change) return { status: 'failed', messages: ['This request carries no change.'] };
  const keepStatus = touchesOnlyNumberSequences(change.diff);
  if (dryRun) {
    const status = keepStatus ? 'its status would stay as it is (number sequences apply without publishing)' : 'a published environment would be Changed until published again';
    return { status: 'ok', messages: [`Dry run: the change would be recorded as version ${change.baseRevision + 1}; ${status}.`] };
  }
  let recorded: RecordedEnvironment;
  try {
    recorded = await registry.applyEnvironmentChange(request.id, change.baseRevision, request.content, { keepStatus });
  } catch (error) {
    if (error instanceof EnvironmentVersionConflict) return conflictResult(request, error.current, registry, now);
    throw error;
  }
  if (touchesKeyVault(request)) {
    const verification = steps.find((candidate) => candidate.kind === 'keyVault')?.verification;
    await registry.changeKeyVaultReference(request.id, request.content.keyVault, verification);
  }
  const status = keepStatus ? `Status stays ${recorded.status}: number sequences apply without publishing.` : `Status: ${recorded.status}.`;
  return { status: 'ok', messages: [`Recorded as version ${revisionOf(recorded)}.`, status] };
}

/** Unlinks one application from the environment (it stays recorded, and linked to any others). */
export async function unlinkStep(request: SetupRequest, step: ExecutionStep, registry: Registry, dryRun: boolean): Promise<StepResult> {
  const environment = request.content.environment.name;
  const app = step.appName ?? '';
  if (dryRun) return { status: 'ok', messages: [`Dry run: ${app} would be unlinked from ${environment}.`] };
  await registry.unlinkConnectedApplication(app, environment);
  return { status: 'ok', messages: [`Unlinked from ${environment}; ${app} stays recorded.`] };
}

/** Marks the environment Retired: never deleted, its history stays. */
export async function retireStep(request: SetupRequest, registry: Registry, dryRun: boolean, now: string): Promise<StepResult> {
  const retire = request.retire;
  if (!retire) return { status: 'failed', messages: ['This request names no environment to retire.'] };
  if (dryRun) return { status: 'ok', messages: [`Dry run: ${retire.environment} would be marked Retired.`] };
  try {
    const retired = await registry.retireEnvironment(request.id, retire.environment, retire.baseRevision);
    return { status: 'ok', messages: [`Status: ${retired.status}. Its history stays; nothing was deleted.`] };
  } catch (error) {
    if (error instanceof EnvironmentVersionConflict) return conflictResult(request, error.current, registry, now);
    throw error;
  }
}
