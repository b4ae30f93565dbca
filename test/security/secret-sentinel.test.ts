/**
 * Sentinel (issue 13, item 4): a SAS URL and a PEM private key pasted into EVERY text input of
 * EVERY card a user can type into — the setup steps (environment, Key Vault, connected apps, with
 * every list expanded once), the approval card's comment (approve and reject), and a change of a
 * recorded environment — and every kind of secret (SAS URL, client secret, connection string,
 * access token, PEM key) typed as the argument of `show`, `verify`, `history`, `change` and
 * `retire` (and as a read API path) must appear nowhere afterwards: not in the store files on disk, not in
 * the logs, not in anything the bot sent to the connector or answered to an invoke, not in the
 * read API's answers. The inputs are found by walking the rendered cards, not listed by hand.
 */
import { sasSignatureOf } from '../harness/certificates.js';
import { cardText } from '../harness/card-check.js';
import { actionsOf, CardClient } from '../harness/card-client.js';
import { ReadApiWorld } from '../harness/read-api-scenario.js';
import { approverClient, VAULT_URI } from '../harness/scenarios.js';
import { storeText } from '../harness/store-files.js';
import { PASTED_SECRETS, PEM_PRIVATE_KEY, SAS_URL, SECRET_CORES } from './secret-samples.js';

const PASTES = [SAS_URL, PEM_PRIVATE_KEY];
/** Pieces of the pasted secrets that must appear nowhere (JSON escaping aside). */
const NEEDLES = [sasSignatureOf(SAS_URL), encodeURIComponent(sasSignatureOf(SAS_URL)), ...PEM_PRIVATE_KEY.split('\n').slice(1, 4), ...Object.values(SECRET_CORES).flatMap((core) => [core, encodeURIComponent(core)])];
/** The commands that take an environment name and used to quote it back (issue 23, item 5). */
const NAME_COMMANDS = ['show', 'verify', 'history', 'change', 'retire'];

type Json = Record<string, unknown>;

