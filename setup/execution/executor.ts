/**
 * Carries out an approved setup request, one step at a time, exactly once:
 * - only a request in `approved` starts (compare-and-set to `executing`), so duplicate
 *   approvals or restarts never start it twice;
 * - each step is marked running, then its outcome is stored before the next step starts;
 * - after a crash, `resumeAll` continues every `executing` request at its first unfinished step
 *   (a step interrupted mid-way runs again; steps are idempotent: verification only reads, and
 *   the registry recognises its own records), and never repeats a finished step;
 * - with several instances on one store, an execution is claimed with a lease (renewed while it
 *   runs): one instance runs it, and when that instance dies another takes it over once the
 *   lease has lapsed. A step's outcome is stored only by the attempt that started it, so an
 *   instance that lost its lease mid-step cannot overwrite the one that took over.
 */
import { domainMessage } from '../model/messages.js';
import { saidError } from '../errors.js';
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit.js';
import { AuditQueue } from '../audit/audit-queue.js';
import { STEP_BODIES } from './steps/index.js';
import type { StepResult } from './steps/step.js';
import { updateExisting } from '../coordination/compare-and-set.js';
import { isFinished, type ExecutionStep } from '../model/execution.js';
import { planOf, retryPlan } from './plans.js';
import type { HeldLease } from '../coordination/leases.js';
import { predecessorsOf } from '../requests/lineage.js';
import type { Clock, Failpoint, Logger, Repository, Versioned } from '../ports.js';
import type { Registry } from '../registry/registry.js';
import { attemptOf, type RequestIndex, type SetupRequest } from '../model/request.js';
import type { ConnectionChecker, KeyVaultVerifier } from '../model/verification.js';

/** Claims the execution of one request for this instance (see Leases.hold). */
export interface ExecutionClaims {
  /** The claim, renewed until released; undefined while another instance holds it. */
  claim(requestId: string): Promise<HeldLease | undefined>;
}

/** One process on a store of its own: every claim is granted. */
const ALWAYS_GRANTED: ExecutionClaims = {
  async claim(requestId) {
    return { name: `execution:${requestId}`, valid: () => true, release: async () => undefined };
  },
};

export interface ExecutorDeps {
  requests: Repository<SetupRequest, RequestIndex>;
  /** Several instances on one store: who runs which execution. Default: this process runs all. */
  claims?: ExecutionClaims;
  registry: Registry;
  verifier: KeyVaultVerifier;
  checker: ConnectionChecker;
  audit: AuditLog;
  /** Where queued audit entries are appended from; shared with SetupRequests (one per process). */
  auditQueue?: AuditQueue;
  clock: Clock;
  logger: Logger;
  /** Everything verified, nothing recorded, for every request (SETUPBOT_DRY_RUN). */
  dryRunAll: boolean;
  /** Told after every stored change (start, each step, end) so cards can follow. */
  onProgress: (requestId: string) => Promise<void>;
  /**
   * Crash tests only (SETUPBOT_FAILPOINTS): called at `execution.beforeStep` (the step is marked
   * running, nothing done yet), `execution.afterEffect` (the step did its work, its outcome is
   * not stored yet) and `execution.afterStep` (the outcome is stored).
   */
  failpoint?: Failpoint;
}

export class Executor {
  private readonly active = new Set<string>();
  /** Requests this process is executing (claimed, started or running). */
  private readonly executing = new Set<string>();
  private readonly claims: ExecutionClaims;
  private readonly auditQueue: AuditQueue;

  constructor(private readonly deps: ExecutorDeps) {
    this.claims = deps.claims ?? ALWAYS_GRANTED;
    this.auditQueue = deps.auditQueue ?? new AuditQueue(deps.requests, deps.audit);
  }

  /**
   * approved → executing, once. Resolves false when someone else started it (or it is not
   * approved). A retried request keeps the steps it already did and runs the rest, in the mode
   * (dry run or not) of its first attempt.
   */
  async start(requestId: string): Promise<boolean> {
    const now = this.deps.clock.now().toISOString();
    const started = await this.mutate(requestId, (request) => {
      if (request.status !== 'approved') return undefined;
      const previous = request.execution;
      const dryRun = (previous?.dryRun ?? request.dryRun) || this.deps.dryRunAll;
      const steps = previous ? retryPlan(previous.steps) : planOf(request);
      const attempt = attemptOf(request);
      const toRun = steps.filter((step) => !isFinished(step.status)).length;
      return {
        ...request,
        status: 'executing',
        revision: request.revision + 1,
        updatedAt: now,
        execution: {
          dryRun,
          steps,
          startedAt: now,
          attempt,
          // entries the last run still owes the log (a stop before they were appended) stay first
          pendingAudit: [
            ...(previous?.pendingAudit ?? []),
            { action: 'execution_started', details: { steps: toRun, dryRun, attempt, ...(request.kind && request.kind !== 'setup' ? { kind: request.kind } : {}) }, key: randomUUID() },
          ],
        },
      };
    });
    if (!started) return false;
    await this.flushAudit(requestId);
    this.deps.logger.info({ event: 'execution_started', requestId }, 'executing approved setup request');
    await this.deps.onProgress(requestId);
    return true;
  }

