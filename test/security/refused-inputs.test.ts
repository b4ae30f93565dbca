/**
 * Security regression table (issue 13, item 4): every input the bot must refuse, one row each —
 * forged channel tokens, malformed or oversize bodies, forged card actions, pasted secrets. A new
 * finding is one more row. Each row names the input, the expected HTTP status and answer, and
 * the store (its files on disk, checkpoint + journal) is compared before and after: a refused
 * input changes nothing, except what a row names (a re-shown draft card bumps its revision).
 */
import { jest } from '@jest/globals';
import { cardExecute, cardSubmit, personalMessage, teamChannel, teamsUser, type TeamsUser } from '../harness/activities.js';
import { cardText } from '../harness/card-check.js';
import { storeText } from '../harness/store-files.js';
import { TeamsRig, TEST_APP_ID, TEST_TENANT_ID, type PostResult } from '../harness/test-bot.js';
import { EntraIssuer } from '../harness/entra-issuer.js';
import { FuzzWorld, storeChanges, type StoreChange } from '../fuzz/fuzz-world.js';
import { ACCESS_TOKEN, CLIENT_SECRET, CONNECTION_STRING, PEM_PRIVATE_KEY, SAS_URL, SECRET_CORES } from './secret-samples.js';

const mallory = teamsUser('Mallory Stranger');

type RowKind = 'token' | 'body' | 'card' | 'secret';

interface Row {
  kind: RowKind;
  name: string;
  /** Sends the input; resolves with the HTTP answer. */
  send: (world: FuzzWorld) => Promise<PostResult>;
  status: number;
  /** Must appear in the answer (HTTP body, or what the bot sent back to the conversation). */
  answer: RegExp;
  /** Store changes this refusal may make (default: none at all). */
  allowed?: (change: StoreChange, world: FuzzWorld) => boolean;
  /** Must appear nowhere on disk afterwards (pasted secrets). */
  neverStored?: string;
}

/** A valid channel token unless given. */
const post = (world: FuzzWorld, activity: object, token?: string | null): Promise<PostResult> => world.rig.post(activity, token);
const raw = (world: FuzzWorld, body: string, contentType = 'application/json'): Promise<PostResult> =>
  world.rig.postRaw(body, { authorization: `Bearer ${world.rig.issuer.sign({ serviceUrl: world.rig.scene.serviceUrl })}` }, contentType);
const help = (world: FuzzWorld): Record<string, unknown> => personalMessage(world.rig.scene, mallory, 'help') as Record<string, unknown>;
const forged = (world: FuzzWorld, options: Parameters<FuzzWorld['rig']['issuer']['sign']>[0]): Promise<PostResult> =>
  post(world, help(world), world.rig.issuer.sign({ serviceUrl: world.rig.scene.serviceUrl, ...options }));

/** A click on a request card by `user`, as an Action.Execute invoke. */
const requestClick = (world: FuzzWorld, user: TeamsUser, verb: string, data: Record<string, unknown>): Promise<PostResult> =>
  post(world, cardExecute(world.rig.scene, user, { kind: 'personal' }, verb, { verb, ...data }));
const pendingVersion = (world: FuzzWorld): number => world.pendingVersion;
/** The data of the button with `verb` on Quinn's current draft card. */
function quinnButton(world: FuzzWorld, verb: string): Record<string, unknown> {
  const text = JSON.stringify(world.quinnDraft.card);
  const match = new RegExp(`"verb":"${verb.replace('.', '\\.')}","title":"[^"]*","data":(\\{[^}]*\\})`).exec(text);
  if (!match) throw new Error(`no ${verb} button on Quinn's card`);
  return JSON.parse(match[1]) as Record<string, unknown>;
}
/** Quinn types `field` = `value` on his own key vault card and clicks Next. */
async function quinnTypes(world: FuzzWorld, field: string, value: string): Promise<PostResult> {
  const answer = await post(world, cardExecute(world.rig.scene, world.quinn, { kind: 'personal' }, 'setup.next', { ...quinnButton(world, 'setup.next'), 'keyVault.name': 'quinn-kv', 'keyVault.keyVaultUri': 'https://quinn.vault.azure.net/', 'keyVault.storageSasSecretName': 'storage-sas', [field]: value }));
  const body = answer.body as { value?: Record<string, unknown> } | undefined;
  if (body?.value && typeof body.value === 'object') world.quinnDraft.card = body.value;
  return answer;
}
/** A re-shown draft card bumps Quinn's draft revision and his dialog state; nothing else. */
const quinnsDraftCard = (change: StoreChange, world: FuzzWorld): boolean =>
  (change.collection === 'drafts' && change.id === world.quinn.aadObjectId.toLowerCase()) || (change.collection === 'botState' && change.id.includes(personalMessage(world.rig.scene, world.quinn, '').conversation?.id ?? '-'));

