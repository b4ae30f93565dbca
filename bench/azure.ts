/**
 * azure: the Azure Storage backend on Azurite against the embedded store, in the same world and
 * the same run: `help` at c = 1, 8, 32 (the embedded bot measured around each level, as help does
 * with echo) and the approve series (each execution waiting 2 s for Key Vault) on each backend.
 * Ratios are Azure ÷ embedded. Azurite is a local emulator: each storage call is a loopback HTTP
 * round trip, not the network latency of a real storage account.
 */
import path from 'node:path';
import { COLLECTIONS as APP_COLLECTIONS } from '../bot/collections.js';
import { AzureStore } from '../storage/azure/azure-store.js';
import { Azurite, uniqueStorageNames } from '../test/harness/azurite.js';
import { approvalsOk, AWAITING_APPROVAL, runApprovals, VAULT_DELAY_MS, type ApprovalRun } from './approve.js';
import { ratio } from './stats.js';
import type { BenchContext } from './context.js';
import { sayConversation } from './conversations.js';
import { BENCH_APPROVAL_TTL_MS, copyFixture, historyFixture, type Fixture } from './fixture-cache.js';
import { COLLECTIONS, historyRecords, type SeedRecord } from './history-fixture.js';
import { anyErrors, describeLoad, measurePaired } from './levels.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

const SETTING = 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING';

/** The bot environment that puts setupbot on Azurite (one table and container per bot). */
function azureEnv(azurite: Azurite, names: { table: string; container: string }): Record<string, string> {
  return {
    SETUPBOT_STORAGE: 'azure',
    SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    SETUPBOT_AZURE_TABLE: names.table,
    SETUPBOT_AZURE_CONTAINER: names.container,
  };
}

/** Writes the fixture's records (the same ones the embedded fixture holds) into an Azure table and container. */
async function seedAzure(azurite: Azurite, names: { table: string; container: string }, fixture: Fixture, seed: number): Promise<void> {
  const endpoint = { kind: 'connectionString' as const, connectionString: azurite.connectionString, setting: SETTING };
  const store = await AzureStore.open({ tables: endpoint, blobs: endpoint, tableName: names.table, containerName: names.container, collections: APP_COLLECTIONS });
  try {
    const botState: SeedRecord[] = [];
    async function* records(): AsyncIterable<SeedRecord> {
      const options = { requests: 0, awaitingBenchApprover: AWAITING_APPROVAL, seed, now: new Date(fixture.now), approvalTtlMs: BENCH_APPROVAL_TTL_MS };
      for await (const record of historyRecords(options)) {
        if (record.collection === COLLECTIONS.botState) botState.push(record);
        else yield record;
      }
    }
    await store.importRecords(records());
    if (botState.length > 0) await store.botStorage().write(Object.fromEntries(botState.map((record) => [record.id, record.value as Record<string, unknown>])));
  } finally {
    await store.close();
  }
}

function recordApprovals(ctx: BenchContext, key: string, run: ApprovalRun): void {
  ctx.results.set(`${key}.p50Ms`, run.result.latency.p50Ms, 'ms');
  ctx.results.set(`${key}.p99Ms`, run.result.latency.p99Ms, 'ms');
  ctx.results.set(`${key}.executionsDone`, run.done);
}