  /**
   * Starts (if approved) and runs the request to its end, when this instance can claim it;
   * resolves true when it did (false: another instance or another call here has it).
   */
  async execute(requestId: string, onClaimed?: () => void): Promise<boolean> {
    if (this.executing.has(requestId)) return false;
    this.executing.add(requestId);
    try {
      const lease = await this.claims.claim(requestId);
      if (!lease) return false;
      onClaimed?.();
      try {
        await this.flushAudit(requestId); // entries a stopped runner queued but did not append
        await this.start(requestId);
        await this.runClaimed(requestId, lease);
      } finally {
        await lease.release().catch((error: unknown) => this.deps.logger.warn({ event: 'execution_release_failed', requestId, err: error }, 'could not give up the execution claim; it lapses on its own'));
      }
      return true;
    } finally {
      this.executing.delete(requestId);
    }
  }

  /**
   * Appends the audit entries a state change queued in the same write, then clears them. A
   * crash in between leaves them queued, and the next flush (at the latest on restart) appends
   * them; only a crash between the append and the clearing can repeat one.
   */
  private async flushAudit(requestId: string): Promise<void> {
    await this.auditQueue.flush(requestId);
  }

  /**
   * Finishes what a stopped process (or an instance that died) left: executing requests,
   * approved ones never started, and audit entries still queued. At start-up, and with several
   * instances now and then; each request only when its claim can be had. Resolves with the
   * requests it resumed.
   */
  async resumeAll(): Promise<string[]> {
    const unaudited = await this.deps.requests.find('unaudited', 'yes');
    for (const record of unaudited) {
      const status = record.value.status;
      if (status === 'executing' || status === 'approved' || this.executing.has(record.id)) continue; // the run flushes its own
      const lease = await this.claims.claim(record.id);
      if (!lease) continue;
      try {
        await this.flushAudit(record.id);
        if (status === 'succeeded' || status === 'failed') await this.deps.onProgress(record.id);
      } finally {
        await lease.release().catch(() => undefined);
      }
    }
    const pending = [...(await this.deps.requests.find('status', 'executing')), ...(await this.deps.requests.find('status', 'approved'))].filter((record) => !this.executing.has(record.id));
    const resumed = await Promise.all(
      pending.map(async (record) => {
        const ran = await this.execute(record.id, () =>
          this.deps.logger.info({ event: 'execution_resumed', requestId: record.id, status: record.value.status }, 'resuming setup request left unfinished (restart, or another instance stopped)'),
        );
        return ran ? record.id : undefined;
      }),
    );
    return resumed.filter((id): id is string => id !== undefined);
  }

  /** Runs the remaining steps of an executing request (one runner per request in this process). */
  async run(requestId: string): Promise<void> {
    await this.runClaimed(requestId, await ALWAYS_GRANTED.claim(requestId));
  }

  private async runClaimed(requestId: string, lease: HeldLease | undefined): Promise<void> {
    if (!lease || this.active.has(requestId)) return;
    this.active.add(requestId);
    try {
      for (;;) {
        const current = await this.deps.requests.get(requestId);
        const execution = current?.value.execution;
        if (!current || current.value.status !== 'executing' || !execution) return;
        if (!lease.valid()) {
          this.deps.logger.warn({ event: 'execution_claim_lost', requestId }, 'the execution claim could not be renewed; leaving the rest to the instance that holds it');
          return;
        }
        const index = execution.steps.findIndex((step) => !isFinished(step.status));
        if (index === -1) {
          await this.finish(requestId);
          return;
        }
        if (!(await this.runStep(current, index))) return;
      }
    } finally {
      this.active.delete(requestId);
    }
  }

