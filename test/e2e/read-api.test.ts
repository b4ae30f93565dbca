import { COLLECTIONS } from '../../bot/collections.js';
import { AUDIT_ENTRIES } from '../../setup/audit/audit.js';
import { EmbeddedStore } from '../../storage/embedded-store.js';
import type {
  ApiError,
  EnvironmentHistoryResponse,
  EnvironmentListResponse,
  EnvironmentResponse,
  RequestListResponse,
  RequestResponse,
} from '../../read-api/shapes.js';
import { TEST_APP_ID } from '../harness/test-bot.js';
import { cardText } from '../harness/card-check.js';
import { CardClient } from '../harness/card-client.js';
import { ReadApiWorld } from '../harness/read-api-scenario.js';
import { entraIssuer } from '../harness/entra-issuer.js';

const OTHER_TENANT = '12345678-1234-4234-8234-123456789abc';

describe('read API: /api/environments and /api/requests behind Entra ID tokens', () => {
  const world = new ReadApiWorld();
  /** Every body the API answered in this file, checked for secrets at the end. */
  const answered: string[] = [];

  beforeAll(() => world.start(), 120_000);
  afterAll(() => world.stop());

  async function call<T>(path: string, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const result = await world.get(path, token, headers);
    answered.push(result.text);
    return { status: result.status, body: result.body as T, headers: result.headers };
  }

  describe('authentication: every failure is a 401 with a JSON error', () => {
    const cases: [string, () => string | undefined, string][] = [
      ['no token', () => undefined, 'missing_token'],
      ['a token that is not a JWT', () => 'not-a-jwt', 'malformed_token'],
      ['a bad signature', () => world.token(world.ada, { forgeSignature: true }), 'bad_signature'],
      ['an unsigned token (alg none)', () => world.token(world.ada, { algNone: true }), 'unsupported_algorithm'],
      ['HS256 (a shared secret of the caller’s choosing)', () => world.token(world.ada, { hs256Secret: 'chosen-by-the-caller' }), 'unsupported_algorithm'],
      ['the wrong audience', () => world.token(world.ada, { audience: 'api://someone-else.contoso.com/botid-00000000-0000-0000-0000-000000000000' }), 'wrong_audience'],
      ['a tenant that is not allowed', () => world.token(world.ada, { tenantId: OTHER_TENANT }), 'wrong_tenant'],
      ['a v1 issuer (sts.windows.net)', () => world.token(world.ada, { issuer: `https://sts.windows.net/${'99999999-8888-4777-8666-555555555555'}/` }), 'wrong_issuer'],
      ['another tenant’s issuer with an allowed tid', () => world.token(world.ada, { issuer: entraIssuer(OTHER_TENANT) }), 'wrong_issuer'],
      ['an expired token', () => world.token(world.ada, { expiresIn: -3600 }), 'expired'],
      ['an app-only token (no scp)', () => world.token(world.ada, { appOnly: true }), 'not_a_user_token'],
    ];
    test.each(cases)('%s', async (_name, token, reason) => {
      for (const path of ['/api/environments', '/api/environments/riley-uat', '/api/environments/riley-uat/history', '/api/requests', `/api/requests/${world.ids.rileyDone}`]) {
        const { status, body, headers } = await call<ApiError>(path, token());
        expect(status).toBe(401);
        expect(headers.get('content-type')).toMatch(/application\/json/);
        expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(body.error).toMatchObject({ code: 'unauthorized', reason });
        expect(body.error.message.length).toBeGreaterThan(10);
        expect(JSON.stringify(body)).not.toMatch(/riley-uat|SR-\d/);
      }
    });

    test('both audiences Teams may issue are accepted: the SSO resource and the app id', async () => {
      expect((await call('/api/requests', world.token(world.ada))).status).toBe(200);
      expect((await call('/api/requests', world.token(world.ada, { audience: TEST_APP_ID }))).status).toBe(200);
      expect(world.rig.logs.entries().filter((entry) => entry.event === 'api_auth_failed').length).toBeGreaterThan(0);
    });

    test('the tenant keys come from the configured metadata, fetched once and cached', () => {
      const metadata = world.entra.requests.filter((path) => path.endsWith('/openid-configuration'));
      expect(metadata.length).toBe(1);
      expect(metadata[0]).toContain('/99999999-8888-4777-8666-555555555555/v2.0/');
      // never fetched for a tenant outside the allow-list
      expect(world.entra.requests.some((path) => path.includes(OTHER_TENANT))).toBe(false);
    });
  });

  describe('scoping', () => {
    test('an approver sees every request, newest first, and every environment', async () => {
      const requests = await call<RequestListResponse>('/api/requests', world.token(world.ada));
      expect(requests.status).toBe(200);
      expect(requests.headers.get('cache-control')).toBe('no-store');
      expect(requests.body.viewer).toEqual({ objectId: world.ada.aadObjectId, name: 'Ada Approver', seesEverything: true, anonymous: false });
      expect(requests.body.requests.map((request) => request.id)).toEqual([world.ids.rileyPending, world.ids.quinnDone, world.ids.rileyDone]);
      const environments = await call<EnvironmentListResponse>('/api/environments', world.token(world.ada));
      expect(environments.body.environments.map((environment) => environment.name)).toEqual(['quinn-prod', 'riley-uat']);
      expect((await call(`/api/requests/${world.ids.quinnDone}`, world.token(world.ada))).status).toBe(200);
      expect((await call('/api/environments/quinn-prod', world.token(world.ada))).status).toBe(200);
    });

    test('a requester sees only their own requests and the environments those created', async () => {
      const token = world.token(world.riley);
      const requests = await call<RequestListResponse>('/api/requests', token);
      expect(requests.body.viewer.seesEverything).toBe(false);
      expect(requests.body.requests.map((request) => request.id)).toEqual([world.ids.rileyPending, world.ids.rileyDone]);
      const environments = await call<EnvironmentListResponse>('/api/environments', token);
      expect(environments.body.environments.map((environment) => environment.name)).toEqual(['riley-uat']);
      expect((await call(`/api/requests/${world.ids.rileyPending}`, token)).status).toBe(200);
      const foreign = await call<ApiError>(`/api/requests/${world.ids.quinnDone}`, token);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('not_found');
      expect((await call('/api/environments/quinn-prod', token)).status).toBe(404);
    });

    test('a stranger sees nothing, and cannot tell a hidden request from a missing one', async () => {
      const token = world.token(world.sam);
      expect((await call<RequestListResponse>('/api/requests', token)).body.requests).toEqual([]);
      expect((await call<EnvironmentListResponse>('/api/environments', token)).body.environments).toEqual([]);
      const hidden = await call<ApiError>(`/api/requests/${world.ids.rileyDone}`, token);
      const missing = await call<ApiError>('/api/requests/SR-9999', token);
      expect([hidden.status, missing.status]).toEqual([404, 404]);
      expect(hidden.body.error.message.replace(world.ids.rileyDone, 'X')).toBe(missing.body.error.message.replace('SR-9999', 'X'));
      expect((await call('/api/environments/riley-uat', token)).status).toBe(404);
    });
  });

  describe('what the responses hold', () => {
    test('a request: state, requester, approvals with who and when, execution steps, its audit trail and the chain verdict', async () => {
      const { body } = await call<RequestResponse>(`/api/requests/${world.ids.rileyDone.toLowerCase()}`, world.token(world.riley));
      const { request } = body;
      expect(request).toMatchObject({
        id: world.ids.rileyDone,
        state: 'succeeded',
        environment: 'riley-uat',
        keyVaultReference: 'riley-uat-kv',
        connectedApplications: ['riley-uat Finance 1'],
        requester: { objectId: world.riley.aadObjectId, name: 'Riley Requester' },
        approvals: { required: 1, received: 1, approverIds: [world.ada.aadObjectId] },
      });
      expect(request.approvals.decisions).toEqual([{ objectId: world.ada.aadObjectId, name: 'Ada Approver', decision: 'approved', at: expect.any(String), comment: 'Looks right' }]);
      expect(request.execution?.steps.map((step) => [step.title, step.state])).toEqual([
        ['Verify Key Vault reference riley-uat-kv', 'ok'],
        ['Record service environment riley-uat', 'ok'],
        ['Publish service environment riley-uat', 'ok'],
        ['Connect riley-uat Finance 1', 'ok'],
      ]);
      expect(request.content.keyVault.items.map((item) => item.name)).toEqual(['contoso-root-ca', 'contoso-signing']);
      const actions = request.audit.entries.map((entry) => entry.action);
      expect(actions[0]).toBe('submitted');
      expect(actions).toEqual(expect.arrayContaining(['approved', 'execution_started', 'step_finished', 'succeeded']));
      expect(request.audit.entries.every((entry) => /^[0-9a-f]{64}$/.test(entry.hash))).toBe(true);
      expect(request.audit.entries[1]).toMatchObject({ action: 'approved', actor: { objectId: world.ada.aadObjectId, name: 'Ada Approver' } });
      expect(request.audit.chain).toMatchObject({ ok: true });
      // the request's own entries, each verified where it sits in the log's chain
      expect(request.audit.chain.ok && request.audit.chain.entries).toBe(request.audit.entries.length);
    });

    test("in the caller's language (Accept-Language): a German reader gets German step titles and findings, an unknown language English", async () => {
      const path = `/api/requests/${world.ids.rileyDone}`;
      const german = (await call<RequestResponse>(path, world.token(world.riley), { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' })).body.request;
      const steps = german.execution?.steps ?? [];
      expect(steps.map((step) => step.title)[0]).toBe('Key Vault-Referenz riley-uat-kv prüfen');
      expect(steps[0].messages.join('\n')).toMatch(/storage-sas-token \(Storage SAS-Tokengeheimnis\)/);
      for (const header of [{}, { 'accept-language': 'ja-JP' }, { 'accept-language': '*' }] as Record<string, string>[]) {
        const english = (await call<RequestResponse>(path, world.token(world.riley), header)).body.request;
        expect(english.execution?.steps[0].title).toBe('Verify Key Vault reference riley-uat-kv');
        expect(english.execution?.steps[0].messages.join('\n')).toContain('storage-sas-token (storage SAS secret)');
      }
      const history = (await call<EnvironmentHistoryResponse>('/api/environments/riley-uat/history', world.token(world.ada), { 'accept-language': 'de' })).body.history;
      const englishHistory = (await call<EnvironmentHistoryResponse>('/api/environments/riley-uat/history', world.token(world.ada))).body.history;
      expect(history.entries.map((entry) => entry.seq)).toEqual(englishHistory.entries.map((entry) => entry.seq));
      expect(history.entries.map((entry) => entry.text)).not.toEqual(englishHistory.entries.map((entry) => entry.text));
    });

    test('a pending request: waiting for approvals, no execution', async () => {
      const { body } = await call<RequestResponse>(`/api/requests/${world.ids.rileyPending}`, world.token(world.riley));
      expect(body.request).toMatchObject({ state: 'submitted', approvals: { required: 1, received: 0, decisions: [] }, execution: null });
      expect(Date.parse(body.request.expiresAt)).toBeGreaterThan(Date.now());
    });

    test('an environment: state, users, its Key Vault reference with the last verification, linked applications with their last check', async () => {
      const { status, body } = await call<EnvironmentResponse>('/api/environments/RILEY-UAT', world.token(world.riley));
      expect(status).toBe(200);
      const { environment } = body;
      expect(environment).toMatchObject({
        name: 'riley-uat',
        state: 'Published',
        recordedBy: world.ids.rileyDone,
        users: [{ userId: 'alice', email: 'alice@contoso.com' }],
        keyVault: { name: 'riley-uat-kv', keyVaultUri: 'https://contoso-einvoicing.vault.azure.net/', storageSasSecretName: 'storage-sas-token' },
      });
      expect(environment.publishedAt).not.toBeNull();
      const verification = environment.keyVault!.lastVerification;
      expect(verification.outcome).toBe('ok');
      expect(Date.parse(verification.checkedAt)).toBeGreaterThan(0);
      expect(verification.items.map((item) => [item.name, item.outcome])).toEqual([
        ['storage-sas-token', 'ok'],
        ['contoso-root-ca', 'ok'],
        ['contoso-signing', 'ok'],
      ]);
      expect(verification.items[0].sas).toMatchObject({ account: 'contosoeinv', container: 'einvoicing', permissions: expect.stringContaining('racwdl') });
      // Electronic invoicing's own use, apart from setupbot's reading, in words with the codes
      expect(verification.serviceUse?.findings.map((finding) => [finding.code, finding.outcome])).toEqual([
        ['principal.found', 'ok'],
        ['network.vaultOpen', 'ok'],
        ['access.policyGranted', 'ok'],
      ]);
      expect(verification.items.map((item) => item.serviceUse?.outcome)).toEqual(['ok', 'ok', 'ok']);
      expect(verification.items[0].serviceUse?.findings.map((finding) => finding.text)).toEqual([
        'Electronic invoicing can use the SAS: with it alone, setupbot listed container einvoicing of storage account contosoeinv, created a probe blob, read it back and deleted it.',
        'can use it',
        'The storage account contosoeinv accepts connections from all networks.',
        'The container einvoicing is private.',
      ]);
      expect(verification.items[2].certificate?.subject).toContain('contoso-signing');
      expect(environment.connectedApplications).toEqual([
        {
          name: 'riley-uat Finance 1',
          type: 'Dynamics 365 Finance',
          applicationUrl: world.finance.url('/'),
          tenant: 'contoso.onmicrosoft.com',
          lastCheck: { outcome: 'ok', status: 200, message: expect.stringContaining('HTTP 200') },
        },
      ]);
    });

    test('unknown paths and ids answer 404 JSON', async () => {
      const { status, body } = await call<ApiError>('/api/environments/no-such-env', world.token(world.ada));
      expect(status).toBe(404);
      expect(body.error.message).toContain('no-such-env');
    });
  });

  describe('the history of an environment: GET /api/environments/{name}/history?page=N', () => {
    let changeId = '';

    beforeAll(async () => {
      // a change of riley-uat by Riley, approved by Ada: its history now holds two requests, more than a page
      const client = new CardClient(world.rig, world.riley, { kind: 'personal' });
      await client.say('change riley-uat');
      await client.click({ verb: 'setup.add', list: 'users' });
      await client.click({ verb: 'setup.next' }, { 'environment.users[1].userId': 'bob', 'environment.users[1].email': 'bob@contoso.com' });
      await client.click({ verb: 'setup.next' });
      await client.click({ verb: 'setup.next' });
      await client.click({ verb: 'setup.submit' });
      changeId = /SR-\d{4}/.exec(cardText(client.card))?.[0] ?? '';
      await world.rig.app.settled();
      await world.approve(changeId);
    });

    test('newest first, a page at a time, with the same words and chain verdict as `history` in chat', async () => {
      const first = await call<EnvironmentHistoryResponse>('/api/environments/riley-uat/history', world.token(world.riley));
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      const { history } = first.body;
      expect(history).toMatchObject({ environment: 'riley-uat', page: 1, pages: 2, pageSize: 10, total: 15, chain: { ok: true, entries: 10 } });
      expect(history.entries).toHaveLength(10);
      const seqs = history.entries.map((entry) => entry.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      expect(history.entries[0]).toMatchObject({ requestId: changeId, action: 'succeeded', text: 'Finished: succeeded', actor: { system: true } });
      expect(history.entries.map((entry) => entry.text)).toContain('Approved by Ada Approver — “Looks right”');
      expect(history.entries.map((entry) => entry.text)).toContain('Requested by Riley Requester: change to riley-uat (version 1): added user bob (bob@contoso.com)');

      const second = await call<EnvironmentHistoryResponse>('/api/environments/RILEY-UAT/history?page=2', world.token(world.ada));
      expect(second.body.history).toMatchObject({ page: 2, pages: 2, total: 15 });
      expect(second.body.history.entries.map((entry) => entry.requestId)).toEqual(Array(5).fill(world.ids.rileyDone));
      expect(second.body.history.entries.at(-1)).toMatchObject({ action: 'submitted', actor: { name: 'Riley Requester' } });
      expect(Math.min(...seqs)).toBeGreaterThan(Math.max(...second.body.history.entries.map((entry) => entry.seq)));

      // the chat card shows the same entries
      const chat = new CardClient(world.rig, world.riley, { kind: 'personal' });
      await chat.say('history riley-uat');
      for (const entry of history.entries) expect(cardText(chat.card)).toContain(entry.text);
    });

    test('scoping: approvers and those who asked for something of the environment; anyone else gets the 404 of a missing one', async () => {
      expect((await call('/api/environments/riley-uat/history', world.token(world.ada))).status).toBe(200);
      const foreign = await call<ApiError>('/api/environments/riley-uat/history', world.token(world.quinn));
      const missing = await call<ApiError>('/api/environments/no-such-env/history', world.token(world.quinn));
      expect([foreign.status, missing.status]).toEqual([404, 404]);
      expect(foreign.body.error.message.replace('riley-uat', 'X')).toBe(missing.body.error.message.replace('no-such-env', 'X'));
      expect((await call('/api/environments/riley-uat/history', world.token(world.sam))).status).toBe(404);
      expect((await call('/api/environments/quinn-prod/history', world.token(world.quinn))).status).toBe(200);
    });

    test('a page that is not a whole number from 1 is a 400; one past the end shows the last page', async () => {
      for (const page of ['0', 'abc', '-1', '1.5', '99999999']) {
        const { status, body } = await call<ApiError>(`/api/environments/riley-uat/history?page=${page}`, world.token(world.ada));
        expect([page, status, body.error.code]).toEqual([page, 400, 'bad_request']);
      }
      expect((await call<EnvironmentHistoryResponse>('/api/environments/riley-uat/history?page=7', world.token(world.ada))).body.history.page).toBe(2);
    });

    test('the environment carries its version and the request that made it', async () => {
      const { body } = await call<EnvironmentResponse>('/api/environments/riley-uat', world.token(world.riley));
      expect(body.environment).toMatchObject({ version: 2, lastChangedBy: changeId, recordedBy: world.ids.rileyDone, retiredAt: null });
      const change = await call<RequestResponse>(`/api/requests/${changeId}`, world.token(world.riley));
      expect(change.body.request).toMatchObject({ kind: 'change', baseVersion: 1, changes: ['+ Added · user bob (bob@contoso.com)'], state: 'succeeded' });
      expect((await call<RequestResponse>(`/api/requests/${world.ids.rileyDone}`, world.token(world.riley))).body.request).toMatchObject({ kind: 'setup', baseVersion: null, changes: [] });
      expect(body.environment.users.map((user) => user.userId)).toEqual(['alice', 'bob']);
    });
  });

  test('no secret value in any response (SAS signature, certificate bodies, private keys, access tokens)', async () => {
    for (const path of ['/api/environments', '/api/environments/riley-uat', '/api/environments/riley-uat/history', '/api/requests', `/api/requests/${world.ids.rileyDone}`]) {
      await call(path, world.token(world.ada));
    }
    const everything = answered.join('\n');
    expect(everything).toContain('storage-sas-token');
    for (const secret of world.secrets) expect(everything).not.toContain(secret);
    // and no bearer token ends up in the logs
    const token = world.token(world.ada);
    await call('/api/requests', token);
    await call('/api/requests', world.token(world.ada, { expiresIn: -3600 }));
    expect(world.rig.logs.lines.join('\n')).not.toContain(token.split('.')[2]);
  });

  test('a tampered audit log is reported on the request: the chain verdict says where it breaks', async () => {
    await world.rig.app.stop();
    // someone with access to the files rewrites an entry with the store's own tools
    const store = await EmbeddedStore.open({ file: world.rig.dataFile, collections: COLLECTIONS });
    const entries = store.repository(AUDIT_ENTRIES);
    const [, second] = await entries.find('request', world.ids.rileyDone);
    await entries.update(second.id, second.version, { details: { ...second.value.details, comment: 'quietly edited' } });
    await store.close();
    await world.rig.startBot();
    const { body } = await call<RequestResponse>(`/api/requests/${world.ids.rileyDone}`, world.token(world.ada));
    expect(body.request.audit.chain).toMatchObject({ ok: false, brokenAt: second.value.seq, reason: expect.stringContaining('edited') });
  });
});

describe('read API in anonymous local mode', () => {
  test('serves the local user (everything) without a token, on loopback', async () => {
    const { TeamsRig } = await import('../harness/test-bot.js');
    const rig = new TeamsRig({ env: { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppTenantId: '' } });
    await rig.start();
    try {
      const response = await fetch(`${rig.url}/api/requests`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as RequestListResponse;
      expect(body.viewer).toMatchObject({ seesEverything: true, anonymous: true });
      expect(body.requests).toEqual([]);
      expect(rig.logs.events()).toContain('anonymous_api');
      expect(rig.config.host).toBe('127.0.0.1');
    } finally {
      await rig.stop();
    }
  });
});
