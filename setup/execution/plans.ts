/**
 * The plan an approved request becomes. Steps run in dependency order (Key Vault reference first:
 * the environment's SAS secret lives there).
 */
import { domainMessage, type DomainMessage } from '../model/messages.js';
import type { SetupContent } from '../model/content.js';
import type { ExecutionStep, StepKind } from '../model/execution.js';
import { isDone } from '../model/execution.js';
import type { SetupRequest } from '../model/request.js';
import { isFieldChange, keyVaultScope, touchesOnlyNumberSequences, type ListChange } from '../model/setup-diff.js';

/**
 * A step of a plan: `label` is what a reader is told (a message); `title` names the step in the
 * audit record and the operators' log (English, as records always held it).
 */
function step(kind: StepKind, title: string, label: DomainMessage, extra: Pick<ExecutionStep, 'appIndex' | 'appName'> = {}): ExecutionStep {
  return { kind, title, label, ...extra, status: 'pending', messages: [], attempts: 0 };
}

/** The plan of a new setup: verify and record the Key Vault reference, record and publish the environment, connect each application. */
export function planFor(content: SetupContent): ExecutionStep[] {
  return [
    step('keyVault', `Verify Key Vault reference ${content.keyVault.name}`, domainMessage('plan.verifyKeyVault', { reference: content.keyVault.name })),
    step('environmentRecord', `Record service environment ${content.environment.name}`, domainMessage('plan.recordEnvironment', { environment: content.environment.name })),
    step('environmentPublish', `Publish service environment ${content.environment.name}`, domainMessage('plan.publishEnvironment', { environment: content.environment.name })),
    ...content.connectedApplications.map((app, index) => step('connectedApplication', `Connect ${app.name}`, domainMessage('plan.connect', { application: app.name }), { appIndex: index })),
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
    return index === -1 ? [] : [step('connectedApplication', `Connect ${content.connectedApplications[index].name}`, domainMessage('plan.connect', { application: content.connectedApplications[index].name }), { appIndex: index })];
  });
  const unlink = apps.filter((entry) => entry.kind === 'removed').map((entry) => {
    const name = entry.before?.name ?? entry.key;
    return step('applicationUnlink', `Disconnect ${name}`, domainMessage('plan.disconnect', { application: name }), { appName: name });
  });
  return [
    step('versionCheck', `Check that ${environment} is still at version ${change.baseRevision}`, domainMessage('plan.versionCheck', { environment, version: change.baseRevision })),
    ...(keyVaultScope(change.diff, content) ? [step('keyVault', `Verify what is new in Key Vault reference ${content.keyVault.name}`, domainMessage('plan.verifyKeyVaultChanges', { reference: content.keyVault.name }))] : []),
    step('environmentChange', `Apply the change to service environment ${environment}`, domainMessage('plan.applyChange', { environment })),
    ...(touchesOnlyNumberSequences(change.diff) ? [] : [step('environmentPublish', `Publish service environment ${environment}`, domainMessage('plan.publishEnvironment', { environment }))]),
    ...connect,
    ...unlink,
  ];
}

/** The plan of a retirement: the version check, unlink each application, mark the environment Retired. */
export function retirePlan(content: SetupContent, retire: NonNullable<SetupRequest['retire']>): ExecutionStep[] {
  return [
    step('versionCheck', `Check that ${retire.environment} is still at version ${retire.baseRevision}`, domainMessage('plan.versionCheck', { environment: retire.environment, version: retire.baseRevision })),
    ...content.connectedApplications.map((app) => step('applicationUnlink', `Unlink ${app.name}`, domainMessage('plan.unlink', { application: app.name }), { appName: app.name })),
    step('environmentRetire', `Mark ${retire.environment} Retired`, domainMessage('plan.retire', { environment: retire.environment })),
  ];
}

/** The plan of any request, by its kind. */
export function planOf(request: Pick<SetupRequest, 'kind' | 'content' | 'change' | 'retire'>): ExecutionStep[] {
  if (request.kind === 'change' && request.change) return changePlan(request.content, request.change);
  if (request.kind === 'retire' && request.retire) return retirePlan(request.content, request.retire);
  return planFor(request.content);
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
          ...(step.label === undefined ? {} : { label: step.label }),
          ...(step.appIndex === undefined ? {} : { appIndex: step.appIndex }),
          ...(step.appName === undefined ? {} : { appName: step.appName }),
          status: 'pending',
          messages: [],
          attempts: 0,
        },
  );
}