  /** Runs one step and stores its outcome; false when another runner took the step over meanwhile. */
  private async runStep(request: Versioned<SetupRequest>, index: number): Promise<boolean> {
    const requestId = request.id;
    const startedAt = this.deps.clock.now().toISOString();
    const marked = await this.updateStep(requestId, index, (step) => ({ ...step, status: 'running', attempts: step.attempts + 1, startedAt }));
    const step = request.value.execution?.steps[index];
    const attempt = marked?.value.execution?.steps[index]?.attempts;
    if (!step || attempt === undefined) return false;
    const log = this.deps.logger.child({ requestId, step: step.kind, stepIndex: index });
    this.deps.failpoint?.('execution.beforeStep');
    let result: StepResult;
    try {
      result = await this.perform(request.value, step);
    } catch (error) {
      log.error({ event: 'step_error', err: error }, 'step failed unexpectedly');
      result = { status: 'failed', messages: [saidError(error)] };
    }
    this.deps.failpoint?.('execution.afterEffect');
    const finishedAt = this.deps.clock.now().toISOString();
    const { conflict, ...outcome } = result;
    // one write: the outcome, the steps it skips, a conflict found, and the audit entry still to
    // append; only by this attempt (a runner that took the step over after this one's claim
    // lapsed started another)
    const stored = await this.mutate(requestId, (current) => {
      if (!current.execution) return undefined;
      const now = current.execution.steps[index];
      if (now?.status !== 'running' || now.attempts !== attempt) return undefined;
      const steps = current.execution.steps.map((candidate, position): ExecutionStep => {
        if (position === index) return { ...candidate, ...outcome, finishedAt };
        if (result.status === 'failed' && position > index && !isFinished(candidate.status)) {
          return { ...candidate, status: 'skipped', messages: [domainMessage('step.skipped')] };
        }
        return candidate;
      });
      const audit = [...(current.execution.pendingAudit ?? []), { action: 'step_finished' as const, details: { step: step.title, outcome: result.status, ...(step.label ? { label: step.label } : {}) }, key: randomUUID() }];
      return { ...current, ...(conflict ? { conflict } : {}), execution: { ...current.execution, steps, pendingAudit: audit } };
    });
    if (!stored) {
      log.warn({ event: 'step_outcome_superseded', attempt }, 'another runner took this step over; its outcome stands, this one is dropped');
      return false;
    }
    this.deps.failpoint?.('execution.afterStep');
    await this.flushAudit(requestId);
    log.info({ event: 'step_finished', outcome: result.status }, 'execution step finished');
    await this.deps.onProgress(requestId);
    return true;
  }

  /** The step's body (steps/, one file per kind), with what it acts on. */
  private async perform(request: SetupRequest, step: ExecutionStep): Promise<StepResult> {
    const { registry, verifier, checker } = this.deps;
    return STEP_BODIES[step.kind]({
      request,
      step,
      parts: { registry, verifier, checker },
      dryRun: request.execution?.dryRun ?? false,
      // records of the requests this one replaces (Edit and resubmit) are taken over, not refused
      replaces: await predecessorsOf(this.deps.requests, request),
      now: this.deps.clock.now().toISOString(),
    });
  }

  private async finish(requestId: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const finished = await this.mutate(requestId, (request) => {
      if (request.status !== 'executing' || !request.execution) return undefined;
      const failed = request.execution.steps.some((step) => step.status === 'failed');
      const details = { dryRun: request.execution.dryRun, attempt: attemptOf(request), ...(request.conflict ? { conflict: true } : {}) };
      const pendingAudit = [...(request.execution.pendingAudit ?? []), { action: failed ? ('failed' as const) : ('succeeded' as const), details, key: randomUUID() }];
      return { ...request, status: failed ? 'failed' : 'succeeded', revision: request.revision + 1, updatedAt: now, execution: { ...request.execution, finishedAt: now, pendingAudit } };
    });
    if (!finished) return;
    await this.flushAudit(requestId);
    const { status } = finished.value;
    this.deps.logger.info({ event: 'execution_finished', requestId, status }, 'setup request execution finished');
    await this.deps.onProgress(requestId);
  }

  private updateStep(requestId: string, index: number, change: (step: ExecutionStep) => ExecutionStep): Promise<Versioned<SetupRequest> | undefined> {
    return this.mutate(requestId, (request) => {
      if (!request.execution) return undefined;
      const steps = request.execution.steps.map((step, position) => (position === index ? change(step) : step));
      return { ...request, execution: { ...request.execution, steps } };
    });
  }

  /** Compare-and-set update that retries a lost race; `undefined` from the change = leave as is. */
  private mutate(requestId: string, change: (request: SetupRequest) => SetupRequest | undefined): Promise<Versioned<SetupRequest> | undefined> {
    return updateExisting(this.deps.requests, requestId, change);
  }
}
