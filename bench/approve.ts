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
import { BotClient, runLoad } from './load.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

/** Requests waiting for the bench approver in every history fixture. */
export const AWAITING_APPROVAL = 40;
const WARMUP_APPROVALS = 3;
const APPROVALS = 20;
/** Each click lands while the previous request's execution waits for Key Vault. */
const INTERVAL_MS = 1000;
const VAULT_DELAY_MS = 2000;
const DONE_WITHIN_MS = 90_000;

export async function runApprove(ctx: BenchContext): Promise<boolean> {
  const fixture = await historyFixture({ requests: 0, awaitingBenchApprover: AWAITING_APPROVAL, seed: ctx.options.seed }, ctx.log);
  const world = await BenchWorld.start({ vaultDelayMs: VAULT_DELAY_MS });
  try {
    ctx.log(`approve: ${APPROVALS} approvals (+${WARMUP_APPROVALS} warm-up), one every ${INTERVAL_MS} ms; each execution waits ${VAULT_DELAY_MS / 1000} s for Key Vault`);
    const dataFile = await copyFixture(fixture, path.join(world.dir, 'store'));
    const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'approve'), dataFile, approvers: fixture.plan.approvers.map((approver) => approver.objectId) });
    const client = new BotClient(bot.url, 2);
    try {
      const [first] = fixture.plan.approvers;
      const approver = benchUser(world, first.name, first.objectId);
      const queue = [...fixture.plan.awaiting];
      const approved = queue.map((request) => request.id);
      const started = performance.now();
      const result = await runLoad(async () => approveConversation(world, client, approver, queue, INTERVAL_MS), {
        concurrency: 1,
        warmupMs: 0,
        warmupSteps: WARMUP_APPROVALS,
        durationMs: 120_000,
        maxSteps: APPROVALS,
      });
      ctx.log(`  approve: ${describeLoad(result)}`);
      const clicked = approved.slice(0, approved.length - queue.length);
      // every approved request runs to Done: its card copies are updated through the outbox
      const done = new Set<string>();
      const deadline = performance.now() + DONE_WITHIN_MS;
      while (done.size < clicked.length && performance.now() < deadline) {
        for (const call of world.connector.deliveredUpdates()) {
          const text = JSON.stringify(call.body);
          for (const id of clicked) if (!done.has(id) && text.includes(`${id} · Done`)) done.add(id);
        }
        if (done.size < clicked.length) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const allDoneSeconds = (performance.now() - started) / 1000;
      const vaultReads = world.vault.authenticatedRequests.filter((request) => request.status === 200).length;
      ctx.results.set('approve.p50Ms', result.latency.p50Ms, 'ms');
      ctx.results.set('approve.p99Ms', result.latency.p99Ms, 'ms');
      ctx.results.set('approve.maxMs', result.latency.maxMs, 'ms');
      ctx.results.set('approve.approvals', result.steps);
      ctx.results.set('approve.executionsDone', done.size);
      ctx.results.set('approve.vaultReads', vaultReads);
      ctx.results.set('approve.allDoneSeconds', allDoneSeconds, 's');
      if (result.errors > 0) ctx.results.set('approve.errors', result.errors);
      const ok = result.errors === 0 && result.finished && done.size === clicked.length && vaultReads >= clicked.length;
      if (!ok) ctx.log(`  approve: ${done.size} of ${clicked.length} approved requests reached Done, ${vaultReads} Key Vault reads${result.firstError ? `; ${result.firstError}` : ''}`);
      return ok;
    } finally {
      client.close();
      await bot.stop();
    }
  } finally {
    await world.stop();
  }
}