function walk(node: unknown, visit: (record: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((child) => walk(child, visit));
  if (typeof node !== 'object' || node === null) return;
  visit(node as Json);
  Object.values(node as Json).forEach((child) => walk(child, visit));
}

/** The ids of the card's text inputs. */
function textInputIds(card: unknown): string[] {
  const ids: string[] = [];
  walk(card, (record) => {
    if (record.type === 'Input.Text' && typeof record.id === 'string') ids.push(record.id);
  });
  return [...new Set(ids)];
}

/** A value each input accepts, so the conversation can move on after the pastes were refused. */
function validValue(id: string, suffix: string): string {
  const rules: [RegExp, string][] = [
    [/email/i, `sam.${suffix}@contoso.com`],
    [/userId$/, `sam${suffix}`],
    [/keyVaultUri$/, VAULT_URI],
    [/storageSasSecretName$/, 'storage-sas-token'],
    [/applicationUrl$|Uri$|Url$/i, `https://finance-${suffix}.contoso.com/`],
    [/tenant$/, 'contoso.onmicrosoft.com'],
    [/certificates\[\d+\]$/, `item-${suffix}`],
    [/objectId$/i, `3f2504e0-4f89-41d3-9a0c-${suffix.padStart(12, '0')}`],
    [/comment$/, 'Checked'],
  ];
  return rules.find(([pattern]) => pattern.test(id))?.[1] ?? `sentinel-${suffix}`;
}

/** Valid, distinct values for every text input of the card. */
function validValues(card: unknown): Record<string, string> {
  return Object.fromEntries(textInputIds(card).map((id, index) => [id, validValue(id, String(index + 1))]));
}

describe('a SAS URL and a PEM key pasted into every text input appear nowhere', () => {
  const world = new ReadApiWorld();
  const covered = new Map<string, string[]>();
  beforeAll(() => world.start(), 120_000);
  afterAll(() => world.stop());

  /** Pastes each secret into every text input of the client's card and clicks `verb`; then types valid values and clicks it again. */
  async function pasteEverywhere(where: string, client: CardClient, verb: string, moveOn = true): Promise<void> {
    for (const secret of PASTES) {
      const ids = textInputIds(client.card);
      covered.set(where, ids);
      await client.click({ verb }, Object.fromEntries(ids.map((id) => [id, secret])));
    }
    if (!moveOn) return;
    // chain members are picked from Certificate items (no text): drop the chain to move on
    while (actionsOf(client.card).some((action) => action.data.verb === 'setup.remove' && action.data.list === 'chains')) {
      await client.click({ verb: 'setup.remove', list: 'chains', index: 0 }, validValues(client.card));
    }
    await client.click({ verb }, validValues(client.card));
  }

  /** Clicks every Add button of the card once (valid values typed), so list inputs are on it too. */
  async function expandLists(client: CardClient): Promise<void> {
    const seen = new Set<string>();
    for (;;) {
      const add = actionsOf(client.card).find((action) => (action.verb ?? action.data.verb) === 'setup.add' && !seen.has(JSON.stringify({ ...action.data, rev: undefined })));
      if (!add) return;
      seen.add(JSON.stringify({ ...add.data, rev: undefined }));
      const { list, index } = add.data as { list: string; index?: number };
      await client.click({ verb: 'setup.add', list, ...(index === undefined ? {} : { index }) }, validValues(client.card));
    }
  }

  async function setupStep(where: string, client: CardClient): Promise<void> {
    await expandLists(client);
    await pasteEverywhere(where, client, 'setup.next');
  }

  test('pasted everywhere, through the whole conversation', async () => {
    const { rig, riley, ada, sam } = world;
    const client = new CardClient(rig, sam, { kind: 'personal' });
    await client.say('setup');
    await setupStep('environment step', client);
    await setupStep('key vault step', client);
    await setupStep('connected apps step', client);
    expect(cardText(client.card)).toMatch(/review|submit/i);
    expect(textInputIds(client.card)).toEqual([]);
    await client.click({ verb: 'setup.submit' });
    const id = /SR-\d{4}/.exec(cardText(client.card))?.[0] ?? '';
    await rig.app.settled();

    // the approval card's comment, on approve and on reject
    const approval = approverClient(rig, ada, id);
    await pasteEverywhere('approval card (approve)', approval, 'request.approve', false);
    await rig.app.settled();
    const pending = approverClient(rig, ada, world.ids.rileyPending);
    await pasteEverywhere('approval card (reject)', pending, 'request.reject', false);
    await rig.app.settled();

    // a change of a recorded environment
    const change = new CardClient(rig, riley, { kind: 'personal' });
    await change.say('change riley-uat');
    await setupStep('change: environment step', change);
    await rig.app.settled();

    // every kind of secret as the argument of every command that takes an environment name
    const typing = new CardClient(rig, riley, { kind: 'personal' });
    for (const verb of NAME_COMMANDS) {
      for (const secret of [...Object.values(PASTED_SECRETS), PEM_PRIVATE_KEY]) {
        await typing.say(`${verb} ${secret}`);
        expect(typing.lastMessage ?? '').toMatch(/looked like a secret value/);
      }
    }
    await rig.app.settled();

    // every card had text inputs to paste into
    for (const [where, ids] of covered) expect([where, ids.length > 0]).toEqual([where, true]);
    expect([...covered.keys()].length).toBeGreaterThanOrEqual(6);
  });

  test('the secrets are nowhere: store files, logs, connector traffic, invoke answers, read API', async () => {
    const { rig } = world;
    const places: [string, string][] = [
      ['store files', await storeText(rig.dataFile)],
      ['logs', rig.logs.lines.join('\n')],
      ['connector traffic', JSON.stringify(rig.connector.calls.map((call) => call.body))],
      ['invoke answers', JSON.stringify(rig.answers)],
    ];
    const pastedPaths = Object.values(PASTED_SECRETS).flatMap((secret) => [`/api/environments/${encodeURIComponent(secret)}`, `/api/environments/${encodeURIComponent(secret)}/history`]);
    for (const path of ['/api/requests', '/api/environments', '/api/environments/riley-uat', '/api/environments/riley-uat/history', ...pastedPaths]) {
      places.push([path, (await world.get(path, world.token(world.ada))).text]);
    }
    const requests = (await world.get('/api/requests', world.token(world.ada))).body as { requests: { id: string }[] };
    for (const { id } of requests.requests) places.push([`/api/requests/${id}`, (await world.get(`/api/requests/${id}`, world.token(world.ada))).text]);
    const leaks = places.flatMap(([where, text]) => NEEDLES.filter((needle) => text.includes(needle)).map((needle) => `${where}: …${needle.slice(0, 12)}…`));
    expect(leaks).toEqual([]);
    // the places were not empty: the conversation really happened
    expect(places.every(([, text]) => text.length > 20)).toBe(true);
  });
});