export async function runAzure(ctx: BenchContext): Promise<boolean> {
  const fixture = await historyFixture({ requests: 0, awaitingBenchApprover: AWAITING_APPROVAL, seed: ctx.options.seed }, ctx.log);
  const azurite = await Azurite.start();
  const world = await BenchWorld.start({ vaultDelayMs: VAULT_DELAY_MS });
  const ok: boolean[] = [];
  try {
    ctx.log('azure: setupbot on Azurite (Tables + Blobs) against the embedded store, same world');
    // help: an empty store on each backend
    {
      const embedded = await startSetupbot(world, { name: 'setupbot-embedded', dataFile: path.join(world.dir, 'help', 'setupbot.json') });
      const azure = await startSetupbot(world, { name: 'setupbot-azure', dataFile: path.join(world.dir, 'help-azure', 'unused.json'), env: azureEnv(azurite, uniqueStorageNames('help')) });
      try {
        const { bot: levels, baseline } = await measurePaired(
          ctx,
          'azure help',
          { url: azure.url, conversation: (client, index, level) => sayConversation(world, client, 500_000 + level * 1000 + index, 'help') },
          { what: 'embedded help', url: embedded.url, conversation: (client, index, level) => sayConversation(world, client, level * 1000 + index, 'help') },
        );
        for (const [level, result] of levels) {
          const base = baseline.get(level);
          const key = `azure.help.c${level}`;
          ctx.results.set(`${key}.throughput`, result.throughput, 'turns/s');
          ctx.results.set(`${key}.p50Ms`, result.latency.p50Ms, 'ms');
          ctx.results.set(`${key}.p99Ms`, result.latency.p99Ms, 'ms');
          if (!base) continue;
          ctx.results.set(`${key}.embeddedThroughput`, base.throughput, 'turns/s');
          ctx.results.set(`${key}.embeddedP99Ms`, base.latency.p99Ms, 'ms');
          ctx.results.set(`${key}.throughputRatio`, ratio(result.throughput, base.throughput), '× embedded');
          ctx.results.set(`${key}.p50Ratio`, ratio(result.latency.p50Ms, base.latency.p50Ms), '× embedded');
          ctx.results.set(`${key}.p99Ratio`, ratio(result.latency.p99Ms, base.latency.p99Ms), '× embedded');
        }
        ok.push(!anyErrors(levels) && !anyErrors(baseline));
      } finally {
        await azure.stop();
        await embedded.stop();
      }
    }
    // approve: the same waiting requests on each backend, one backend after the other
    const approvers = fixture.plan.approvers.map((approver) => approver.objectId);
    const runs: Record<'embedded' | 'azure', ApprovalRun | undefined> = { embedded: undefined, azure: undefined };
    {
      const bot = await startSetupbot(world, { name: 'approve-embedded', dataFile: await copyFixture(fixture, path.join(world.dir, 'approve')), approvers });
      try {
        runs.embedded = await runApprovals(world, bot.url, fixture.plan);
        ctx.log(`  embedded approve: ${describeLoad(runs.embedded.result)}`);
      } finally {
        await bot.stop();
      }
    }
    {
      const names = uniqueStorageNames('approve');
      await seedAzure(azurite, names, fixture, ctx.options.seed);
      const bot = await startSetupbot(world, { name: 'approve-azure', dataFile: path.join(world.dir, 'approve-azure', 'unused.json'), approvers, env: azureEnv(azurite, names) });
      try {
        runs.azure = await runApprovals(world, bot.url, fixture.plan);
        ctx.log(`  azure approve: ${describeLoad(runs.azure.result)}`);
      } finally {
        await bot.stop();
      }
    }
    recordApprovals(ctx, 'azure.approve.embedded', runs.embedded);
    recordApprovals(ctx, 'azure.approve', runs.azure);
    ctx.results.set('azure.approve.p50Ratio', ratio(runs.azure.result.latency.p50Ms, runs.embedded.result.latency.p50Ms), '× embedded');
    ctx.results.set('azure.approve.p99Ratio', ratio(runs.azure.result.latency.p99Ms, runs.embedded.result.latency.p99Ms), '× embedded');
    for (const [which, run] of Object.entries(runs)) {
      if (run && !approvalsOk(run)) ctx.log(`  ${which} approve: ${run.done} of ${run.clicked} reached Done, ${run.vaultReads} Key Vault reads, ${run.result.errors} errors, finished ${run.result.finished}${run.result.firstError ? `; ${run.result.firstError}` : ''}`);
      ok.push(run !== undefined && approvalsOk(run));
    }
    return ok.every(Boolean);
  } finally {
    await world.stop();
    await azurite.stop();
  }
}
