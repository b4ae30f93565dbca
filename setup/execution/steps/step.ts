/**
 * What an execution step is: a body that does one step of an approved request's plan, exactly
 * as the plan (../plans.ts) names it, and says how it went. Each body is idempotent: a re-run
 * after a crash (or by Retry) finds what it already did (the registry recognises its own
 * records) and does not do it again.
 */
import type { DomainText } from '../../model/messages.js';
import type { ExecutionStep } from '../../model/execution.js';
import type { ChangeConflict, SetupRequest } from '../../model/request.js';
import type { CheckOutcome, ConnectionCheck, ConnectionChecker, KeyVaultVerification, KeyVaultVerifier } from '../../model/verification.js';
import type { Registry } from '../../registry/registry.js';

export interface StepResult {
  status: CheckOutcome;
  /** What the step found, as messages (the card says them in the reader's words). */
  messages: DomainText[];
  verification?: KeyVaultVerification;
  connection?: ConnectionCheck;
  /** Set (with status failed) when the environment was found at a later version. */
  conflict?: ChangeConflict;
}

/** The parts of the outside world steps act on (handed in by the executor). */
export interface StepParts {
  registry: Registry;
  verifier: KeyVaultVerifier;
  checker: ConnectionChecker;
}

/** One step of one request, as its body sees it. */
export interface StepTurn {
  request: SetupRequest;
  step: ExecutionStep;
  parts: StepParts;
  /** Verify and tell, record nothing (the request's first attempt decided). */
  dryRun: boolean;
  /** Ids of the requests this one replaces (Edit and resubmit): their records are taken over, not refused. */
  replaces: readonly string[];
  /** The time of this step, ISO. */
  now: string;
}

export type StepBody = (turn: StepTurn) => Promise<StepResult>;