/** Riley types `text` in his chat with the bot. */
const rileySays = (world: FuzzWorld, text: string): Promise<PostResult> => post(world, personalMessage(world.rig.scene, world.riley, text));
const SECRET_ARGUMENT = /looked like a secret value/;

const AUTH = /Authentication failed/;
const NOT_AN_ACTIVITY = /Not an activity/;

const ROWS: Row[] = [
  // forged or missing channel tokens (were in test/e2e/foundation.test.ts)
  { kind: 'token', name: 'no Authorization header', send: (w) => post(w, help(w), null), status: 401, answer: AUTH },
  { kind: 'token', name: 'a bad signature', send: (w) => forged(w, { forgeSignature: true }), status: 401, answer: AUTH },
  { kind: 'token', name: 'another audience', send: (w) => forged(w, { audience: '00000000-0000-4000-8000-000000000000' }), status: 401, answer: AUTH },
  { kind: 'token', name: 'another issuer', send: (w) => forged(w, { issuer: 'https://login.evil.example/' }), status: 401, answer: AUTH },
  { kind: 'token', name: 'an expired token', send: (w) => forged(w, { expiresIn: -3600 }), status: 401, answer: AUTH },
  { kind: 'token', name: 'an unsigned token (alg none)', send: (w) => forged(w, { algNone: true }), status: 401, answer: AUTH },
  { kind: 'token', name: 'a key not endorsed for msteams', send: (w) => forged(w, { endorsedFor: 'webchat' }), status: 401, answer: AUTH },
  { kind: 'token', name: 'a serviceurl claim other than the activity serviceUrl', send: (w) => post(w, help(w), w.rig.issuer.sign({ serviceUrl: 'https://smba.evil.example/teams/' })), status: 401, answer: AUTH },

  // malformed and oversize bodies (were in test/e2e/foundation.test.ts, plus the fuzz findings)
  { kind: 'body', name: 'invalid JSON', send: (w) => raw(w, '{"type": "message",'), status: 400, answer: /./ },
  { kind: 'body', name: 'a JSON array', send: (w) => raw(w, '[1,2,3]'), status: 400, answer: NOT_AN_ACTIVITY },
  { kind: 'body', name: 'a JSON string', send: (w) => raw(w, '"hello"'), status: 400, answer: NOT_AN_ACTIVITY },
  { kind: 'body', name: 'an activity without type', send: (w) => raw(w, JSON.stringify({ ...help(w), type: undefined })), status: 400, answer: /type is missing/ },
  { kind: 'body', name: 'an activity without serviceUrl', send: (w) => raw(w, JSON.stringify({ ...help(w), serviceUrl: undefined })), status: 400, answer: /serviceUrl is missing/ },
  { kind: 'body', name: 'a non-http serviceUrl', send: (w) => raw(w, JSON.stringify({ ...help(w), serviceUrl: 'file:///etc/passwd' })), status: 400, answer: /not http/ },
  { kind: 'body', name: 'an activity without conversation', send: (w) => raw(w, JSON.stringify({ ...help(w), conversation: undefined })), status: 400, answer: /conversation.id is missing/ },
  { kind: 'body', name: 'text that is not a string', send: (w) => raw(w, JSON.stringify({ ...help(w), text: { evil: true } })), status: 400, answer: /text is not a string/ },
  { kind: 'body', name: 'a body that is not JSON', send: (w) => w.rig.postRaw('type=message', {}, 'application/x-www-form-urlencoded'), status: 415, answer: /application\/json/ },
  { kind: 'body', name: 'a body over the size limit', send: (w) => raw(w, JSON.stringify({ ...help(w), text: 'x'.repeat(w.rig.config.maxBodyBytes + 10) })), status: 413, answer: /./ },
  { kind: 'body', name: 'from.aadObjectId a number (fuzz)', send: (w) => raw(w, JSON.stringify({ ...help(w), from: { id: mallory.id, aadObjectId: -2058723180 } })), status: 400, answer: /from.aadObjectId is not a string/ },
  { kind: 'body', name: 'entities a string (fuzz)', send: (w) => raw(w, JSON.stringify({ ...help(w), entities: 'approve' })), status: 400, answer: /entities is not a list/ },
  { kind: 'body', name: 'a mention without mentioned (fuzz)', send: (w) => raw(w, JSON.stringify({ ...help(w), entities: [{ type: 'mention', text: '<at>x</at>' }] })), status: 400, answer: /mentioned.id is missing/ },
  { kind: 'body', name: 'a conversation id with control and non-ASCII characters (fuzz)', send: (w) => raw(w, JSON.stringify({ ...help(w), conversation: { id: 'retire\u202dnotify\u001b', conversationType: 'personal', tenantId: w.rig.scene.tenantId } })), status: 400, answer: /not a Teams conversation id/ },
  { kind: 'body', name: 'an activity id with a lone surrogate (fuzz)', send: (w) => raw(w, JSON.stringify({ ...help(w), id: 'cancel\ud83d\b' })), status: 400, answer: /id is not a Teams activity id/ },
  { kind: 'body', name: 'a teamDeleted event without its team (fuzz)', send: (w) => raw(w, JSON.stringify({ ...help(w), type: 'conversationUpdate', text: undefined, channelData: { tenant: { id: w.rig.scene.tenantId }, eventType: 'teamDeleted' } })), status: 400, answer: /channelData.team.id is missing/ },
  { kind: 'body', name: 'an invoke the bot does not handle (fuzz)', send: (w) => post(w, { ...cardExecute(w.rig.scene, mallory, { kind: 'personal' }, 'request.approve', {}), name: 'composeExtension/query' }), status: 400, answer: /only handles card actions/ },

  // forged card actions
  { kind: 'card', name: 'a stranger approves someone’s request', send: (w) => requestClick(w, mallory, 'request.approve', { requestId: w.ids.pending, v: pendingVersion(w) }), status: 200, answer: /Only the configured approvers/ },
  { kind: 'card', name: 'a stranger rejects someone’s request (Action.Submit)', send: (w) => post(w, cardSubmit(w.rig.scene, mallory, { kind: 'personal' }, { verb: 'request.reject', requestId: w.ids.pending, v: pendingVersion(w) })), status: 200, answer: /Only the configured approvers/ },
  { kind: 'card', name: 'self-approval by a requester who is an approver', send: (w) => requestClick(w, w.riley, 'request.approve', { requestId: w.ids.pending, v: pendingVersion(w) }), status: 200, answer: /your own request/ },
  { kind: 'card', name: 'an approval on a stale card version', send: (w) => requestClick(w, w.ada, 'request.approve', { requestId: w.ids.pending, v: pendingVersion(w) + 7 }), status: 200, answer: /out of date/ },
  { kind: 'card', name: 'an approval of a request already rejected', send: (w) => requestClick(w, w.ada, 'request.approve', { requestId: w.ids.rejected, v: 1 }), status: 200, answer: /rejected/i },
  { kind: 'card', name: 'an approval of an unknown request', send: (w) => requestClick(w, w.ada, 'request.approve', { requestId: 'SR-9999', v: 1 }), status: 200, answer: /SR-9999|no request|not find|couldn/i },
  { kind: 'card', name: 'a negative version', send: (w) => requestClick(w, w.ada, 'request.approve', { requestId: w.ids.pending, v: -1 }), status: 200, answer: /don't know that button/ },
  { kind: 'card', name: 'a stranger cancels someone’s request', send: (w) => requestClick(w, mallory, 'request.cancel', { requestId: w.ids.pending, v: pendingVersion(w) }), status: 200, answer: /Only the person who asked/ },
  { kind: 'card', name: 'a stranger clicks Next on someone’s draft card', send: (w) => post(w, cardExecute(w.rig.scene, mallory, { kind: 'personal' }, 'setup.next', quinnButton(w, 'setup.next'))), status: 200, answer: /someone else's setup draft/ },
  { kind: 'card', name: 'a stranger clicks Cancel on someone’s draft card from a team channel', send: (w) => post(w, cardExecute(w.rig.scene, mallory, { kind: 'channel', channel: teamChannel('Elsewhere') }, 'setup.cancel', quinnButton(w, 'setup.cancel'))), status: 200, answer: /someone else's setup draft/ },
  { kind: 'card', name: 'an unknown verb', send: (w) => requestClick(w, w.ada, 'request.delete', { requestId: w.ids.pending, v: pendingVersion(w) }), status: 200, answer: /don't know that button/ },

  // pasted secrets: refused, the field emptied, never stored
  { kind: 'secret', name: 'a SAS URL as the SAS secret name', send: (w) => quinnTypes(w, 'keyVault.storageSasSecretName', SAS_URL), status: 200, answer: /looked like a secret/, allowed: quinnsDraftCard, neverStored: SAS_URL },
  { kind: 'secret', name: 'a PEM private key as the vault name', send: (w) => quinnTypes(w, 'keyVault.name', PEM_PRIVATE_KEY), status: 200, answer: /looked like a secret/, allowed: quinnsDraftCard, neverStored: PEM_PRIVATE_KEY.split('\n')[2] },
  { kind: 'secret', name: 'a storage connection string as the vault URI', send: (w) => quinnTypes(w, 'keyVault.keyVaultUri', 'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=c2VjcmV0LWtleS12YWx1ZS10aGF0LWlzLWxvbmctZW5vdWdoLXRvLWJlLWEta2V5;EndpointSuffix=core.windows.net'), status: 200, answer: /looked like a secret/, allowed: quinnsDraftCard, neverStored: 'c2VjcmV0LWtleS12YWx1ZS10aGF0LWlzLWxvbmctZW5vdWdoLXRvLWJlLWEta2V5' },
  { kind: 'secret', name: 'a SAS URL as the approval comment (sentinel)', send: (w) => requestClick(w, w.ada, 'request.approve', { requestId: w.ids.pending, v: pendingVersion(w), comment: SAS_URL }), status: 200, answer: /comment looked like a secret/, neverStored: new URL(SAS_URL).searchParams.get('sig') ?? SAS_URL },
  // a pasted secret as the argument of a command that used to quote it back (issue 23, item 5)
  { kind: 'secret', name: 'show <a SAS URL>', send: (w) => rileySays(w, `show ${SAS_URL}`), status: 200, answer: SECRET_ARGUMENT, neverStored: SECRET_CORES['a SAS URL'] },
  { kind: 'secret', name: 'verify <a client secret>', send: (w) => rileySays(w, `verify ${CLIENT_SECRET}`), status: 200, answer: SECRET_ARGUMENT, neverStored: CLIENT_SECRET },
  { kind: 'secret', name: 'history <a connection string>', send: (w) => rileySays(w, `history ${CONNECTION_STRING}`), status: 200, answer: SECRET_ARGUMENT, neverStored: SECRET_CORES['a connection string'] },
  { kind: 'secret', name: 'change <an access token (JWT)>', send: (w) => rileySays(w, `change ${ACCESS_TOKEN}`), status: 200, answer: SECRET_ARGUMENT, neverStored: SECRET_CORES['an access token (JWT)'] },
  { kind: 'secret', name: 'retire <a SAS URL>', send: (w) => rileySays(w, `retire ${SAS_URL}`), status: 200, answer: SECRET_ARGUMENT, neverStored: SECRET_CORES['a SAS URL'] },
  { kind: 'secret', name: 'a history page button naming a client secret (forged card data)', send: (w) => post(w, cardExecute(w.rig.scene, w.riley, { kind: 'personal' }, 'history.page', { verb: 'history.page', environment: CLIENT_SECRET, page: 1 })), status: 200, answer: SECRET_ARGUMENT, neverStored: CLIENT_SECRET },
  { kind: 'secret', name: 'a Start-a-change button naming a connection string (forged card data)', send: (w) => post(w, cardExecute(w.rig.scene, w.riley, { kind: 'personal' }, 'environment.change', { verb: 'environment.change', environment: CONNECTION_STRING })), status: 200, answer: SECRET_ARGUMENT, neverStored: SECRET_CORES['a connection string'] },
  { kind: 'secret', name: 'show <a name longer than any environment name>', send: (w) => rileySays(w, `show riley-${'x'.repeat(120)}`), status: 200, answer: /has a name that long/, neverStored: 'x'.repeat(101) },
  { kind: 'secret', name: 'a SAS URL as the reason of the Reject… panel (sentinel)', send: (w) => requestClick(w, w.ada, 'request.reject', { requestId: w.ids.pending, v: pendingVersion(w), rejectReason: SAS_URL }), status: 200, answer: /comment looked like a secret/, neverStored: new URL(SAS_URL).searchParams.get('sig') ?? SAS_URL },
  { kind: 'secret', name: 'a PEM private key as the rejection comment (sentinel)', send: (w) => requestClick(w, w.ada, 'request.reject', { requestId: w.ids.pending, v: pendingVersion(w), comment: PEM_PRIVATE_KEY }), status: 200, answer: /comment looked like a secret/, neverStored: PEM_PRIVATE_KEY.split('\n')[2] },
];

describe('security regression table: refused inputs change nothing', () => {
  const world = new FuzzWorld({}, { rileyApproves: true });
  const rig = world.rig;
  beforeAll(() => world.start(), 120_000);
  afterAll(() => world.stop());
  // botbuilder's token extractor prints rejected tokens' key details to console.error
  beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  test('control: a stranger’s help with a valid token is answered', async () => {
    rig.connector.reset();
    expect((await post(world, help(world))).status).toBe(200);
    await rig.connector.waitForActivities(1);
  });

  test.each(ROWS.map((row) => [row.kind, row.name, row] as const))('[%s] %s', async (kind, _name, row) => {
    const before = await world.snapshot();
    rig.connector.reset();
    const logsBefore = rig.logs.lines.length;
    const answer = await row.send(world);
    await rig.app.settled();
    expect(answer.status).toBe(row.status);
    const said = [JSON.stringify(answer.body ?? ''), ...rig.connector.calls.map((call) => JSON.stringify(call.activity ?? call.body))].join('\n');
    expect(said).toMatch(row.answer);
    const changes = storeChanges(before, await world.snapshot()).filter((change) => !row.allowed?.(change, world));
    expect(changes.map((change) => `${change.kind} ${change.collection}/${change.id}`)).toEqual([]);
    if (row.neverStored) {
      // not sent back (connector traffic, invoke answers), not on disk, not in the logs
      expect(said).not.toContain(row.neverStored);
      expect(said).not.toContain(encodeURIComponent(row.neverStored));
      expect(await storeText(rig.dataFile)).not.toContain(row.neverStored);
      expect(rig.logs.lines.join('\n')).not.toContain(row.neverStored);
      expect(cardText(world.quinnDraft.card)).not.toContain(row.neverStored);
    }
    if (kind === 'token' || kind === 'body') {
      // refused before any turn: nothing reached the connector
      expect(rig.connector.calls).toEqual([]);
    }
    if (kind === 'token') {
      const events = rig.logs.entries().slice(logsBefore).map((entry) => entry.event);
      expect(events).toContain('auth_failed');
      expect(events).not.toContain('unknown_command');
    }
  });

  test('a refused token never reaches the logs', async () => {
    const token = rig.issuer.sign({ serviceUrl: rig.scene.serviceUrl, audience: 'aaaaaaaa-0000-4000-8000-000000000000' });
    expect((await post(world, help(world), token)).status).toBe(401);
    expect(rig.logs.lines.join('\n')).not.toContain(token.split('.')[2]);
  });
});

/**
 * Tokens that fail a check needing no key (issue 23, item 6) are refused with 401 before any key
 * is fetched: on the read API with Entra's signing keys unreachable (only a well-formed RS256
 * token gets 503), and on /api/messages before botbuilder fetches the channel's keys.
 */
describe('security regression table: tokens refused before any key is fetched', () => {
  const entra = new EntraIssuer();
  let rig: TeamsRig;
  const ada = teamsUser('Ada Approver');
  const apiToken = (options: Parameters<EntraIssuer['sign']>[2] = {}): string => entra.sign({ objectId: ada.aadObjectId, name: ada.name, tenantId: TEST_TENANT_ID }, TEST_APP_ID, options);
  const getApi = async (token: string): Promise<{ status: number; body: { error?: { reason?: string } } }> => {
    const response = await fetch(`${rig.url}/api/requests`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as { error?: { reason?: string } } };
  };

  beforeAll(async () => {
    await entra.start();
    entra.keysDown = true;
    rig = new TeamsRig({ env: { SETUPBOT_API_OPENID_METADATA: entra.metadataUrl } });
    await rig.start();
  }, 60_000);
  afterAll(async () => {
    await rig?.stop();
    await entra.stop();
  });
  beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  const API_ROWS: [string, () => string, number, string | undefined][] = [
    ['read API, Entra keys unreachable: alg none from an allowed tenant', () => apiToken({ algNone: true }), 401, 'unsupported_algorithm'],
    ['read API, Entra keys unreachable: HS256 signed with a secret of the caller’s choosing', () => apiToken({ hs256Secret: 'chosen-by-the-caller' }), 401, 'unsupported_algorithm'],
    ['read API, Entra keys unreachable: an expired RS256 token', () => apiToken({ expiresIn: -3600 }), 401, 'expired'],
    ['read API, Entra keys unreachable: an RS256 token for another audience', () => apiToken({ audience: 'api://elsewhere.contoso.com' }), 401, 'wrong_audience'],
    ['read API, Entra keys unreachable: an RS256 app-only token', () => apiToken({ appOnly: true }), 401, 'not_a_user_token'],
  ];
  test.each(API_ROWS)('[api] %s', async (_name, token, status, reason) => {
    const fetched = entra.requests.length;
    const answer = await getApi(token());
    expect([answer.status, answer.body.error?.reason]).toEqual([status, reason]);
    expect(entra.requests.slice(fetched)).toEqual([]);
  });

  test('[api] read API, Entra keys unreachable: a well-formed RS256 token → 503 (the only one that reaches the key fetch)', async () => {
    const fetched = entra.requests.length;
    const answer = await getApi(apiToken());
    expect(answer.status).toBe(503);
    expect(entra.requests.slice(fetched).some((path) => path.endsWith('/keys'))).toBe(true);
  });

  const CHANNEL_ROWS: [string, () => string][] = [
    ['alg none', () => rig.issuer.sign({ serviceUrl: rig.scene.serviceUrl, algNone: true })],
    ['HS256 signed with a secret of the caller’s choosing', () => rig.issuer.sign({ serviceUrl: rig.scene.serviceUrl, hs256Secret: 'chosen-by-the-caller' })],
    ['an RS256 token expired an hour ago', () => rig.issuer.sign({ serviceUrl: rig.scene.serviceUrl, expiresIn: -3600 })],
    ['a token without its signature', () => `${rig.issuer.sign({ serviceUrl: rig.scene.serviceUrl }).split('.').slice(0, 2).join('.')}.`],
  ];
  test.each(CHANNEL_ROWS)('[channel] /api/messages: %s → 401 before the channel keys are fetched', async (_name, token) => {
    const logsBefore = rig.logs.lines.length;
    const answer = await rig.post(personalMessage(rig.scene, ada, 'help'), token());
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ message: 'Authentication failed.' });
    // the issuer's metadata and keys were never asked for in this process
    expect(rig.issuer.requests).toEqual([]);
    expect(rig.connector.calls).toEqual([]);
    expect(rig.logs.entries().slice(logsBefore).map((entry) => entry.event)).toContain('auth_failed');
  });

  test('[channel] control: a valid channel token is answered, and only then are the keys fetched', async () => {
    expect((await rig.post(personalMessage(rig.scene, ada, 'help'))).status).toBe(200);
    expect(rig.issuer.requests.some((path) => path.endsWith('/keys'))).toBe(true);
  });
});
