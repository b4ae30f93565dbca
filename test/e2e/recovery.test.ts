/**
 * After a failure (issue 14), end to end through /api/messages: Retry on the failed card resumes
 * at the failed step (the real SecretClient against the Key Vault stand-in), duplicate clicks
 * start one run, an old approval sends the request back for approval, and Edit and resubmit
 * makes a new request linked to the old one.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { SecretClientKeyVaultVerifier } from '../../azure/key-vault-verifier.js';
import { AnsweringSasProbe } from '../harness/sas-probes.js';
import { HttpsConnectionChecker } from '../../azure/connection-checker.js';
import type { CardCopy } from '../../setup/model/request.js';
import { cardExecute, teamsUser, type TeamsUser } from '../harness/activities.js';
import { cardOf, cardProblems, cardText, stepLinesOf } from '../harness/card-check.js';
import { transcript } from '../harness/card-transcript.js';
import { actionsOf, CardClient, inputValues } from '../harness/card-client.js';
import { sasUrl } from '../harness/certificates.js';
import { closedPort, FinanceStandIn } from '../harness/finance-standin.js';
import { KeyVaultStandIn } from '../harness/key-vault-standin.js';
import { approverClient, install, ManualClock, submitFullRequest } from '../harness/scenarios.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { TeamsRig } from '../harness/test-bot.js';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');
const secondApprover = teamsUser('Bo Approver');
const stranger = teamsUser('Sam Stranger');
const ACCESS_TOKEN = 'vault-access-token-for-recovery-tests';
const SAS_SECRET = 'storage-sas-token';

/** Sends the verifier's requests for the real-looking vault host to the local stand-in. */
function routeVaultTo(standIn: KeyVaultStandIn): PipelinePolicy {
  const target = new URL(standIn.url);
  return {
    name: 'route-vault-to-standin',
    async sendRequest(request, next) {
      const url = new URL(request.url);
      if (url.hostname.endsWith('.vault.azure.net')) {
        url.protocol = target.protocol;
        url.host = target.host;
        request.url = url.toString();
      }
      return next(request);
    },
  };
}

