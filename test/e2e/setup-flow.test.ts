import { teamChannel, teamsUser } from '../harness/activities.js';
import { cardProblems, cardText } from '../harness/card-check.js';
import { CardClient, type ClickMode } from '../harness/card-client.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { storeText } from '../harness/store-files.js';
import { TeamsRig } from '../harness/test-bot.js';

const VAULT = 'https://contoso-einvoicing.vault.azure.net/';

async function fillEnvironment(client: CardClient, name = 'contoso-uat'): Promise<void> {
  await client.click({ verb: 'setup.add', list: 'users' }, { 'environment.name': name, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  await client.click({ verb: 'setup.next' }, { 'environment.users[1].userId': 'bo', 'environment.users[1].email': 'bo@contoso.com' });
}

async function fillKeyVault(client: CardClient): Promise<void> {
  await client.click({ verb: 'setup.next' }, { 'keyVault.name': 'contoso-kv', 'keyVault.keyVaultUri': VAULT, 'keyVault.storageSasSecretName': 'storage-sas-token' });
}

describe('collecting a setup request through the real endpoint', () => {
  const rig = new TeamsRig();
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  test.each<[ClickMode]>([['execute'], ['submit']])('an admin produces a submitted request holding all three steps (%s)', async (mode) => {
    const admin = teamsUser(`Admin ${mode}`);
    const client = new CardClient(rig, admin, { kind: 'personal' }, mode);
    await client.say('setup');
    expect(cardText(client.card)).toContain('Step 1 of 4');

    // step 1, with every optional section
    await client.click({ verb: 'setup.add', list: 'users' }, { 'environment.name': `einv-${mode}`, 'environment.description': 'UAT for e-invoicing', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
    await client.click({ verb: 'setup.add', list: 'externalApplications' }, { 'environment.users[1].userId': 'bo', 'environment.users[1].email': 'bo@contoso.com' });
    await client.click({ verb: 'setup.add', list: 'numberSequences' }, { 'environment.externalApplications[0].name': 'Archive connector', 'environment.externalApplications[0].objectId': '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' });
    await client.click({ verb: 'setup.next' }, { 'environment.numberSequences[0].name': 'EINV-SEQ', 'environment.numberSequences[0].description': 'Submission numbers', 'environment.dataverseEndpointUri': 'https://contoso.crm4.dynamics.com/api/data/v9.1/' });
    expect(cardText(client.card)).toContain('Step 2 of 4');

    // step 2 with items and a chain, root first
    await client.click({ verb: 'setup.add', list: 'items' }, { 'keyVault.name': `kv-${mode}`, 'keyVault.keyVaultUri': VAULT, 'keyVault.storageSasSecretName': 'storage-sas-token' });
    await client.click({ verb: 'setup.add', list: 'items' }, { 'keyVault.items[0].name': 'contoso-root-ca', 'keyVault.items[0].type': 'Certificate' });
    await client.click({ verb: 'setup.add', list: 'chains' }, { 'keyVault.items[1].name': 'signing-cert', 'keyVault.items[1].type': 'Certificate', 'keyVault.items[1].description': 'Signs invoices' });
    await client.click({ verb: 'setup.add', list: 'chainCertificates', index: 0 }, { 'keyVault.chains[0].name': 'signing-chain', 'keyVault.chains[0].certificates[0]': 'contoso-root-ca' });
    await client.click({ verb: 'setup.next' }, { 'keyVault.chains[0].certificates[1]': 'signing-cert' });
    expect(cardText(client.card)).toContain('Step 3 of 4');

    // step 3
    await client.click({ verb: 'setup.add', list: 'connectedApplications' });
    await client.click({ verb: 'setup.next' }, {
      'connectedApplications[0].name': 'Contoso Finance UAT',
      'connectedApplications[0].type': 'Dynamics 365 Finance',
      'connectedApplications[0].applicationUrl': 'https://contoso-uat.sandbox.operations.dynamics.com',
      'connectedApplications[0].tenant': 'contoso.onmicrosoft.com',
    });
    expect(cardText(client.card)).toContain('Step 4 of 4');
    const review = cardText(client.card);
    for (const shown of [`einv-${mode}`, 'alice', 'bo@contoso.com', 'Archive connector', 'EINV-SEQ', VAULT, 'storage-sas-token', 'signing-cert', 'contoso-root-ca', 'Contoso Finance UAT']) {
      expect(review).toContain(shown);
    }

    await client.click({ verb: 'setup.submit' });
    const text = cardText(client.card);
    expect(text).toMatch(/SR-\d{4}/);
    expect(text).toContain('Waiting for approval');
    const id = /SR-\d{4}/.exec(text)?.[0] ?? '';

    const request = await rig.app.requests.get(id);
    expect(request?.value).toMatchObject({
      status: 'submitted',
      requester: { objectId: admin.aadObjectId, name: admin.name, tenantId: rig.scene.tenantId },
      content: {
        environment: {
          name: `einv-${mode}`,
          users: [{ userId: 'alice', email: 'alice@contoso.com' }, { userId: 'bo', email: 'bo@contoso.com' }],
          externalApplications: [{ name: 'Archive connector', objectId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }],
          numberSequences: [{ name: 'EINV-SEQ', description: 'Submission numbers' }],
        },
        keyVault: {
          name: `kv-${mode}`,
          keyVaultUri: VAULT,
          storageSasSecretName: 'storage-sas-token',
          chains: [{ name: 'signing-chain', certificates: ['contoso-root-ca', 'signing-cert'] }],
        },
        connectedApplications: [{ name: 'Contoso Finance UAT', tenant: 'contoso.onmicrosoft.com' }],
      },
    });
    expect(request?.value.requesterConversation).toMatchObject({ conversation: { id: client.conversationId } });
    expect(await rig.app.drafts.get(admin.aadObjectId)).toBeUndefined();
    const audit = await rig.app.audit.entries(id);
    expect(audit.map((entry) => entry.action)).toEqual(['submitted']);
    expect(audit[0].actor).toEqual({ kind: 'user', objectId: admin.aadObjectId, name: admin.name });
    expect(await rig.app.audit.verify()).toMatchObject({ ok: true });
  });

  test('an invalid field is explained on the card, the other inputs are kept, and the fix is accepted', async () => {
    const client = new CardClient(rig, teamsUser('Val'), { kind: 'personal' });
    await client.say('setup');
    await fillEnvironment(client, 'val-env');
    await client.click({ verb: 'setup.next' }, { 'keyVault.name': 'val-kv', 'keyVault.keyVaultUri': 'https://my--vault.vault.azure.net/', 'keyVault.storageSasSecretName': 'storage-sas-token' });
    const text = cardText(client.card);
    expect(text).toContain('Step 2 of 4');
    expect(text).toContain('two hyphens in a row');
    expect(JSON.stringify(client.card)).toContain('"value":"val-kv"');
    expect(JSON.stringify(client.card)).toContain('"value":"storage-sas-token"');
    await client.click({ verb: 'setup.next' }, { 'keyVault.keyVaultUri': VAULT });
    expect(cardText(client.card)).toContain('Step 3 of 4');
  });

  test('Back returns to the previous step with its values', async () => {
    const client = new CardClient(rig, teamsUser('Backer'), { kind: 'personal' });
    await client.say('setup');
    await fillEnvironment(client, 'back-env');
    await client.click({ verb: 'setup.back' });
    expect(cardText(client.card)).toContain('Step 1 of 4');
    expect(JSON.stringify(client.card)).toContain('"value":"back-env"');
  });

  test('Edit from the review returns to the review after Next', async () => {
    const client = new CardClient(rig, teamsUser('Editor'), { kind: 'personal' });
    await client.say('setup');
    await fillEnvironment(client, 'edit-env');
    await fillKeyVault(client);
    await client.click({ verb: 'setup.skip' });
    expect(cardText(client.card)).toContain('Step 4 of 4');
    await client.click({ verb: 'setup.edit', section: 'environment' });
    expect(cardText(client.card)).toContain('Step 1 of 4');
    await client.click({ verb: 'setup.next' }, { 'environment.description': 'edited from review' });
    expect(cardText(client.card)).toContain('Step 4 of 4');
    expect(cardText(client.card)).toContain('edited from review');
  });

  test('cancel asks first; Keep editing returns, Discard drops the draft', async () => {
    const user = teamsUser('Canceller');
    const client = new CardClient(rig, user, { kind: 'personal' });
    await client.say('setup');
    await fillEnvironment(client, 'cancel-env');
    await client.say('cancel');
    expect(cardText(client.card)).toContain('Discard');
    await client.click({ verb: 'setup.keep' });
    expect(cardText(client.card)).toContain('Step 2 of 4');
    await client.click({ verb: 'setup.cancel' });
    await client.click({ verb: 'setup.discard' });
    expect(cardText(client.card)).toContain('discarded');
    expect(await rig.app.drafts.get(user.aadObjectId)).toBeUndefined();
  });

  test('a value that looks like a pasted secret is refused with a warning and stored nowhere', async () => {
    const sas = 'https://contosostore.blob.core.windows.net/einvoicing?sv=2022-11-02&sp=racwdl&se=2027-01-01T00:00:00Z&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg%3D%3D';
    const client = new CardClient(rig, teamsUser('Paster'), { kind: 'personal' });
    await client.say('setup');
    await fillEnvironment(client, 'paste-env');
    await client.click({ verb: 'setup.next' }, { 'keyVault.name': 'paste-kv', 'keyVault.keyVaultUri': VAULT, 'keyVault.storageSasSecretName': sas });
    const text = cardText(client.card);
    expect(text).toContain('Step 2 of 4');
    expect(text.toLowerCase()).toContain('secret');
    await rig.app.store.flush();
    const signature = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg';
    expect(JSON.stringify(client.card)).not.toContain(signature);
    expect(await storeText(rig.dataFile)).not.toContain(signature);
    expect(rig.logs.lines.join('\n')).not.toContain(signature);
    const sentToTeams = rig.connector.calls.map((call) => JSON.stringify(call.body)).join('\n');
    expect(sentToTeams).not.toContain(signature);
  });

  test('a click on an out-of-date copy of the card shows the current card instead', async () => {
    const client = new CardClient(rig, teamsUser('Stale'), { kind: 'personal' });
    await client.say('setup');
    const oldCard = client.card;
    await fillEnvironment(client, 'stale-env');
    client.card = oldCard;
    await client.click({ verb: 'setup.next' }, { 'environment.name': 'something-else', 'environment.users[0].userId': 'x', 'environment.users[0].email': 'x@contoso.com' });
    const text = cardText(client.card);
    expect(text).toContain('out of date');
    expect(text).toContain('Step 2 of 4');
    const draft = await rig.app.drafts.get(client.user.aadObjectId);
    expect(draft?.value.content.environment.name).toBe('stale-env');
  });

  test('in a channel, nobody else can click an admin\'s draft card', async () => {
    const channel = teamChannel('Invoicing');
    const owner = new CardClient(rig, teamsUser('Owner'), { kind: 'channel', channel });
    await owner.say('setup');
    const intruder = new CardClient(rig, teamsUser('Intruder'), { kind: 'channel', channel });
    intruder.card = owner.card;
    intruder.messageId = owner.messageId;
    await intruder.click({ verb: 'setup.next' }, { 'environment.name': 'hijack', 'environment.users[0].userId': 'evil', 'environment.users[0].email': 'evil@evil.example' });
    expect(intruder.lastMessage).toContain("someone else's setup draft");
    const draft = await rig.app.drafts.get(owner.user.aadObjectId);
    expect(draft?.value.content.environment.name).toBe('');
    expect(draft?.value.step).toBe('environment');
  });

  test('an unknown card action is refused politely', async () => {
    const client = new CardClient(rig, teamsUser('Unknown'), { kind: 'personal' });
    await client.say('setup');
    client.card = { type: 'AdaptiveCard', version: '1.5', body: [], actions: [{ type: 'Action.Execute', title: 'Mystery', verb: 'launch.rockets', data: { verb: 'launch.rockets' } }] };
    await client.click({ verb: 'launch.rockets' });
    expect(client.lastMessage).toContain("don't know that button");
  });

  test('every card of a whole conversation passes the official parser', async () => {
    const client = new CardClient(rig, teamsUser('Parser'), { kind: 'personal' });
    await client.say('setup');
    const seen = [client.card];
    await fillEnvironment(client, 'parse-env');
    seen.push(client.card);
    await fillKeyVault(client);
    seen.push(client.card);
    await client.click({ verb: 'setup.skip' });
    seen.push(client.card);
    for (const card of seen) expect(cardProblems(card)).toEqual([]);
  });

  test('every card and message the bot sent here passes the card checks (parser, size, no angle-bracket placeholder, step words)', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(20);
  });
});

describe('drafts survive restarts', () => {
  const rig = new TeamsRig();
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  test('after a restart, typing setup offers to resume the draft where it was', async () => {
    const user = teamsUser('Resumer');
    const client = new CardClient(rig, user, { kind: 'personal' });
    await client.say('setup');
    await fillEnvironment(client, 'resume-env');
    expect(cardText(client.card)).toContain('Step 2 of 4');
    await rig.restartBot();
    await client.say('setup');
    expect(cardText(client.card)).toContain('resume-env');
    await client.click({ verb: 'setup.resume' });
    expect(cardText(client.card)).toContain('Step 2 of 4');
    await fillKeyVault(client);
    expect(cardText(client.card)).toContain('Step 3 of 4');
  });

  test('Start over replaces the draft with an empty one', async () => {
    const user = teamsUser('Restarter');
    const client = new CardClient(rig, user, { kind: 'personal' });
    await client.say('setup');
    await fillEnvironment(client, 'old-env');
    await client.say('setup');
    await client.click({ verb: 'setup.startOver' });
    expect(cardText(client.card)).toContain('Step 1 of 4');
    expect((await rig.app.drafts.get(user.aadObjectId))?.value.content.environment.name).toBe('');
  });
});

describe('only configured requesters may request a setup', () => {
  const allowed = teamsUser('Allowed');
  const rig = new TeamsRig({ env: { SETUPBOT_REQUESTERS: allowed.aadObjectId } });
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  test('refuses someone who is not a requester, and starts no draft', async () => {
    const stranger = teamsUser('Stranger');
    const client = new CardClient(rig, stranger, { kind: 'personal' });
    const reply = await client.say('setup');
    expect(reply.text).toContain('not on the list of people who can request');
    expect(await rig.app.drafts.get(stranger.aadObjectId)).toBeUndefined();
  });

  test('serves a configured requester', async () => {
    const client = new CardClient(rig, allowed, { kind: 'personal' });
    await client.say('setup');
    expect(cardText(client.card)).toContain('Step 1 of 4');
  });
});
