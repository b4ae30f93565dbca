/**
 * A change or retirement applies only to the version it was built on. Found at a later version,
 * its step fails without applying anything and says what changed in between (used by the version
 * check, the change and the retirement).
 */
import { domainMessage, type DomainText } from '../../model/messages.js';
import { diffSetup, findingLine } from '../../model/setup-diff.js';
import type { SetupRequest } from '../../model/request.js';
import { changedSince, revisionOf, type RecordedEnvironment, type Registry } from '../../registry/registry.js';
import type { StepResult } from './step.js';

/** How many lines of "what changed in between" a step shows (the request keeps them all). */
const BETWEEN_LINES = 10;

/** The environment and version a change or retirement was built on. */
export function targetOf(request: SetupRequest): { environment: string; baseRevision: number } | undefined {
  return request.change ?? request.retire;
}

/** The environment is at a later version: what changed in between, and the step's failure. */
export async function conflictResult(request: SetupRequest, current: RecordedEnvironment, registry: Registry, now: string): Promise<StepResult> {
  const baseRevision = targetOf(request)?.baseRevision ?? 1;
  const recorded = await registry.recordedContent(current.environment.name);
  const before = request.change?.before ?? request.content;
  const between = recorded ? diffSetup(before, recorded.content) : [];
  const changedBy = changedSince(current, baseRevision);
  const name = current.environment.name;
  const by = changedBy.join(', ');
  const headline =
    current.status === 'Retired'
      ? domainMessage(by ? 'step.conflict.retiredBy' : 'step.conflict.retired', { environment: name, base: baseRevision, by })
      : domainMessage(by ? 'step.conflict.changedBy' : 'step.conflict.changed', { environment: name, version: revisionOf(current), base: baseRevision, by });
  const lines: DomainText[] = [
    headline,
    ...(between.length > 0 ? [domainMessage('step.conflict.between'), ...between.slice(0, BETWEEN_LINES).map(findingLine)] : []),
    ...(between.length > BETWEEN_LINES ? [domainMessage('step.andMore', { count: between.length - BETWEEN_LINES })] : []),
  ];
  return { status: 'failed', messages: lines, conflict: { baseRevision, currentRevision: revisionOf(current), changedBy, between, at: now } };
}
