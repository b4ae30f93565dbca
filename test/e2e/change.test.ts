/**
 * Day two, end to end through /api/messages (issue 12): change requests built on a version of a
 * recorded environment (the diff on the review and request cards, approved like any request,
 * executed Changed → Published, number sequences without publishing), two changes on one version
 * (the second is refused with the rebuild offer, and the offer gives a draft on the new version),
 * a change started from a freshness warning, and retire (its history stays; it refuses change).
 * The real Key Vault verifier (SecretClient) runs against the Key Vault stand-in.
 */
import { cardExecute, teamsUser } from '../harness/activities.js';
import { english } from '../fixtures/english.js';
import type { DomainMessage } from '../../setup/model/messages.js';
import { cardProblems, cardText, stepLinesOf } from '../harness/card-check.js';
import { transcript } from '../harness/card-transcript.js';
import { actionsOf, CardClient, inputValues } from '../harness/card-client.js';
import { sasUrl } from '../harness/certificates.js';
import { KeyVaultStandIn } from '../harness/key-vault-standin.js';
import { approverClient, install, ManualClock, submitFullRequest } from '../harness/scenarios.js';
import { approverCopy, clientOn, clientOnLastSent, latestCard, requesterCopy } from '../harness/request-copies.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { TeamsRig } from '../harness/test-bot.js';
import { standInVerifier } from '../harness/vault-verifier.js';

const DAY = 24 * 3600 * 1000;
const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');
const SAS_SECRET = 'storage-sas-token';


