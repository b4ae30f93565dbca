/**
 * The built bot as its own process, killed right after it queued a reminder in the outbox and
 * before it marked it sent (failpoint `reminders.afterQueue`), then started again on the same
 * data file: no approver gets that reminder twice — each gets it once, except that one whose post
 * was in flight at the kill (in doubt) is not posted again and may have been lost — and the
 * audit log has one `reminder_sent` entry. Real time here (a child process has no fake clock): the reminder
 * point is 10 s after submission, and every wait is for an event, bounded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditEntry } from '../../setup/audit/audit.js';
import type { SetupRequest } from '../../setup/model/request.js';
import { readStoreContents } from '../../storage/journal/offline-reader.js';
import { teamsUser, type TeamsUser } from '../harness/activities.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardOf, cardText } from '../harness/card-check.js';
import { ChildCardClient, ChildTeams } from '../harness/child-teams.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';
import { VAULT_URI } from '../harness/scenarios.js';

const WAIT_MS = 40_000;
const requester = teamsUser('Riley Requester');
const approverA = teamsUser('Ada Approver');
const approverB = teamsUser('Bo Approver');

/** Polls an async probe until it answers (bounded). */
async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a reminder across a crash between queueing it and marking it sent', () => {
  const connector = new ConnectorStandIn();
  const bots: BotProcess[] = [];
  let dir = '';
  let env: Record<string, string> = {};
  const teams = new ChildTeams(connector, () => bots[bots.length - 1]);

  beforeAll(async () => {
    await connector.start();
    dir = await mkdtemp(path.join(tmpdir(), 'setupbot-reminder-crash-'));
    env = {
      HOST: '127.0.0.1',
      PORT: '0',
      SETUPBOT_DATA_FILE: path.join(dir, 'setupbot.json'),
      SETUPBOT_LOG_LEVEL: 'info',
      SETUPBOT_APPROVERS: [approverA.aadObjectId, approverB.aadObjectId].join(','),
      SETUPBOT_APPROVAL_TTL: '60s',
      SETUPBOT_APPROVAL_REMINDERS: '50s',
      SETUPBOT_EXPIRY_CHECK_INTERVAL: '500ms',
    };
  });
  afterAll(async () => {
    for (const bot of bots) {
      bot.signal('SIGKILL');
      await bot.exited(5000).catch(() => undefined);
    }
    await connector.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function startBot(extra: Record<string, string> = {}): Promise<BotProcess> {
    const bot = new BotProcess({ ...env, ...extra });
    bots.push(bot);
    await bot.start();
    return bot;
  }

  function remindersTo(user: TeamsUser, id: string): number {
    const chat = new ChildCardClient(teams, user).conversationId;
    return connector.sentActivities(chat).filter((activity) => activity.attachments?.length && cardText(cardOf(activity)).includes(`Reminder: ${id}`)).length;
  }

  test('killed after queueing: started again, each approver has the reminder once, and one audit entry', async () => {
    const first = await startBot({ SETUPBOT_FAILPOINTS: 'reminders.afterQueue' });
    for (const user of [requester, approverA, approverB]) await teams.install(user);
    const client = new ChildCardClient(teams, requester);
    await client.say('setup');
    await client.click({ verb: 'setup.next' }, { 'environment.name': 'crash-remind-env', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
    await client.click({ verb: 'setup.next' }, { 'keyVault.name': 'crash-remind-env-kv', 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': 'storage-sas-token' });
    await client.click({ verb: 'setup.skip' });
    await client.click({ verb: 'setup.submit' });
    const id = /SR-\d{4}/.exec(cardText(client.card))?.[0] ?? '';
    expect(id).toMatch(/^SR-\d{4}$/);

    // 10 s later the reminder is due: recorded, queued, and the process kills itself
    const exit = await first.exited(WAIT_MS);
    expect(exit.signal).toBe('SIGKILL');
    expect(first.output.some((line) => line.includes('failpoint reminders.afterQueue'))).toBe(true);
    const atCrash = await readStoreContents(env.SETUPBOT_DATA_FILE);
    const recorded = atCrash.collections.requests?.[id]?.value as SetupRequest;
    expect(recorded.followUps).toEqual([expect.objectContaining({ kind: 'reminder', sent: false, to: [approverA.aadObjectId, approverB.aadObjectId] })]);

    await startBot();
    // the restarted process finishes it: the follow-up marked sent, the outbox empty
    await until(async () => {
      const data = await readStoreContents(env.SETUPBOT_DATA_FILE);
      const request = data.collections.requests?.[id]?.value as SetupRequest | undefined;
      const queued = Object.keys(data.collections.outbox ?? {}).length;
      return request?.followUps?.every((followUp) => followUp.sent) && queued === 0 ? true : undefined;
    }, 'the reminder to be sent and marked after the restart');
    // marked sent, it is never queued again (a pass queues only follow-ups not marked sent). A
    // reminder whose post was in flight at the kill is in doubt: never posted again, so it
    // arrived once or (killed before the post left) not at all; every other one arrives once.
    const inDoubt = bots[bots.length - 1].output.filter((line) => line.includes('"event":"outbox_in_doubt"') && line.includes(`approval reminder ${id}`));
    for (const user of [approverA, approverB]) {
      const doubted = inDoubt.some((line) => line.includes(user.aadObjectId));
      if (doubted) expect(remindersTo(user, id)).toBeLessThanOrEqual(1);
      else expect(remindersTo(user, id)).toBe(1);
    }
    expect(remindersTo(requester, id)).toBe(0);
    const data = await readStoreContents(env.SETUPBOT_DATA_FILE);
    const audit = Object.values(data.collections.audit ?? {}).map((record) => record.value as AuditEntry).filter((entry) => entry.requestId === id);
    expect(audit.filter((entry) => entry.action === 'reminder_sent')).toHaveLength(1);
    const request = data.collections.requests?.[id]?.value as SetupRequest;
    // delivered, or in doubt (counted as reached): neither will be sent again
    expect(request.followUps?.[0].delivered?.sort()).toEqual([approverA.aadObjectId, approverB.aadObjectId].sort());
  });
});
