/**
 * Change and retire requests before they are submitted: where a change draft starts (the
 * recorded setup at its current version), what is fixed in it, what it changes, and how it is
 * rebuilt on a newer version. Pure functions over the registry's answers.
 */
import type { DraftOrigin } from '../model/draft.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';
import type { DraftSeed } from './drafts.js';
import type { SetupContent } from '../model/content.js';
import { revisionOf, type RecordedEnvironment, type Registry } from '../registry/registry.js';
import type { ChangeOfEnvironment, SetupRequest } from '../model/request.js';
import { diffSetup, rebaseChanges, summarizeChanges, type SetupChange, type SkippedChange } from '../model/setup-diff.js';

export type ChangeOrigin = Extract<DraftOrigin, { kind: 'change' }>;

/** Why an environment cannot be changed or retired now; undefined = it can. */
export function unchangeableReason(name: string, record: RecordedEnvironment | undefined, verb: 'change' | 'retire'): DomainMessage | undefined {
  if (!record) return domainMessage('environment.notRecorded', { name, verb });
  if (record.status === 'Retired') return domainMessage('environment.retired', { name: record.environment.name });
  return undefined;
}

/** The draft of a change of `name`, pre-filled with the recorded setup at its current version. */
export async function changeSeed(registry: Registry, name: string): Promise<{ ok: true; seed: DraftSeed; record: RecordedEnvironment } | { ok: false; message: DomainMessage }> {
  const recorded = await registry.recordedContent(name);
  const reason = unchangeableReason(name, recorded?.record, 'change');
  if (reason || !recorded) return { ok: false, message: reason ?? domainMessage('environment.notRecorded', { name, verb: 'change' }) };
  const { record, content } = recorded;
  const origin: ChangeOrigin = { kind: 'change', environment: record.environment.name, baseRevision: revisionOf(record), before: content };
  return { ok: true, seed: { content, origin }, record };
}

/**
 * A change laid over the environment's current version: the same intended differences applied
 * where they still apply (what someone else changed in between stays as they left it). Starts a
 * draft that replaces `request` once submitted (when `request` is given).
 */
export async function rebuildSeed(
  registry: Registry,
  name: string,
  changes: readonly SetupChange[],
  options: { rebuildOf?: string; dryRun?: boolean } = {},
): Promise<{ ok: true; seed: DraftSeed; record: RecordedEnvironment; skipped: SkippedChange[] } | { ok: false; message: DomainMessage }> {
  const recorded = await registry.recordedContent(name);
  const reason = unchangeableReason(name, recorded?.record, 'change');
  if (reason || !recorded) return { ok: false, message: reason ?? domainMessage('environment.notRecorded', { name, verb: 'change' }) };
  const { record, content } = recorded;
  const rebased = rebaseChanges(content, changes);
  const origin: ChangeOrigin = {
    kind: 'change',
    environment: record.environment.name,
    baseRevision: revisionOf(record),
    before: content,
    ...(options.rebuildOf ? { rebuildOf: options.rebuildOf } : {}),
  };
  return { ok: true, seed: { content: rebased.content, origin, step: 'review', dryRun: options.dryRun ?? false }, record, skipped: rebased.skipped };
}

/**
 * The content as a change may ask for it: what identifies the environment (its name, the name
 * and URI of its Key Vault reference) stays as recorded, whatever the cards sent.
 */
export function pinIdentity(content: SetupContent, before: SetupContent): SetupContent {
  return {
    ...content,
    environment: { ...content.environment, name: before.environment.name },
    keyVault: { ...content.keyVault, name: before.keyVault.name, keyVaultUri: before.keyVault.keyVaultUri },
  };
}

/** What a change request records: its target, version, the setup it was built on and the difference. */
export function changeOfDraft(origin: ChangeOrigin, content: SetupContent): ChangeOfEnvironment {
  return { environment: origin.environment, baseRevision: origin.baseRevision, before: origin.before, diff: diffSetup(origin.before, content) };
}

/**
 * "change to contoso-uat (version 3): added user bob; removed user alice" — stored in the audit
 * entry's details (`change`) and said in the reader's words in notifications and the history.
 */
export function changeSummary(change: ChangeOfEnvironment): DomainMessage {
  return domainMessage('diff.summary.change', { environment: change.environment, version: change.baseRevision, changes: summarizeChanges(change.diff) });
}

/** "retire contoso-uat (version 3): unlink 2 applications, mark it Retired" */
export function retireSummary(request: Pick<SetupRequest, 'content' | 'retire'>): DomainMessage {
  return domainMessage('diff.summary.retire', { environment: request.content.environment.name, version: request.retire?.baseRevision ?? 1, count: request.content.connectedApplications.length });
}
