/**
 * Two built bot processes on one Azure Storage account (Azurite, started here): Teams sends a
 * conversation's turns and its duplicate resends to whichever instance it likes, and everything
 * that holds on one instance holds across them — a card is decided once, a setup runs once, a
 * message is sent once, within Teams' limits, and an instance that dies has its work taken over.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyAuditChain } from '../../setup/audit/audit.js';
import type { SetupRequest } from '../../setup/model/request.js';
import { cardExecute, personalMessage, teamsUser, type TeamsUser } from '../harness/activities.js';
import { Azurite } from '../harness/azurite.js';
import { approvalCardFor, AzureInstances, postTo, submitSetup, WAIT_MS } from '../harness/azure-instances.js';
import type { BotProcess } from '../harness/bot-process.js';
import { cardOf, cardText } from '../harness/card-check.js';
import { actionsOf, inputValues } from '../harness/card-client.js';
import { ChildCardClient } from '../harness/child-teams.js';
import type { ConnectorCall, ConnectorStandInOptions } from '../harness/connector-standin.js';
import { OUTBOX } from '../../outbox/outbox.js';
import { CERT_ITEM, ExecutionWorld, SAS_SECRET, VAULT_URI } from '../harness/execution-world.js';
import { waitFor } from '../harness/http-json.js';

const CHANNEL = '19:setup-notifications@thread.tacv2';
const ALL_STEPS = ['submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished', 'step_finished', 'succeeded'];

let azurite: Azurite;
let rig: AzureInstances | undefined;
let world: ExecutionWorld | undefined;
let dir = '';

beforeAll(async () => {
  azurite = await Azurite.start();
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'setupbot-instances-'));
});

afterEach(async () => {
  await rig?.stop();
  await world?.close();
  rig = undefined;
  world = undefined;
  await rm(dir, { recursive: true, force: true });
});

function stepSummary(request: SetupRequest | undefined): { kind: string; status: string; attempts: number }[] {
  return (request?.execution?.steps ?? []).map((step) => ({ kind: step.kind, status: step.status, attempts: step.attempts }));
}

async function actionsOfRequest(current: AzureInstances, id: string): Promise<string[]> {
  return (await current.audit()).filter((entry) => entry.requestId === id).map((entry) => entry.action);
}

/** Two bots on the rig's store, with the execution stand-ins and these approvers. */
async function twoBots(
  approvers: TeamsUser[],
  options: { financeAnswer?: 'normal' | 'never'; env?: Record<string, string>; connector?: ConnectorStandInOptions } = {},
): Promise<{ current: AzureInstances; execution: ExecutionWorld }> {
  const execution = await ExecutionWorld.start(dir, { answer: options.financeAnswer ?? 'normal' });
  world = execution;
  const env = { ...execution.env, SETUPBOT_APPROVERS: approvers.map((user) => user.aadObjectId).join(','), ...options.env };
  const current = await new AzureInstances(azurite, env, options.connector).start();
  rig = current;
  await Promise.all([current.startBot(), current.startBot()]);
  return { current, execution };
}