/** The containers of a card whose only text starts with the given prefix, with their style. */
function styledLines(card: unknown): { style: string; text: string }[] {
  const found: { style: string; text: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const items = record.items as { type?: string; text?: string }[] | undefined;
    if (record.type === 'Container' && typeof record.style === 'string' && items?.length === 1 && items[0].type === 'TextBlock') found.push({ style: record.style, text: String(items[0].text) });
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}

describe('change and retire requests', () => {
  const clock = new ManualClock(new Date());
  let vault: KeyVaultStandIn;
  let rig: TeamsRig;

  beforeAll(async () => {
    vault = await KeyVaultStandIn.start();
    vault.addSecret(SAS_SECRET, sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() + 200 * DAY) }));
    vault.addSecret('ssl-client', 'a secret value that is never shown');
    rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: approver.aadObjectId }, keyVaultVerifier: standInVerifier(vault), clock });
    await rig.start();
    await install(rig, approver);
    await install(rig, requester);
  });
  afterAll(async () => {
    await rig?.stop();
    await vault?.close();
  });

  async function setUp(name: string, appUrls: string[] = []): Promise<string> {
    const { id } = await submitFullRequest(rig, requester, name, { appUrls });
    await approverClient(rig, approver, id).click({ verb: 'request.approve' });
    await rig.app.settled();
    expect((await rig.app.requests.get(id))?.value.status).toBe('succeeded');
    return id;
  }

  /** The requester's client on the request card the bot answered the submission with. */
  function submittedId(client: CardClient): string {
    const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
    if (!id) throw new Error(`no request id on the card: ${cardText(client.card)}`);
    return id;
  }

  async function approve(id: string): Promise<void> {
    await approverClient(rig, approver, id).click({ verb: 'request.approve' });
    await rig.app.settled();
  }

  const sasReads = () => vault.authenticatedRequests.filter((request) => request.secretName === SAS_SECRET).length;

  test('a change that adds and removes users: the diff on the review card, approved, Changed then Published, an audit entry per step', async () => {
    await setUp('users-env');
    const readsBefore = sasReads();
    const client = new CardClient(rig, requester, { kind: 'personal' });
    await client.say('change users-env');
    expect(cardText(client.card)).toContain('Change users-env · Step 1 of 4 · Service environment');
    expect(cardText(client.card)).toContain('Changing users-env (version 1, Published)');
    // the name is shown, not asked
    expect(inputValues(client.card)).not.toHaveProperty('environment.name');
    expect(cardText(client.card)).toContain('users-env (a change keeps the name)');
    expect(inputValues(client.card)).toMatchObject({ 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });

    await client.click({ verb: 'setup.add', list: 'users' });
    await client.click({ verb: 'setup.remove', list: 'users', index: 0 }, { 'environment.users[1].userId': 'bob', 'environment.users[1].email': 'bob@contoso.com' });
    // a card that sends a new name anyway changes nothing: the server keeps the recorded one
    await client.click({ verb: 'setup.next' }, { 'environment.name': 'renamed-env' });
    expect(cardText(client.card)).toContain('Change users-env · Step 2 of 4 · Key Vault');
    expect(inputValues(client.card)).not.toHaveProperty('keyVault.name');
    expect(inputValues(client.card)).not.toHaveProperty('keyVault.keyVaultUri');
    expect(inputValues(client.card)).toMatchObject({ 'keyVault.storageSasSecretName': SAS_SECRET });
    await client.click({ verb: 'setup.next' });
    await client.click({ verb: 'setup.skip' });

    const review = client.card;
    await transcript('review card of a change', review);
    expect(cardProblems(review)).toEqual([]);
    expect(cardText(review)).toContain('Change users-env · Step 4 of 4 · Review');
    expect(cardText(review)).toContain('What this changes in users-env (version 1)');
    expect(styledLines(review)).toEqual(
      expect.arrayContaining([
        { style: 'good', text: '**+ Added** · user bob (bob@contoso.com)' },
        { style: 'attention', text: '**− Removed** · user alice (alice@contoso.com)' },
      ]),
    );
    expect(cardText(review)).not.toContain('renamed-env');

    await client.click({ verb: 'setup.submit' });
    const id = submittedId(client);
    await transcript('the request card (requester)', client.card);
    expect(cardText(client.card)).toContain(`${id} · Waiting for approval (0 of 1)`);
    expect(cardText(client.card)).toContain('Change to users-env, built on version 1');
    await rig.app.settled();

    const approval = approverClient(rig, approver, id);
    await transcript('the approval card', approval.card);
    expect(cardText(approval.card)).toContain('**+ Added** · user bob (bob@contoso.com)');
    expect(actionsOf(approval.card).map((action) => action.title)).toEqual(['Approve', 'Reject']);
    await approval.click({ verb: 'request.approve' }, { comment: 'Bob joins, Alice leaves' });
    await rig.app.settled();

    const request = (await rig.app.requests.get(id))?.value;
    expect(request).toMatchObject({ status: 'succeeded', kind: 'change', change: { environment: 'users-env', baseRevision: 1 } });
    const result = await latestCard(rig, id, requesterCopy);
    await transcript('the result card', result);
    expect(cardProblems(result)).toEqual([]);
    expect(stepLinesOf(result)).toEqual([
      '✅ Done: Check that users-env is still at version 1',
      '✅ Done: Apply the change to service environment users-env',
      '✅ Done: Publish service environment users-env',
    ]);
    // Changed by the change step, Published by the next
    expect(cardText(result)).toContain('Status: Changed.');
    expect(cardText(result)).toContain('Status: Published.');
    expect(cardText(result)).not.toContain('Next in Finance');
    expect(await rig.app.registry.environment('users-env')).toMatchObject({ status: 'Published', revision: 2, lastChangedBy: id, environment: { users: [{ userId: 'bob', email: 'bob@contoso.com' }] } });
    // nothing new in Key Vault: the vault was not read
    expect(sasReads()).toBe(readsBefore);

    const entries = await rig.app.audit.entries(id);
    expect(entries.map((entry) => entry.action)).toEqual(['submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished', 'succeeded']);
    // the summary is stored as a message (codes and names), said in each reader's words
    expect(entries[0].details).toMatchObject({ kind: 'change', baseRevision: 1, change: { code: 'diff.summary.change', params: { environment: 'users-env', version: 1 } } });
    expect(english(entries[0].details.change as DomainMessage)).toBe('change to users-env (version 1): added user bob (bob@contoso.com); removed user alice (alice@contoso.com)');
    expect(entries.filter((entry) => entry.action === 'step_finished').map((entry) => entry.details.step)).toEqual(request?.execution?.steps.map((step) => step.title));

    const history = new CardClient(rig, requester, { kind: 'personal' });
    await history.say('history users-env');
    expect(cardText(history.card)).toContain('Requested by Riley Requester: change to users-env (version 1): added user bob');
  });

  test('a new Key Vault item is verified alone (the SAS secret is not read again); the request card shows the change', async () => {
    await setUp('vault-env');
    const readsBefore = sasReads();
    const client = new CardClient(rig, requester, { kind: 'personal' });
    await client.say('change vault-env');
    await client.click({ verb: 'setup.next' });
    await client.click({ verb: 'setup.add', list: 'items' });
    await client.click({ verb: 'setup.next' }, { 'keyVault.items[0].name': 'ssl-client', 'keyVault.items[0].type': 'Secret' });
    await client.click({ verb: 'setup.skip' });
    expect(cardText(client.card)).toContain('**+ Added** · Key Vault item ssl-client (Secret)');
    await client.click({ verb: 'setup.submit' });
    const id = submittedId(client);
    await rig.app.settled();
    await approve(id);
    expect((await rig.app.requests.get(id))?.value.status).toBe('succeeded');
    expect(stepLinesOf(await latestCard(rig, id, requesterCopy))[1]).toBe('✅ Done: Verify what is new in Key Vault reference vault-env-kv');
    expect(sasReads()).toBe(readsBefore);
    expect(vault.authenticatedRequests.filter((request) => request.secretName === 'ssl-client')).toHaveLength(1);
    const reference = await rig.app.registry.keyVaultReference('vault-env-kv');
    expect(reference?.verification.items.map((item) => [item.name, item.outcome])).toEqual([
      [SAS_SECRET, 'ok'],
      ['ssl-client', 'ok'],
    ]);
  });

  test('a change to number sequences only stays Published: no publish step', async () => {
    await setUp('sequences-env');
    const client = new CardClient(rig, requester, { kind: 'personal' });
    await client.say('change sequences-env');
    await client.click({ verb: 'setup.add', list: 'numberSequences' });
    await client.click({ verb: 'setup.next' }, { 'environment.numberSequences[0].name': 'EINV-FR', 'environment.numberSequences[0].description': 'French invoices' });
    await client.click({ verb: 'setup.next' });
    await client.click({ verb: 'setup.skip' });
    expect(styledLines(client.card)).toContainEqual({ style: 'good', text: '**+ Added** · number sequence EINV-FR (French invoices)' });
    await client.click({ verb: 'setup.submit' });
    const id = submittedId(client);
    await rig.app.settled();
    const before = await rig.app.registry.environment('sequences-env');
    await approve(id);
    const result = await latestCard(rig, id, requesterCopy);
    expect(stepLinesOf(result)).toEqual(['✅ Done: Check that sequences-env is still at version 1', '✅ Done: Apply the change to service environment sequences-env']);
    expect(cardText(result)).toContain('Status stays Published: number sequences apply without publishing.');
    const after = await rig.app.registry.environment('sequences-env');
    expect(after).toMatchObject({ status: 'Published', revision: 2, publishedAt: before?.publishedAt, environment: { numberSequences: [{ name: 'EINV-FR', description: 'French invoices' }] } });
  });

  test('two changes built on the same version: the first applies, the second is refused with the rebuild offer, which gives a draft on the new version', async () => {
    const other = teamsUser('Omar Other');
    await install(rig, other);
    await setUp('twice-env');
    const first = new CardClient(rig, requester, { kind: 'personal' });
    await first.say('change twice-env');
    await first.click({ verb: 'setup.add', list: 'users' });
    await first.click({ verb: 'setup.next' }, { 'environment.users[1].userId': 'bob', 'environment.users[1].email': 'bob@contoso.com' });
    await first.click({ verb: 'setup.next' });
    await first.click({ verb: 'setup.skip' });
    await first.click({ verb: 'setup.submit' });
    const firstId = submittedId(first);

    const second = new CardClient(rig, other, { kind: 'personal' });
    await second.say('change twice-env');
    await second.click({ verb: 'setup.add', list: 'users' });
    await second.click({ verb: 'setup.next' }, { 'environment.users[1].userId': 'carol', 'environment.users[1].email': 'carol@contoso.com' });
    await second.click({ verb: 'setup.next' });
    await second.click({ verb: 'setup.skip' });
    await second.click({ verb: 'setup.submit' });
    const secondId = submittedId(second);
    await rig.app.settled();

    await approve(firstId);
    await approve(secondId);
    expect((await rig.app.requests.get(firstId))?.value.status).toBe('succeeded');
    const refused = (await rig.app.requests.get(secondId))?.value;
    expect(refused).toMatchObject({ status: 'failed', conflict: { baseRevision: 1, currentRevision: 2, changedBy: [firstId] } });
    expect(await rig.app.registry.environment('twice-env')).toMatchObject({ revision: 2, environment: { users: [{ userId: 'alice' }, { userId: 'bob' }] } });

    const card = await latestCard(rig, secondId, (copy) => copy.kind === 'requester');
    await transcript('a change refused: the environment changed in between', card);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain(`⚠️ Not applied: twice-env was at version 2, not 1 (changed by ${firstId}). What changed in between:`);
    expect(styledLines(card)).toContainEqual({ style: 'good', text: '**+ Added** · user bob (bob@contoso.com)' });
    expect(stepLinesOf(card)).toEqual([
      '❌ Failed: Check that twice-env is still at version 1',
      '⏭️ Skipped: Apply the change to service environment twice-env',
      '⏭️ Skipped: Publish service environment twice-env',
    ]);
    expect(actionsOf(card).map((action) => action.title)).toEqual(['Rebuild on the current version']);
    // no Retry for a conflict, not even for an approver
    expect(actionsOf(await latestCard(rig, secondId, approverCopy(approver)))).toEqual([]);
    const retry = await rig.post(
      cardExecute(rig.scene, approver, { kind: 'personal' }, 'request.retry', { verb: 'request.retry', requestId: secondId, v: refused?.revision ?? 0 }),
    );
    expect((retry.body as { value: string }).value).toContain('This change was not applied: twice-env is at version 2 now, so running it again would not help.');

    // following the offer: a draft on version 2 with the second change's difference, at its review, below the card
    const onCard = await clientOn(rig, other, secondId, requesterCopy);
    await onCard.click({ verb: 'request.rebuild' });
    expect(cardText(onCard.card)).toContain(`Rebuilding ${secondId} below: submitting it replaces this request.`);
    const rebuilt = clientOnLastSent(rig, other);
    await transcript('the rebuilt change, at its review', rebuilt.card);
    expect(cardText(rebuilt.card)).toContain('Change twice-env · Step 4 of 4 · Review');
    expect(cardText(rebuilt.card)).toContain(`Rebuilding ${secondId} on version 2 of twice-env: your changes are laid over it.`);
    expect(cardText(rebuilt.card)).toContain('What this changes in twice-env (version 2)');
    expect(styledLines(rebuilt.card).filter((line) => /Added|Removed|Changed/.test(line.text))).toEqual([{ style: 'good', text: '**+ Added** · user carol (carol@contoso.com)' }]);
    expect((await rig.app.drafts.get(other.aadObjectId))?.value.origin).toMatchObject({ kind: 'change', environment: 'twice-env', baseRevision: 2, rebuildOf: secondId });

    await rebuilt.click({ verb: 'setup.submit' });
    const thirdId = submittedId(rebuilt);
    expect(cardText(rebuilt.card)).toContain(`Rebuild of ${secondId} on version 2, by Omar Other.`);
    await rig.app.settled();
    expect(cardText(await latestCard(rig, secondId, requesterCopy))).toContain(`Rebuilt as ${thirdId} on a newer version`);
    await approve(thirdId);
    expect((await rig.app.requests.get(thirdId))?.value.status).toBe('succeeded');
    expect((await rig.app.registry.environment('twice-env'))?.environment.users.map((user) => user.userId)).toEqual(['alice', 'bob', 'carol']);
    expect((await rig.app.registry.environment('twice-env'))?.revision).toBe(3);
  });

  test('a change whose environment moves on while it is written is laid over the new version at Submit, and shown again for review', async () => {
    await setUp('moving-env');
    const slow = new CardClient(rig, requester, { kind: 'personal' });
    await slow.say('change moving-env');
    await slow.click({ verb: 'setup.next' }, { 'environment.description': 'described by Riley' });
    await slow.click({ verb: 'setup.next' });
    await slow.click({ verb: 'setup.skip' });

    const quick = teamsUser('Quinn Quick');
    await install(rig, quick);
    const fast = new CardClient(rig, quick, { kind: 'personal' });
    await fast.say('change moving-env');
    await fast.click({ verb: 'setup.add', list: 'users' });
    await fast.click({ verb: 'setup.next' }, { 'environment.users[1].userId': 'dora', 'environment.users[1].email': 'dora@contoso.com' });
    await fast.click({ verb: 'setup.next' });
    await fast.click({ verb: 'setup.skip' });
    await fast.click({ verb: 'setup.submit' });
    const fastId = submittedId(fast);
    await rig.app.settled();
    await approve(fastId);

    await slow.click({ verb: 'setup.submit' });
    expect(cardText(slow.card)).toContain(`moving-env changed while you wrote this (now version 2, by ${fastId}): your changes are laid over that version.`);
    expect(cardText(slow.card)).toContain('What this changes in moving-env (version 2)');
    expect(styledLines(slow.card).filter((line) => /Added|Removed|Changed/.test(line.text))).toEqual([{ style: 'warning', text: '**~ Changed** · description: None → described by Riley' }]);
    await slow.click({ verb: 'setup.submit' });
    const slowId = submittedId(slow);
    await rig.app.settled();
    await approve(slowId);
    expect(await rig.app.registry.environment('moving-env')).toMatchObject({ revision: 3, environment: { description: 'described by Riley', users: [{ userId: 'alice' }, { userId: 'dora' }] } });
  });

  test('the freshness warning has "Start a change": it opens the change dialog below the warning', async () => {
    const soon = new Date(clock.now().getTime() + 10 * DAY);
    vault.addSecret('warned-sas', sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: soon }));
    const { id } = await submitFullRequest(rig, requester, 'warned-env', { sasSecretName: 'warned-sas' });
    await approve(id);
    clock.advance(DAY);
    expect(await rig.app.freshness.runDue()).toBeGreaterThan(0);
    await rig.app.settled();
    const warning = clientOnLastSent(rig, requester);
    expect(cardText(warning.card)).toContain('Warning: the storage SAS token warned-sas of warned-env expires in');
    const before = rig.connector.sentActivities(warning.conversationId).length;

    await warning.click({ verb: 'environment.change' });
    expect(warning.lastMessage).toBe('Your change of warned-env opens below.');
    expect(rig.connector.sentActivities(warning.conversationId)).toHaveLength(before + 1);
    const dialog = clientOnLastSent(rig, requester);
    expect(cardText(dialog.card)).toContain('Change warned-env · Step 1 of 4 · Service environment');
    expect((await rig.app.drafts.get(requester.aadObjectId))?.value.origin).toMatchObject({ kind: 'change', environment: 'warned-env', baseRevision: 1 });
    // the renewed secret goes in under a new name: the review shows it, and it can be submitted
    await dialog.click({ verb: 'setup.next' });
    vault.addSecret('warned-sas-2027', sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(clock.now().getTime() + 300 * DAY) }));
    await dialog.click({ verb: 'setup.next' }, { 'keyVault.storageSasSecretName': 'warned-sas-2027' });
    await dialog.click({ verb: 'setup.skip' });
    expect(cardText(dialog.card)).toContain('**~ Changed** · storage SAS secret name: warned-sas → warned-sas-2027');
    await dialog.click({ verb: 'setup.submit' });
    const changeId = submittedId(dialog);
    await rig.app.settled();
    await approve(changeId);
    expect(stepLinesOf(await latestCard(rig, changeId, requesterCopy))).toEqual([
      '✅ Done: Check that warned-env is still at version 1',
      '✅ Done: Verify what is new in Key Vault reference warned-env-kv',
      '✅ Done: Apply the change to service environment warned-env',
      '✅ Done: Publish service environment warned-env',
    ]);
    expect(await rig.app.registry.environment('warned-env')).toMatchObject({ status: 'Published', storageSasSecretName: 'warned-sas-2027' });
  });

  test('retire: a confirmation, approved like any request, unlinks the applications and marks it Retired; its history stays and it refuses change', async () => {
    const setupId = await setUp('retire-env', ['https://retire-env.operations.dynamics.com/']);
    const client = new CardClient(rig, requester, { kind: 'personal' });
    await client.say('retire retire-env');
    await transcript('retire confirmation', client.card);
    expect(cardProblems(client.card)).toEqual([]);
    expect(cardText(client.card)).toContain('Retire retire-env?');
    expect(cardText(client.card)).toContain('**− Unlinks** 1 application from it: retire-env Finance 1');
    expect(cardText(client.card)).toContain('nothing is deleted');
    expect(actionsOf(client.card).map((action) => action.title)).toEqual(['Submit for approval', 'Keep it']);

    await client.click({ verb: 'environment.retire' });
    const id = submittedId(client);
    expect(cardText(client.card)).toContain(`${id} · Waiting for approval (0 of 1)`);
    expect(cardText(client.card)).toContain('Retire retire-env (version 1)');
    // the same confirmation clicked again does not ask twice
    const before = (await rig.app.requests.listByEnvironment('retire-env')).length;
    await rig.post(cardExecute(rig.scene, requester, { kind: 'personal' }, 'environment.retire', { verb: 'environment.retire', environment: 'retire-env', v: 1 }));
    expect(await rig.app.requests.listByEnvironment('retire-env')).toHaveLength(before);
    await rig.app.settled();
    await approve(id);

    const result = await latestCard(rig, id, requesterCopy);
    expect(stepLinesOf(result)).toEqual(['✅ Done: Check that retire-env is still at version 1', '✅ Done: Unlink retire-env Finance 1', '✅ Done: Mark retire-env Retired']);
    expect(await rig.app.registry.environment('retire-env')).toMatchObject({ status: 'Retired', revision: 2, connectedApplications: [] });
    expect(await rig.app.registry.connectedApplication('retire-env Finance 1')).toMatchObject({ environments: [] });

    const history = new CardClient(rig, requester, { kind: 'personal' });
    await history.say('history retire-env');
    const text = cardText(history.card);
    expect(text).toContain(`${setupId}`);
    expect(text).toContain('Requested by Riley Requester: retire retire-env (version 1): unlink 1 application, mark it Retired');
    expect(text).toContain('Mark retire-env Retired: done');

    await client.say('change retire-env');
    expect(client.lastMessage).toBe('retire-env is retired: it can no longer be changed (its history stays: type **history retire-env**).');
    await client.say('retire retire-env');
    expect(client.lastMessage).toContain('retire-env is retired');
    await client.say('verify retire-env');
    expect(client.lastMessage).toContain('retire-env is retired, so its Key Vault items are no longer checked.');
    await client.say('environments');
    expect(cardText(client.card)).toContain('Retired · Key Vault retire-env-kv');
  });

  test('refusals: an unknown environment, an open draft of something else, Keep it', async () => {
    const client = new CardClient(rig, requester, { kind: 'personal' });
    await client.say('change nowhere-env');
    expect(client.lastMessage).toBe('No service environment named "nowhere-env" is recorded, so there is nothing to change. Type **environments** to list them.');
    await client.say('setup');
    await client.click({ verb: 'setup.next' }, { 'environment.name': 'half-env', 'environment.users[0].userId': 'bo', 'environment.users[0].email': 'bo@contoso.com' });
    await client.say('change users-env');
    expect(client.lastMessage).toBe('You already have an unfinished setup draft (half-env). Finish it, or type **cancel** to discard it, then ask for the change of users-env again.');
    expect((await rig.app.drafts.get(requester.aadObjectId))?.value.content.environment.name).toBe('half-env');
    const open = await rig.app.drafts.get(requester.aadObjectId);
    if (open) await rig.app.drafts.discard(open);

    await client.say('retire users-env');
    await client.click({ verb: 'environment.keep' });
    expect(cardText(client.card)).toContain('users-env stays as it is');
    expect((await rig.app.registry.environment('users-env'))?.status).toBe('Published');
  });

  test('every card and message the bot sent in these conversations passes the card checks', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(60);
  });
});
