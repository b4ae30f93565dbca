/**
 * approve: Approve clicked on the approval card (adaptiveCard/action invoke) → the HTTP answer
 * with the updated card, while the execution each approval starts takes 2 s: the Key Vault
 * stand-in (reached through the proxy as contoso-einvoicing.vault.azure.net) holds every
 * authenticated answer 2 s. The store holds the requests waiting for the approver (a history
 * fixture with no past requests); one approval a second, so each lands while the previous
 * request's execution is waiting for Key Vault. Afterwards every approved request must reach Done.
 */
import path from 'node:path';
import { profileDir, type BenchContext } from './context.js';
import { approveConversation, benchUser } from './conversations.js';
import { copyFixture, historyFixture } from './fixture-cache.js';
import { describeLoad } from './levels.js';
import { BotClient, runLoad, type LoadResult } from './load.js';
import type { HistoryPlan } from './history-fixture.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

/** Requests waiting for the bench approver in every history fixture. */
export const AWAITING_APPROVAL = 40;
export const WARMUP_APPROVALS = 3;
export const APPROVALS = 20;
/** Each click lands while the previous request's execution waits for Key Vault. */
const INTERVAL_MS = 1000;
export const VAULT_DELAY_MS = 2000;
const DONE_WITHIN_MS = 90_000;

/** What one series of approvals on one bot gave. */
export interface ApprovalRun {
  result: LoadResult;
  clicked: number;
  /** Approved requests whose cards reached Done (every execution ran to its end). */
  done: number;
  vaultReads: number;
  allDoneSeconds: number;
}

/**
 * The bench approver clicks Approve on the waiting requests of `plan`, one every INTERVAL_MS,
 * while each execution waits for Key Vault; then waits for every approved request to reach Done.
 */
export async function runApprovals(world: BenchWorld, botUrl: string, plan: HistoryPlan): Promise<ApprovalRun> {
  const client = new BotClient(botUrl, 2);
  try {
    const [first] = plan.approvers;
    const approver = benchUser(world, first.name, first.objectId);
    const queue = [...plan.awaiting];
    const approved = queue.map((request) => request.id);
    const readsBefore = world.vault.authenticatedRequests.filter((request) => request.status === 200).length;
    // only this series' card updates count (another bot in the same world may have used the same request ids)
    const updatesBefore = world.connector.deliveredUpdates().length;
    const started = performance.now();
    const result = await runLoad(async () => approveConversation(world, client, approver, queue, INTERVAL_MS), {
      concurrency: 1,
      warmupMs: 0,
      warmupSteps: WARMUP_APPROVALS,
      durationMs: 120_000,
      maxSteps: APPROVALS,
    });
    const clicked = approved.slice(0, approved.length - queue.length);
    // every approved request runs to Done: its card copies are updated through the outbox
    const done = new Set<string>();
    const deadline = performance.now() + DONE_WITHIN_MS;
    while (done.size < clicked.length && performance.now() < deadline) {
      for (const call of world.connector.deliveredUpdates().slice(updatesBefore)) {
        const text = JSON.stringify(call.body);
        for (const id of clicked) if (!done.has(id) && text.includes(`${id} · Done`)) done.add(id);
      }
      if (done.size < clicked.length) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const vaultReads = world.vault.authenticatedRequests.filter((request) => request.status === 200).length - readsBefore;
    return { result, clicked: clicked.length, done: done.size, vaultReads, allDoneSeconds: (performance.now() - started) / 1000 };
  } finally {
    client.close();
  }
}

export function approvalsOk(run: ApprovalRun): boolean {
  return run.result.errors === 0 && run.result.finished && run.done === run.clicked && run.vaultReads >= run.clicked;
}

export async function runApprove(ctx: BenchContext): Promise<boolean> {
  const fixture = await historyFixture({ requests: 0, awaitingBenchApprover: AWAITING_APPROVAL, seed: ctx.options.seed }, ctx.log);
  const world = await BenchWorld.start({ vaultDelayMs: VAULT_DELAY_MS });
  try {
    ctx.log(`approve: ${APPROVALS} approvals (+${WARMUP_APPROVALS} warm-up), one every ${INTERVAL_MS} ms; each execution waits ${VAULT_DELAY_MS / 1000} s for Key Vault`);
    const dataFile = await copyFixture(fixture, path.join(world.dir, 'store'));
    const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'approve'), dataFile, approvers: fixture.plan.approvers.map((approver) => approver.objectId) });
    try {
      const run = await runApprovals(world, bot.url, fixture.plan);
      ctx.log(`  approve: ${describeLoad(run.result)}`);
      ctx.results.set('approve.p50Ms', run.result.latency.p50Ms, 'ms');
      ctx.results.set('approve.p99Ms', run.result.latency.p99Ms, 'ms');
      ctx.results.set('approve.maxMs', run.result.latency.maxMs, 'ms');
      ctx.results.set('approve.approvals', run.result.steps);
      ctx.results.set('approve.executionsDone', run.done);
      ctx.results.set('approve.vaultReads', run.vaultReads);
      ctx.results.set('approve.allDoneSeconds', run.allDoneSeconds, 's');
      if (run.result.errors > 0) ctx.results.set('approve.errors', run.result.errors);
      const ok = approvalsOk(run);
      if (!ok) ctx.log(`  approve: ${run.done} of ${run.clicked} approved requests reached Done, ${run.vaultReads} Key Vault reads${run.result.firstError ? `; ${run.result.firstError}` : ''}`);
      return ok;
    } finally {
      await bot.stop();
    }
  } finally {
    await world.stop();
  }
}