describe('two instances on one Azure Storage account', () => {
  test('the same approve click sent to both at once, and 20 duplicates over both: one decision, one execution, one audit entry per transition, each Key Vault item read once', async () => {
    const approver = teamsUser('Ada Approver');
    const requester = teamsUser('Riley Requester');
    const { current, execution } = await twoBots([approver]);
    const teams = current.teams(current.alternating());
    await teams.install(approver);
    await teams.install(requester);
    const id = await submitSetup(new ChildCardClient(teams, requester), { environment: 'dup-env', vaultUri: VAULT_URI, sasSecret: SAS_SECRET, certificate: CERT_ITEM, financeUrl: execution.finance.url('/') });

    // the approval card, as the approver's Teams client would click it, once
    const card = await approvalCardFor(teams, approver, id);
    const action = actionsOf(card.card).find((candidate) => (candidate.verb ?? candidate.data.verb) === 'request.approve');
    if (!action) throw new Error(`no Approve button: ${cardText(card.card)}`);
    const click = cardExecute(teams.scene, approver, { kind: 'personal' }, action.verb ?? String(action.data.verb), { ...inputValues(card.card), ...action.data, comment: 'Go ahead' }, card.messageId);
    const [first, second] = current.bots;
    const answers = await Promise.all([
      postTo(first, click),
      postTo(second, click),
      ...Array.from({ length: 20 }, async (_, index) => {
        await new Promise((resolve) => setTimeout(resolve, index * 15));
        return postTo(index % 2 === 0 ? first : second, click);
      }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 22 }, () => 200));
    const bodies = answers.map((answer) => JSON.stringify(answer.body));
    expect(bodies.some((body) => body.includes(`${id} · Approved`))).toBe(true);

    const done = await current.settled(id, 'succeeded');
    expect(done.approvals.map((decision) => decision.name)).toEqual(['Ada Approver']);
    expect(stepSummary(done).map((step) => [step.status, step.attempts])).toEqual([['ok', 1], ['ok', 1], ['ok', 1], ['ok', 1]]);
    expect(await actionsOfRequest(current, id)).toEqual(ALL_STEPS);
    const audit = await current.audit();
    expect(verifyAuditChain(audit)).toEqual({ ok: true, entries: audit.length });
    expect(await (await current.auditLog()).verify()).toEqual({ ok: true, entries: audit.length });
    // the vault: each item read once, by one instance; Finance checked once
    expect(execution.vaultReads().sort()).toEqual([CERT_ITEM, SAS_SECRET].sort());
    expect(execution.finance.requests).toHaveLength(1);
    const started = current.bots.filter((bot) => bot.output.some((line) => line.includes('"event":"execution_started"')));
    expect(started).toHaveLength(1);
  }, 180_000);

  test('a setup dialog whose turns alternate between the instances keeps its state and ends in one request', async () => {
    const requester = teamsUser('Alex Alternating');
    const { current } = await twoBots([]);
    const served: number[] = [];
    let turn = 0;
    const teams = current.teams(() => {
      const index = turn++ % 2;
      served.push(index);
      return current.bots[index];
    });
    await teams.install(requester);
    const client = new ChildCardClient(teams, requester);
    const id = await submitSetup(client, { environment: 'alternating-env', vaultUri: VAULT_URI, sasSecret: SAS_SECRET, certificate: CERT_ITEM });
    expect(new Set(served)).toEqual(new Set([0, 1]));

    const requests = await current.requests();
    expect(requests.map((request) => request.id)).toEqual([id]);
    const [request] = requests;
    expect(request.requester.objectId).toBe(requester.aadObjectId.toLowerCase());
    expect(request.content.environment.name).toBe('alternating-env');
    expect(request.content.environment.users).toEqual([expect.objectContaining({ userId: 'alice', email: 'alice@contoso.com' })]);
    expect(request.content.keyVault).toMatchObject({ name: 'alternating-env-kv', keyVaultUri: VAULT_URI, storageSasSecretName: SAS_SECRET, items: [expect.objectContaining({ name: CERT_ITEM, type: 'Certificate' })] });
    expect(await actionsOfRequest(current, id)).toEqual(['submitted']);

    // the draft is closed, on both instances: a new "setup" starts afresh wherever it lands
    await client.say('setup');
    expect(cardText(client.card)).toContain('Step 1 of 4');
    expect(cardText(client.card)).not.toContain('alternating-env');
  }, 180_000);

  test('notifications from both instances to one channel: none duplicated, never over Teams\' per-conversation limits', async () => {
    const { current: notifying } = await twoBots([], { env: { SETUPBOT_NOTIFY_CHANNELS: CHANNEL, SETUPBOT_APPROVAL_CHANNEL: CHANNEL }, connector: { enforceTeamsLimits: true, dedupeActivityIds: true } });
    const requesters = Array.from({ length: 6 }, (_, index) => teamsUser(`Requester ${index + 1}`));
    const ids = await Promise.all(
      requesters.map(async (requester, index) => {
        const own = notifying.bots[index % 2];
        const teams = notifying.teams(() => own);
        await teams.install(requester);
        const id = await submitSetup(new ChildCardClient(teams, requester), { environment: `notify-env-${index + 1}`, vaultUri: VAULT_URI, sasSecret: SAS_SECRET });
        // withdrawn through the other instance
        const other = notifying.bots[(index + 1) % 2];
        const otherTeams = notifying.teams(() => other);
        expect((await otherTeams.post(personalMessage(otherTeams.scene, requester, `cancel ${id}`))).status).toBe(200);
        return id;
      }),
    );
    const { connector } = notifying;
    const sends = (): ConnectorCall[] => connector.deliveredSends(CHANNEL);
    const textOf = (call: ConnectorCall): string => cardText(cardOf(call.activity));
    const lastChannelCard = (id: string): string | undefined => {
      const mine = [...sends().filter((call) => textOf(call).includes(`${id} ·`)), ...connector.deliveredUpdates(CHANNEL).filter((call) => textOf(call).includes(`${id} ·`))];
      const latest = mine.sort((a, b) => a.receivedAt - b.receivedAt).at(-1);
      return latest ? textOf(latest) : undefined;
    };
    const allCancelled = (): boolean => ids.every((id) => sends().some((call) => textOf(call).includes(`**${id}** cancelled`)) && /Cancelled/.test(lastChannelCard(id) ?? ''));
    try {
      // the deadline only guards against a hang: a channel send that meets transient failures backs
      // off exponentially (1, 2, 4, 8, 16 s …), which on a loaded 2-core machine can pass a minute
      await waitFor(allCancelled, WAIT_MS * 4, 'every request\'s cancellation in the channel');
    } catch (error) {
      // say what is missing and where the outbox stands, so a failure here can be understood
      const missing = ids.map((id) => `${id}: cancelled line ${sends().some((call) => textOf(call).includes(`**${id}** cancelled`))}, last card ${(lastChannelCard(id) ?? 'none').split('\n')[0]}`);
      const queued = (await (await notifying.store()).repository(OUTBOX).list()).map(({ value }) => `${value.what} [${value.operation.op}] attempts ${value.attempts}${value.lastError ? ` error ${value.lastError}` : ''}${value.delivered ? ' delivered' : ''}${value.inDoubt ? ' in doubt' : ''}`);
      const outboxLines = notifying.bots.flatMap((bot, index) => bot.output.filter((line) => /"event":"outbox_/.test(line)).slice(-15).map((line) => `bot ${index}: ${line.slice(0, 300)}`));
      const refused = connector.calls.filter((call) => !call.accepted).map((call) => `${call.operation} ${call.conversationId} refused ${call.refusedBy ?? ''} ${call.status ?? ''}`);
      throw new Error(`${(error as Error).message}\n${missing.join('\n')}\noutbox:\n${queued.join('\n')}\nrefused calls:\n${refused.slice(-20).join('\n')}\n${outboxLines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000)); // anything queued twice would go out now

    // each instance queued notifications (each appended the audit entries of the turns it served);
    // one of them, holding the outbox lease throughout, sent them all
    expect(notifying.bots.filter((bot) => bot.output.some((line) => /"event":"outbox_sender","role":"gained"/.test(line)))).toHaveLength(1);
    expect(notifying.bots.some((bot) => bot.output.some((line) => /"event":"outbox_sender","role":"lost"/.test(line)))).toBe(false);
    for (const id of ids) {
      expect(sends().filter((call) => textOf(call).includes(`**${id}** submitted`))).toHaveLength(1);
      expect(sends().filter((call) => textOf(call).includes(`**${id}** cancelled`))).toHaveLength(1);
      expect(sends().filter((call) => textOf(call).includes(`${id} ·`))).toHaveLength(1);
    }
    const channelCalls = connector.calls.filter((call) => call.conversationId === CHANNEL && call.accepted);
    // per request: its approval card, two notifications and the card's update; more than fit in a 2-second window
    expect(channelCalls.length).toBeGreaterThanOrEqual(ids.length * 4);
    expect(connector.duplicateDeliveries()).toBe(0);
    expect(connector.calls.filter((call) => call.refusedBy === 'teamsLimits')).toEqual([]);
    expect(connector.maxInAnyWindow(CHANNEL, 1_000)).toBeLessThanOrEqual(7);
    expect(connector.maxInAnyWindow(CHANNEL, 2_000)).toBeLessThanOrEqual(8);
    expect(connector.maxInAnyWindow(CHANNEL, 30_000)).toBeLessThanOrEqual(60);
    expect(await (await notifying.store()).repository(OUTBOX).list()).toEqual([]);
  }, 240_000);

  test('SIGKILL of the instance running an execution: the other takes it over once the claim lapses, every finished step kept', async () => {
    const approver = teamsUser('Ada Approver');
    const requester = teamsUser('Riley Requester');
    const { current, execution } = await twoBots([approver], { financeAnswer: 'never' });
    const teams = current.teams(current.alternating());
    await teams.install(approver);
    await teams.install(requester);
    const requesterClient = new ChildCardClient(teams, requester);
    const id = await submitSetup(requesterClient, { environment: 'kill-env', vaultUri: VAULT_URI, sasSecret: SAS_SECRET, certificate: CERT_ITEM, financeUrl: execution.finance.url('/') });
    const approverClient = await approvalCardFor(teams, approver, id);
    expect((await approverClient.click({ verb: 'request.approve' })).status).toBe(200);

    // the executing instance is inside the connected-application step (Finance holds its answer)
    await waitFor(() => execution.finance.requests.length >= 1, WAIT_MS, 'the check-connection request at the Finance stand-in');
    const runner = current.bots.find((bot) => bot.output.some((line) => line.includes('"event":"execution_started"'))) as BotProcess;
    const survivor = current.bots.find((bot) => bot !== runner) as BotProcess;
    expect(runner).toBeDefined();
    const before = await current.request(id);
    expect(stepSummary(before)).toEqual([
      { kind: 'keyVault', status: 'ok', attempts: 1 },
      { kind: 'environmentRecord', status: 'ok', attempts: 1 },
      { kind: 'environmentPublish', status: 'ok', attempts: 1 },
      { kind: 'connectedApplication', status: 'running', attempts: 1 },
    ]);

    runner.signal('SIGKILL');
    expect((await runner.exited()).signal).toBe('SIGKILL');
    const killedAt = Date.now();
    execution.financeOptions.answer = 'normal';

    const done = await current.settled(id, 'succeeded');
    expect(survivor.output.filter((line) => line.includes('"event":"execution_resumed"'))).toHaveLength(1);
    // not before the dead instance's claim (3 s, renewed every second) could lapse
    const resumedLine = survivor.output.find((line) => line.includes('"event":"execution_resumed"')) ?? '{}';
    expect(Date.parse((JSON.parse(resumedLine) as { time: string }).time)).toBeGreaterThanOrEqual(killedAt);
    expect(stepSummary(done)).toEqual([
      { kind: 'keyVault', status: 'ok', attempts: 1 },
      { kind: 'environmentRecord', status: 'ok', attempts: 1 },
      { kind: 'environmentPublish', status: 'ok', attempts: 1 },
      { kind: 'connectedApplication', status: 'ok', attempts: 2 },
    ]);
    expect(execution.vaultReads().sort()).toEqual([CERT_ITEM, SAS_SECRET].sort());
    expect(execution.finance.requests).toHaveLength(2);
    expect(await actionsOfRequest(current, id)).toEqual(ALL_STEPS);
    const audit = await current.audit();
    expect(verifyAuditChain(audit)).toEqual({ ok: true, entries: audit.length });
    expect(await (await current.auditLog()).verify()).toEqual({ ok: true, entries: audit.length });

    // the survivor also took over the outbox: the requester's card follows the request to Done
    const copy = done.cards.find((candidate) => candidate.kind === 'requester');
    await waitFor(() => current.connector.updates(copy?.conversationId).some((update) => update.activityId === copy?.activityId && update.status < 300 && cardText(cardOf(update.activity)).includes(`${id} · Done`)), WAIT_MS, "the requester's card to show Done");
  }, 180_000);
});
