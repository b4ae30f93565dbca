import { teamsUser } from '../harness/activities.js';
import { cardText } from '../harness/card-check.js';
import { CardClient, errorUnder } from '../harness/card-client.js';
import { submitRequest, VAULT_URI } from '../harness/scenarios.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { TeamsRig } from '../harness/test-bot.js';

type Step = 'environment' | 'keyVault' | 'connectedApps';

interface Case {
  rule: string;
  step: Step;
  /** Buttons to press first (e.g. add a row), with typed values. */
  prepare?: { verb: string; list?: string; index?: number; typed?: Record<string, string> }[];
  bad: Record<string, string>;
  field: string;
  expected: RegExp;
  fix: Record<string, string>;
}

const ENV_OK = { 'environment.name': 'rules-env', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' };
const KV_OK = { 'keyVault.name': 'rules-kv', 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': 'storage-sas-token' };

const CASES: Case[] = [
  { rule: 'an environment name already taken', step: 'environment', bad: { 'environment.name': 'taken-env' }, field: 'environment.name', expected: /already/i, fix: { 'environment.name': 'rules-env' } },
  { rule: 'a user email that is not an email', step: 'environment', bad: { 'environment.users[0].email': 'alice-at-contoso' }, field: 'environment.users[0].email', expected: /not an email/, fix: { 'environment.users[0].email': 'alice@contoso.com' } },
  { rule: 'two users with the same alias', step: 'environment', prepare: [{ verb: 'setup.add', list: 'users' }], bad: { 'environment.users[1].userId': 'ALICE', 'environment.users[1].email': 'alice2@contoso.com' }, field: 'environment.users[1].userId', expected: /already listed/, fix: { 'environment.users[1].userId': 'bo' } },
  { rule: 'an external application object id that is not a GUID', step: 'environment', prepare: [{ verb: 'setup.add', list: 'externalApplications' }], bad: { 'environment.externalApplications[0].name': 'Archive', 'environment.externalApplications[0].objectId': 'not-a-guid' }, field: 'environment.externalApplications[0].objectId', expected: /GUID|Object ID/i, fix: { 'environment.externalApplications[0].objectId': '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' } },
  { rule: 'a Dataverse URI that is not https', step: 'environment', bad: { 'environment.dataverseEndpointUri': 'http://contoso.crm.dynamics.com/api/data/v9.1/' }, field: 'environment.dataverseEndpointUri', expected: /https/i, fix: { 'environment.dataverseEndpointUri': 'https://contoso.crm.dynamics.com/api/data/v9.1/' } },
  { rule: 'a Key Vault URI outside vault.azure.net', step: 'keyVault', bad: { 'keyVault.keyVaultUri': 'https://contoso.example.com/' }, field: 'keyVault.keyVaultUri', expected: /vault/i, fix: { 'keyVault.keyVaultUri': VAULT_URI } },
  { rule: 'a vault name ending with a hyphen', step: 'keyVault', bad: { 'keyVault.keyVaultUri': 'https://contoso-.vault.azure.net/' }, field: 'keyVault.keyVaultUri', expected: /hyphen/, fix: { 'keyVault.keyVaultUri': VAULT_URI } },
  { rule: 'an item name with characters Key Vault refuses', step: 'keyVault', prepare: [{ verb: 'setup.add', list: 'items', typed: KV_OK }], bad: { 'keyVault.items[0].name': 'signing_cert!' }, field: 'keyVault.items[0].name', expected: /letters|hyphen/i, fix: { 'keyVault.items[0].name': 'signing-cert' } },
  { rule: 'two items with the same name', step: 'keyVault', prepare: [{ verb: 'setup.add', list: 'items', typed: KV_OK }, { verb: 'setup.add', list: 'items', typed: { 'keyVault.items[0].name': 'cert-a', 'keyVault.items[0].type': 'Certificate' } }], bad: { 'keyVault.items[1].name': 'CERT-A', 'keyVault.items[1].type': 'Certificate' }, field: 'keyVault.items[1].name', expected: /already listed/, fix: { 'keyVault.items[1].name': 'cert-b' } },
  { rule: 'the SAS secret listed again as a Certificate', step: 'keyVault', prepare: [{ verb: 'setup.add', list: 'items', typed: KV_OK }], bad: { 'keyVault.items[0].name': 'storage-sas-token', 'keyVault.items[0].type': 'Certificate' }, field: 'keyVault.items[0].type', expected: /must be a Secret/, fix: { 'keyVault.items[0].name': 'signing-cert' } },
  { rule: 'a chain member that is a Secret item', step: 'keyVault', prepare: [{ verb: 'setup.add', list: 'items', typed: KV_OK }, { verb: 'setup.add', list: 'items', typed: { 'keyVault.items[0].name': 'root-ca', 'keyVault.items[0].type': 'Certificate' } }, { verb: 'setup.add', list: 'chains', typed: { 'keyVault.items[1].name': 'api-password', 'keyVault.items[1].type': 'Secret' } }], bad: { 'keyVault.chains[0].name': 'chain', 'keyVault.chains[0].certificates[0]': 'api-password' }, field: 'keyVault.chains[0].certificates[0]', expected: /Secret|Certificate/, fix: { 'keyVault.chains[0].certificates[0]': 'root-ca' } },
  { rule: 'a connected application URL that is not https', step: 'connectedApps', prepare: [{ verb: 'setup.add', list: 'connectedApplications' }], bad: { 'connectedApplications[0].name': 'Finance', 'connectedApplications[0].applicationUrl': 'http://contoso.operations.dynamics.com', 'connectedApplications[0].tenant': 'contoso.onmicrosoft.com' }, field: 'connectedApplications[0].applicationUrl', expected: /https/i, fix: { 'connectedApplications[0].applicationUrl': 'https://contoso.operations.dynamics.com' } },
  { rule: 'a tenant that is neither a GUID nor a domain', step: 'connectedApps', prepare: [{ verb: 'setup.add', list: 'connectedApplications' }], bad: { 'connectedApplications[0].name': 'Finance', 'connectedApplications[0].applicationUrl': 'https://contoso.operations.dynamics.com', 'connectedApplications[0].tenant': 'contoso tenant' }, field: 'connectedApplications[0].tenant', expected: /GUID|domain/i, fix: { 'connectedApplications[0].tenant': 'contoso.onmicrosoft.com' } },
];

const NEXT_TITLE: Record<Step, string> = { environment: 'Step 2 of 4', keyVault: 'Step 3 of 4', connectedApps: 'Step 4 of 4' };

describe('every validation rule is explained on the card, keeps the other inputs, and accepts the fix', () => {
  const rig = new TeamsRig();
  beforeAll(async () => {
    await rig.start();
    await submitRequest(rig, teamsUser('Earlier'), 'taken-env');
  });
  afterAll(() => rig.stop());

  test.each(CASES.map((c) => [c.rule, c] as const))('%s', async (_rule, c) => {
    const client = new CardClient(rig, teamsUser(`Rules ${c.rule}`), { kind: 'personal' });
    await client.say('setup');
    if (c.step !== 'environment') await client.click({ verb: 'setup.next' }, ENV_OK);
    if (c.step === 'connectedApps') await client.click({ verb: 'setup.next' }, KV_OK);
    const base = c.step === 'environment' ? ENV_OK : c.step === 'keyVault' ? KV_OK : {};
    let typed: Record<string, string> = { ...base };
    for (const press of c.prepare ?? []) {
      await client.click({ verb: press.verb, ...(press.list ? { list: press.list } : {}), ...(press.index !== undefined ? { index: press.index } : {}) }, { ...typed, ...press.typed });
      typed = {};
    }
    await client.click({ verb: 'setup.next' }, { ...typed, ...c.bad });
    expect(cardText(client.card)).not.toContain(NEXT_TITLE[c.step]);
    expect(errorUnder(client.card, c.field)).toMatch(c.expected);
    // what else was typed is still there
    const other = Object.entries(c.bad).find(([id]) => id !== c.field);
    if (other) expect(JSON.stringify(client.card)).toContain(JSON.stringify(other[1]));
    await client.click({ verb: 'setup.next' }, c.fix);
    expect(cardText(client.card)).toContain(NEXT_TITLE[c.step]);
  });

  test('every card and message the bot sent here passes the card checks (parser, size, no angle-bracket placeholder, step words)', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(20);
  });
});
