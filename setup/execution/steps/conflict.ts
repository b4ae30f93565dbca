/**
 * A change or retirement applies only to the version it was built on. Found at a later version,
 * its step fails without applying anything and says what changed in between (used by the version
 * check, the change and the retirement).
 */
import { describeChange, diffSetup, type SetupChange } from '../../model/setup-diff.js';
import type { SetupRequest } from '../../model/request.js';
import { changedSince, revisionOf, type RecordedEnvironment, type Registry } from '../../registry/registry.js';
import type { StepResult } from './step.js';

/** How many lines of "what changed in between" a step shows (the request keeps them all). */
const BETWEEN_LINES = 10;

/** A step finding starts with its word ("Added · user bob"): the card lists findings as bullets, where a leading "+" would vanish. */
function betweenLine(change: SetupChange): string {
  const line = describeChange(change);
  return `${line.word} · ${line.text}`;
}

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