/** The real Key Vault verifier (SecretClient), talking to the stand-in. */
function verifierFor(vault: KeyVaultStandIn): SecretClientKeyVaultVerifier {
  return new SecretClientKeyVaultVerifier({
    credential: { getToken: async () => ({ token: ACCESS_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) },
    clientOptions: {
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
      tlsOptions: { ca: vault.caPem },
      additionalPolicies: [{ policy: routeVaultTo(vault), position: 'perCall' }],
    },
    timeoutMs: 15_000,
      // the SAS's use is tested against Azurite elsewhere (test/integration/sas-probe.test.ts)
      sasProbe: new AnsweringSasProbe(),
  });
}

/** Reads of the SAS secret that reached the vault with a token (one per Key Vault step run). */
function sasReads(vault: KeyVaultStandIn): number {
  return vault.authenticatedRequests.filter((request) => request.secretName === SAS_SECRET).length;
}

async function copyOf(rig: TeamsRig, id: string, match: (copy: CardCopy) => boolean): Promise<CardCopy> {
  const copy = (await rig.app.requests.get(id))?.value.cards.find(match);
  if (!copy) throw new Error(`no such copy of ${id}`);
  return copy;
}

/** The card a copy shows now: its latest update (or, never updated, the card first sent). */
async function latestCard(rig: TeamsRig, id: string, match: (copy: CardCopy) => boolean): Promise<Record<string, unknown>> {
  const copy = await copyOf(rig, id, match);
  const updates = rig.connector.updates(copy.conversationId).filter((update) => update.activityId === copy.activityId && update.status < 300);
  if (updates.length > 0) return cardOf(updates[updates.length - 1].activity);
  const sent = rig.connector.calls.find((call) => call.conversationId === copy.conversationId && rig.connector.answeredIds.get(call) === copy.activityId);
  return cardOf(sent?.activity);
}

const requesterCopy = (copy: CardCopy) => copy.kind === 'requester';
const approverCopy = (user: TeamsUser) => (copy: CardCopy) => copy.kind === 'approver' && copy.approverId === user.aadObjectId;

/** A client of one copy of the request card, holding the card as that copy shows it now. */
async function clientOn(rig: TeamsRig, user: TeamsUser, id: string, match: (copy: CardCopy) => boolean): Promise<CardClient> {
  const client = new CardClient(rig, user, { kind: 'personal' });
  client.card = await latestCard(rig, id, match);
  client.messageId = (await copyOf(rig, id, match)).activityId;
  return client;
}

async function statusOf(rig: TeamsRig, id: string): Promise<string | undefined> {
  return (await rig.app.requests.get(id))?.value.status;
}

async function auditActions(rig: TeamsRig, id: string): Promise<string[]> {
  return (await rig.app.audit.entries(id)).map((entry) => entry.action);
}

/** How often each step finished, by title. */
async function stepRuns(rig: TeamsRig, id: string): Promise<Record<string, string[]>> {
  const runs: Record<string, string[]> = {};
  for (const entry of await rig.app.audit.entries(id)) {
    if (entry.action !== 'step_finished') continue;
    const title = String(entry.details.step);
    runs[title] = [...(runs[title] ?? []), String(entry.details.outcome)];
  }
  return runs;
}


async function approveAndSettle(rig: TeamsRig, id: string): Promise<void> {
  await approverClient(rig, approver, id).click({ verb: 'request.approve' });
  await rig.app.settled();
}

describe('Retry and Edit and resubmit after a failure (Key Vault and Finance stand-ins)', () => {
  let vault: KeyVaultStandIn;
  let finance: FinanceStandIn;
  let rig: TeamsRig;

  beforeAll(async () => {
    vault = await KeyVaultStandIn.start();
    finance = await FinanceStandIn.start();
    rig = new TeamsRig({
      env: { SETUPBOT_APPROVERS: `${approver.aadObjectId},${secondApprover.aadObjectId}` },
      keyVaultVerifier: verifierFor(vault),
      connectionChecker: new HttpsConnectionChecker({ ca: finance.ca, env: {}, timeoutMs: 15_000 }),
    });
    await rig.start();
    await install(rig, approver);
    await install(rig, secondApprover);
    await install(rig, requester);
    vault.addSecret(SAS_SECRET, sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() + 200 * DAY) }));
  });
  afterAll(async () => {
    await rig?.stop();
    await vault?.close();
    await finance?.close();
  });
  afterEach(() => vault.denyAll(undefined));

  test('the vault answers 403, then is fixed: Retry resumes at the Key Vault step and succeeds; every other step runs once', async () => {
    vault.denyAll(403);
    const { id, client } = await submitFullRequest(rig, requester, 'retry-env', { appUrls: [finance.url('/')] });
    await approveAndSettle(rig, id);
    expect(await statusOf(rig, id)).toBe('failed');

    const failedCard = await latestCard(rig, id, requesterCopy);
    await transcript(`${id}: the failed card (requester)`, failedCard);
    expect(cardProblems(failedCard)).toEqual([]);
    expect(cardText(failedCard)).toContain(`${id} · Failed`);
    expect(cardText(failedCard)).toContain("can't read secrets");
    expect(stepLinesOf(failedCard)).toEqual([
      '❌ Failed: Verify Key Vault reference retry-env-kv',
      '⏭️ Skipped: Record service environment retry-env',
      '⏭️ Skipped: Publish service environment retry-env',
      '⏭️ Skipped: Connect retry-env Finance 1',
    ]);
    expect(actionsOf(failedCard).map((action) => action.title)).toEqual(['Retry', 'Edit and resubmit']);
    expect(actionsOf(await latestCard(rig, id, approverCopy(approver))).map((action) => action.title)).toEqual(['Retry']);

    vault.denyAll(undefined);
    const readsBefore = sasReads(vault);
    const financeBefore = finance.requests.length;
    client.card = failedCard;
    await client.click({ verb: 'request.retry' });
    await transcript(`${id}: the card Retry answered with`, client.card);
    expect(cardText(client.card)).toContain(`${id} · Approved · attempt 2`);
    await rig.app.settled();

    expect(await statusOf(rig, id)).toBe('succeeded');
    const doneCard = await latestCard(rig, id, requesterCopy);
    await transcript(`${id}: the card after the retried run`, doneCard);
    expect(cardProblems(doneCard)).toEqual([]);
    expect(cardText(doneCard)).toContain(`${id} · Done · attempt 2`);
    expect(cardText(doneCard)).toContain('🔁 Retry by Riley Requester');
    expect(cardText(doneCard)).toContain('Next in Finance');
    expect(stepLinesOf(doneCard)).toEqual([
      '✅ Done: Verify Key Vault reference retry-env-kv',
      '✅ Done: Record service environment retry-env',
      '✅ Done: Publish service environment retry-env',
      '✅ Done: Connect retry-env Finance 1',
    ]);
    expect(actionsOf(doneCard)).toEqual([]);

    expect(sasReads(vault) - readsBefore).toBe(1);
    expect(finance.requests.length - financeBefore).toBe(1);
    expect(await stepRuns(rig, id)).toEqual({
      'Verify Key Vault reference retry-env-kv': ['failed', 'ok'],
      'Record service environment retry-env': ['ok'],
      'Publish service environment retry-env': ['ok'],
      'Connect retry-env Finance 1': ['ok'],
    });
    const actions = await auditActions(rig, id);
    expect(actions.filter((action) => action === 'retried')).toHaveLength(1);
    expect(actions.filter((action) => action === 'execution_started')).toHaveLength(2);
    const retried = (await rig.app.audit.entries(id)).find((entry) => entry.action === 'retried');
    expect(retried).toMatchObject({ actor: { kind: 'user', name: 'Riley Requester' }, details: { attempt: 2, reapproval: false, resumesAt: 'Verify Key Vault reference retry-env-kv' } });
    expect(await rig.app.registry.environment('retry-env')).toMatchObject({ status: 'Published', recordedBy: id, connectedApplications: ['retry-env Finance 1'] });
  });

  test('5 identical concurrent Retry clicks start one run: one answer with the card, four refusals, one read of the vault', async () => {
    vault.denyAll(403);
    const { id, client } = await submitFullRequest(rig, requester, 'five-clicks-env');
    await approveAndSettle(rig, id);
    expect(await statusOf(rig, id)).toBe('failed');
    vault.denyAll(undefined);
    const readsBefore = sasReads(vault);
    const revision = (await rig.app.requests.get(id))?.value.revision ?? 0;

    const click = () => rig.post(cardExecute(rig.scene, requester, { kind: 'personal' }, 'request.retry', { verb: 'request.retry', requestId: id, v: revision }, client.messageId));
    const responses = await Promise.all(Array.from({ length: 5 }, click));
    await rig.app.settled();

    expect(responses.every((response) => response.status === 200)).toBe(true);
    const bodies = responses.map((response) => response.body as { type?: string; value?: unknown });
    expect(bodies.filter((body) => body.type === 'application/vnd.microsoft.card.adaptive')).toHaveLength(1);
    const refusals = bodies.filter((body) => body.type === 'application/vnd.microsoft.activity.message').map((body) => String(body.value));
    expect(refusals).toHaveLength(4);
    for (const refusal of refusals) expect(refusal).toMatch(/already being retried \(attempt 2\)|already running again \(attempt 2\)|already finished successfully/);

    expect(await statusOf(rig, id)).toBe('succeeded');
    expect(sasReads(vault) - readsBefore).toBe(1);
    const actions = await auditActions(rig, id);
    expect(actions.filter((action) => action === 'retried')).toHaveLength(1);
    expect(actions.filter((action) => action === 'execution_started')).toHaveLength(2);
    expect(actions.filter((action) => action === 'succeeded')).toHaveLength(1);
    expect(await rig.app.executor.resumeAll()).toEqual([]);
  });

  test('a Finance environment that was down, then up: an approver retries, only its step runs; the vault is not read again', async () => {
    const port = await closedPort();
    const { id } = await submitFullRequest(rig, requester, 'late-finance-env', { appUrls: [`https://127.0.0.1:${port}/`] });
    await approveAndSettle(rig, id);
    expect(await statusOf(rig, id)).toBe('failed');
    const recorded = await rig.app.registry.environment('late-finance-env');
    expect(recorded).toMatchObject({ status: 'Published', recordedBy: id, connectedApplications: [] });
    const readsBefore = sasReads(vault);

    const late = await FinanceStandIn.start({ port });
    try {
      const card = await clientOn(rig, approver, id, approverCopy(approver));
      expect(actionsOf(card.card).map((action) => action.title)).toEqual(['Retry']);
      await card.click({ verb: 'request.retry' });
      await rig.app.settled();
      expect(await statusOf(rig, id)).toBe('succeeded');
      expect(late.requests).toHaveLength(1);
    } finally {
      await late.close();
    }
    expect(sasReads(vault)).toBe(readsBefore);
    expect(await stepRuns(rig, id)).toEqual({
      'Verify Key Vault reference late-finance-env-kv': ['ok'],
      'Record service environment late-finance-env': ['ok'],
      'Publish service environment late-finance-env': ['ok'],
      'Connect late-finance-env Finance 1': ['failed', 'ok'],
    });
    expect(await rig.app.registry.environment('late-finance-env')).toMatchObject({ recordedBy: id, recordedAt: recorded?.recordedAt, connectedApplications: ['late-finance-env Finance 1'] });
    expect((await rig.app.audit.entries(id)).find((entry) => entry.action === 'retried')?.actor).toMatchObject({ kind: 'user', name: 'Ada Approver' });
  });

  test('a dry run can be retried, and stays a dry run', async () => {
    vault.denyAll(403);
    const { id, client } = await submitFullRequest(rig, requester, 'dry-retry-env', { dryRun: true });
    await approveAndSettle(rig, id);
    expect(await statusOf(rig, id)).toBe('failed');
    vault.denyAll(undefined);
    client.card = await latestCard(rig, id, requesterCopy);
    await client.click({ verb: 'request.retry' });
    await rig.app.settled();
    expect((await rig.app.requests.get(id))?.value).toMatchObject({ status: 'succeeded', attempt: 2, execution: { dryRun: true } });
    expect(cardText(await latestCard(rig, id, requesterCopy))).toContain('Dry run — verified, nothing recorded · attempt 2');
    expect(await rig.app.registry.environment('dry-retry-env')).toBeUndefined();
  });

  test('Edit and resubmit: a pre-filled setup opens below; submitting makes a new request linked both ways, and the old card says so', async () => {
    vault.denyAll(403);
    const { id: oldId } = await submitFullRequest(rig, requester, 'resubmit-env');
    await approveAndSettle(rig, oldId);
    expect(await statusOf(rig, oldId)).toBe('failed');
    vault.denyAll(undefined);
    const oldContent = (await rig.app.requests.get(oldId))?.value.content;

    const oldCard = await clientOn(rig, requester, oldId, requesterCopy);
    const sentBefore = rig.connector.sentActivities(oldCard.conversationId).length;
    await oldCard.click({ verb: 'request.resubmit' });
    // the request card stays where it was (answered in place, with a note for the clicker)…
    expect(cardText(oldCard.card)).toContain(`${oldId} · Failed`);
    expect(cardText(oldCard.card)).toContain(`Editing a copy of ${oldId} below`);
    // …and the setup opens as a new message below it, pre-filled
    const sent = rig.connector.calls.filter((call) => call.operation === 'send' || call.operation === 'reply').filter((call) => call.conversationId === oldCard.conversationId);
    expect(rig.connector.sentActivities(oldCard.conversationId).length).toBe(sentBefore + 1);
    const draftCall = sent[sent.length - 1];
    const draft = new CardClient(rig, requester, { kind: 'personal' });
    draft.card = cardOf(draftCall.activity);
    draft.messageId = rig.connector.answeredIds.get(draftCall);
    expect(cardText(draft.card)).toContain('Step 1 of 4 · Service environment');
    expect(cardText(draft.card)).toContain(`Resubmitting ${oldId}: its content is filled in.`);
    expect(inputValues(draft.card)).toMatchObject({ 'environment.name': 'resubmit-env', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });

    await draft.click({ verb: 'setup.next' }, { 'environment.description': 'Second try, vault access fixed' });
    expect(inputValues(draft.card)).toMatchObject({ 'keyVault.name': 'resubmit-env-kv', 'keyVault.storageSasSecretName': SAS_SECRET });
    await draft.click({ verb: 'setup.next' });
    await draft.click({ verb: 'setup.skip' });
    expect(cardText(draft.card)).toContain('Step 4 of 4 · Review');
    await draft.click({ verb: 'setup.submit' });
    const newId = /SR-\d{4}/.exec(cardText(draft.card))?.[0] ?? '';
    expect(newId).not.toBe(oldId);
    expect(cardText(draft.card)).toContain(`${newId} · Waiting for approval (0 of 1)`);
    expect(cardText(draft.card)).toContain(`Resubmission of ${oldId}, edited by Riley Requester.`);
    await rig.app.settled();

    const [oldRequest, newRequest] = [(await rig.app.requests.get(oldId))?.value, (await rig.app.requests.get(newId))?.value];
    expect(oldRequest).toMatchObject({ status: 'failed', resubmittedAs: newId });
    expect(newRequest).toMatchObject({ status: 'submitted', resubmittedFrom: oldId, requester: { objectId: requester.aadObjectId } });
    expect(newRequest?.content).toEqual({ ...oldContent, environment: { ...oldContent?.environment, description: 'Second try, vault access fixed' } });
    const oldNow = await latestCard(rig, oldId, requesterCopy);
    expect(cardText(oldNow)).toContain(`Resubmitted as ${newId}: that request replaces this one.`);
    expect(actionsOf(oldNow)).toEqual([]);
    expect(actionsOf(await latestCard(rig, oldId, approverCopy(approver)))).toEqual([]);
    expect(await auditActions(rig, oldId)).toContain('resubmitted');

    // the submitted card says who was asked, now that the approval cards have arrived
    const asked = cardText(await latestCard(rig, newId, requesterCopy));
    expect(asked).toContain('Ada Approver and Bo Approver were asked to approve and have been notified in Teams.');

    await approveAndSettle(rig, newId);
    expect(await statusOf(rig, newId)).toBe('succeeded');
    expect(await rig.app.registry.environment('resubmit-env')).toMatchObject({ recordedBy: newId, environment: { description: 'Second try, vault access fixed' } });

    // the old card can no longer be retried or resubmitted
    const stale = await rig.post(cardExecute(rig.scene, requester, { kind: 'personal' }, 'request.retry', { verb: 'request.retry', requestId: oldId, v: oldRequest?.revision ?? 0 }));
    expect((stale.body as { value: string }).value).toBe(`This request was resubmitted as ${newId}: that one replaces it.`);
  });

  test('a client without Universal Actions (Action.Submit) can Retry and Edit and resubmit too', async () => {
    vault.denyAll(403);
    const { id: retryId } = await submitFullRequest(rig, requester, 'submit-retry-env');
    const { id: resubmitId } = await submitFullRequest(rig, requester, 'submit-resubmit-env');
    await approveAndSettle(rig, retryId);
    await approveAndSettle(rig, resubmitId);
    vault.denyAll(undefined);

    const retrying = await clientOn(rig, requester, retryId, requesterCopy);
    retrying.mode = 'submit';
    await retrying.click({ verb: 'request.retry' });
    await rig.app.settled();
    expect(await statusOf(rig, retryId)).toBe('succeeded');

    const resubmitting = await clientOn(rig, requester, resubmitId, requesterCopy);
    resubmitting.mode = 'submit';
    await resubmitting.click({ verb: 'request.resubmit' });
    // the request card was updated in place; the setup came as a new message
    expect(cardText(resubmitting.card)).toContain(`Editing a copy of ${resubmitId} below`);
    const sent = rig.connector.sentActivities(resubmitting.conversationId);
    expect(cardText(cardOf(sent[sent.length - 1]))).toContain(`Resubmitting ${resubmitId}: its content is filled in.`);
    expect((await rig.app.drafts.get(requester.aadObjectId))?.value.origin).toEqual({ kind: 'resubmit', requestId: resubmitId });
    const leftOpen = await rig.app.drafts.get(requester.aadObjectId);
    if (leftOpen) await rig.app.drafts.discard(leftOpen);
  });

  test('who may press what is decided on the server; an open draft of something else is never thrown away', async () => {
    vault.denyAll(403);
    const { id } = await submitFullRequest(rig, requester, 'guarded-env');
    await approveAndSettle(rig, id);
    vault.denyAll(undefined);
    const revision = (await rig.app.requests.get(id))?.value.revision ?? 0;
    const press = (user: TeamsUser, verb: string) => rig.post(cardExecute(rig.scene, user, { kind: 'personal' }, verb, { verb, requestId: id, v: revision }));

    expect(((await press(stranger, 'request.retry')).body as { value: string }).value).toBe('Only the person who asked and the approvers of this request can retry it.');
    expect(((await press(approver, 'request.resubmit')).body as { value: string }).value).toBe('Only the person who asked can edit and resubmit this request.');

    const other = new CardClient(rig, requester, { kind: 'personal' });
    await other.say('setup');
    await other.click({ verb: 'setup.next' }, { 'environment.name': 'half-written-env', 'environment.users[0].userId': 'bo', 'environment.users[0].email': 'bo@contoso.com' });
    const refused = (await press(requester, 'request.resubmit')).body as { value: string };
    expect(refused.value).toBe('You already have an unfinished setup draft (half-written-env). Finish it, or type **cancel** to discard it, then press Edit and resubmit again.');
    expect((await rig.app.drafts.get(requester.aadObjectId))?.value.content.environment.name).toBe('half-written-env');
    expect((await rig.app.requests.get(id))?.value).toMatchObject({ status: 'failed', revision });
    const leftOpen = await rig.app.drafts.get(requester.aadObjectId);
    if (leftOpen) await rig.app.drafts.discard(leftOpen);
  });

  test('every card and message the bot sent in these conversations passes the card checks', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(40);
  });
});

