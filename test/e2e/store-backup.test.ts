/**
 * Online backup of the embedded store, against the built bot: while three admins keep writing
 * drafts and submitting requests (small segments, so checkpoints and compaction run all along),
 * `npm run store -- backup` (its function, takeBackup) asks the bot for snapshots (SIGUSR2 and a
 * request file); each is whole and holds every request acknowledged before it was asked for.
 * A bot started on a backup opens it and serves. A bare SIGUSR2 backs up into backups/<time>.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SetupRequest } from '../../setup/model/request.js';
import { takeBackup } from '../../storage/journal/backup-request.js';
import { inspectStore } from '../../storage/journal/inspect.js';
import { readStoreContents } from '../../storage/journal/offline-reader.js';
import { teamsUser } from '../harness/activities.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardText } from '../harness/card-check.js';
import { ChildCardClient, ChildTeams } from '../harness/child-teams.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';
import { waitFor } from '../harness/http-json.js';

const SEGMENT_BYTES = 16 * 1024;

let dir = '';
let connector: ConnectorStandIn;
const bots: BotProcess[] = [];
let current: BotProcess | undefined;

function env(dataFile: string): Record<string, string> {
  return { HOST: '127.0.0.1', PORT: '0', SETUPBOT_DATA_FILE: dataFile, SETUPBOT_JOURNAL_SEGMENT_BYTES: String(SEGMENT_BYTES), SETUPBOT_LOG_LEVEL: 'info' };
}

async function startBot(dataFile: string): Promise<BotProcess> {
  const bot = new BotProcess(env(dataFile));
  bots.push(bot);
  await bot.start();
  current = bot;
  return bot;
}

beforeEach(async () => {
  connector = new ConnectorStandIn();
  await connector.start();
  dir = await mkdtemp(path.join(tmpdir(), 'setupbot-store-backup-'));
});

afterEach(async () => {
  for (const bot of bots.splice(0)) {
    bot.signal('SIGKILL');
    await bot.exited(5000).catch(() => undefined);
  }
  await connector.stop();
  await rm(dir, { recursive: true, force: true });
});

async function submitOne(teams: ChildTeams, admin: ReturnType<typeof teamsUser>, environment: string): Promise<string> {
  const client = new ChildCardClient(teams, admin);
  await client.say('setup');
  await client.click({ verb: 'setup.next' }, { 'environment.name': environment, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  await client.click({ verb: 'setup.next' }, { 'keyVault.name': `${environment}-kv`, 'keyVault.keyVaultUri': 'https://contoso-einvoicing.vault.azure.net/', 'keyVault.storageSasSecretName': 'storage-sas-token' });
  await client.click({ verb: 'setup.skip' });
  await client.click({ verb: 'setup.submit' });
  const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
  if (!id) throw new Error(`no request id: ${cardText(client.card)}`);
  return id;
}

test('backups taken under load are whole, hold everything acknowledged before them, and a bot starts on one', async () => {
  const dataFile = path.join(dir, 'live', 'setupbot.json');
  const bot = await startBot(dataFile);
  const teams = new ChildTeams(connector, () => current ?? bot);
  const acknowledged: string[] = [];
  let running = true;
  const admins = ['Avery', 'Blake', 'Casey'].map((name) => teamsUser(`${name} Admin`));
  const loops = admins.map(async (admin, index) => {
    for (let cycle = 1; running; cycle++) acknowledged.push(await submitOne(teams, admin, `backup-${index}-${cycle}`));
  });

  const backups: { dataFile: string; before: string[] }[] = [];
  for (let round = 1; round <= 3; round++) {
    await waitFor(() => acknowledged.length >= round * 6, 60_000, `${round * 6} acknowledged submits`);
    const before = [...acknowledged];
    const manifest = await takeBackup(dataFile, path.join(dir, `backup-${round}`));
    expect(manifest.mode).toBe('online');
    backups.push({ dataFile: manifest.dataFile, before });
    process.stdout.write(`backup ${round} under load: ${before.length} requests acknowledged before it was asked for, ${acknowledged.length} by the time it was written; ${manifest.segments.length} segments, ${manifest.bytes} bytes\n`);
  }
  running = false;
  await Promise.all(loops);
  // the load rolled segments and compacted meanwhile
  expect(bot.output.some((line) => line.includes('"event":"store_compacted"') || line.includes('"event":"store_segment_removed"'))).toBe(true);
  expect(bot.output.filter((line) => line.includes('"event":"store_backup_written"'))).toHaveLength(3);

  for (const backup of backups) {
    const inspection = await inspectStore(backup.dataFile);
    expect(inspection.opens).toBe(true);
    expect(inspection.lost).toEqual([]);
    const requests = inspection.collections.get('requests');
    for (const id of backup.before) expect(requests?.has(id)).toBe(true);
  }

  // restore: a bot on the last backup opens it and serves (the live bot keeps its own files)
  const last = backups[backups.length - 1];
  const restored = await startBot(last.dataFile);
  expect(restored.output.some((line) => line.includes('"event":"startup_failed"'))).toBe(false);
  const fresh = new ChildCardClient(teams, teamsUser('Drew Admin'));
  await fresh.say('setup');
  expect(cardText(fresh.card)).toContain('Step 1 of 4');
  restored.signal('SIGTERM');
  expect((await restored.exited()).code).toBe(0);
  const contents = await readStoreContents(last.dataFile);
  for (const id of last.before) expect((contents.collections.requests?.[id]?.value as SetupRequest | undefined)?.id).toBe(id);
}, 150_000);

test('a bare SIGUSR2 writes a backup into backups/<time> beside the data file', async () => {
  const dataFile = path.join(dir, 'live', 'setupbot.json');
  const bot = await startBot(dataFile);
  const teams = new ChildTeams(connector, () => bot);
  const id = await submitOne(teams, teamsUser('Avery Admin'), 'signal-only');
  bot.signal('SIGUSR2');
  await waitFor(() => bot.output.find((line) => line.includes('"event":"store_backup_written"')), 20_000, 'the backup to be written');
  const folders = await readdir(path.join(dir, 'live', 'backups'));
  expect(folders).toHaveLength(1);
  const manifest = JSON.parse(await readFile(path.join(dir, 'live', 'backups', folders[0], 'BACKUP.json'), 'utf8')) as { mode: string; dataFile: string };
  expect(manifest.mode).toBe('online');
  const contents = await readStoreContents(manifest.dataFile);
  expect(contents.collections.requests?.[id]).toBeDefined();
}, 60_000);