describe('the retry window (SETUPBOT_RETRY_WINDOW, default 24h)', () => {
  const clock = new ManualClock();
  let vault: KeyVaultStandIn;
  let rig: TeamsRig;

  beforeAll(async () => {
    vault = await KeyVaultStandIn.start();
    vault.addSecret(SAS_SECRET, sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() + 200 * DAY) }));
    rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: `${approver.aadObjectId},${secondApprover.aadObjectId}` }, clock, keyVaultVerifier: verifierFor(vault) });
    await rig.start();
    await install(rig, approver);
    await install(rig, secondApprover);
  });
  afterAll(async () => {
    await rig?.stop();
    await vault?.close();
  });

  async function failedRequest(name: string): Promise<{ id: string; client: CardClient }> {
    vault.denyAll(403);
    const { id, client } = await submitFullRequest(rig, requester, name);
    await approveAndSettle(rig, id);
    expect(await statusOf(rig, id)).toBe('failed');
    vault.denyAll(undefined);
    client.card = await latestCard(rig, id, requesterCopy);
    return { id, client };
  }

  const approvalCardsSent = (id: string, user: TeamsUser) =>
    rig.connector.calls.filter((call) => call.operation === 'send' && call.conversationId === new CardClient(rig, user, { kind: 'personal' }).conversationId && JSON.stringify(call.body).includes(id)).length;

  test('23 hours after the approval, Retry runs at once', async () => {
    const { id, client } = await failedRequest('in-window-env');
    clock.advance(23 * HOUR);
    await client.click({ verb: 'request.retry' });
    await rig.app.settled();
    expect(await statusOf(rig, id)).toBe('succeeded');
    expect(approvalCardsSent(id, approver)).toBe(1);
  });

  test('25 hours after the approval, Retry sends the request back for approval; once approved it resumes', async () => {
    const { id, client } = await failedRequest('late-retry-env');
    clock.advance(25 * HOUR);
    await client.click({ verb: 'request.retry' });
    expect(cardText(client.card)).toContain(`${id} · Waiting for approval (0 of 1) · attempt 2`);
    expect(cardText(client.card)).toContain('sent back for approval, because the approval was older than the retry window');
    await rig.app.settled();
    const request = (await rig.app.requests.get(id))?.value;
    expect(request).toMatchObject({ status: 'submitted', attempt: 2, approvals: [] });
    expect(request?.expiresAt).toBe(new Date(clock.now().getTime() + 72 * HOUR).toISOString());
    // the approvers are asked again, as on submission: a fresh approval card in their chats
    expect(approvalCardsSent(id, approver)).toBe(2);
    expect(approvalCardsSent(id, secondApprover)).toBe(2);
    const retried = (await rig.app.audit.entries(id)).find((entry) => entry.action === 'retried');
    expect(retried?.details).toMatchObject({ attempt: 2, reapproval: true });

    const again = approverClient(rig, secondApprover, id);
    expect(actionsOf(again.card).map((action) => action.title)).toEqual(['Approve', 'Reject']);
    await again.click({ verb: 'request.approve' }, { comment: 'Vault fixed, go ahead' });
    await rig.app.settled();
    expect(await statusOf(rig, id)).toBe('succeeded');
    expect(await stepRuns(rig, id)).toEqual({
      'Verify Key Vault reference late-retry-env-kv': ['failed', 'ok'],
      'Record service environment late-retry-env': ['ok'],
      'Publish service environment late-retry-env': ['ok'],
    });
    const text = cardText(await latestCard(rig, id, requesterCopy));
    expect(text).toContain('Approved by Ada Approver');
    expect(text).toContain('Approved by Bo Approver');
    expect(text).toContain(`${id} · Done · attempt 2`);
  });

  test('every card and message the bot sent here passes the card checks', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(10);
  });
});
