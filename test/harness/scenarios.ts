import { botAdded, type TeamsUser, type Where } from './activities.js';
import { cardText } from './card-check.js';
import { CardClient, type ClickMode } from './card-client.js';
import type { TeamsRig } from './test-bot.js';

/** The clock tests move by hand; it lives in test/fixtures, re-exported here for the scenarios' users. */
export { ManualClock } from '../fixtures/clocks.js';

/** Installs the bot in the user's personal scope (as Teams does) so proactive cards can reach them. */
export async function install(rig: TeamsRig, user: TeamsUser, where: Where = { kind: 'personal' }): Promise<void> {
  const response = await rig.post(botAdded(rig.scene, user, where));
  if (response.status !== 200) throw new Error(`install answered ${response.status}`);
}

export const VAULT_URI = 'https://contoso-einvoicing.vault.azure.net/';

/** Drives the whole setup conversation and submits; resolves with the request id and the requester's client. */
export async function submitRequest(rig: TeamsRig, requester: TeamsUser, environmentName: string, mode: ClickMode = 'execute'): Promise<{ id: string; client: CardClient }> {
  const client = new CardClient(rig, requester, { kind: 'personal' }, mode);
  await client.say('setup');
  await client.click({ verb: 'setup.next' }, { 'environment.name': environmentName, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  await client.click({ verb: 'setup.next' }, { 'keyVault.name': `${environmentName}-kv`, 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': 'storage-sas-token' });
  await client.click({ verb: 'setup.skip' });
  await client.click({ verb: 'setup.submit' });
  const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
  if (!id) throw new Error(`no request id on the card: ${cardText(client.card)}`);
  await rig.app.settled();
  return { id, client };
}

/** The approval card the bot posted proactively into a user's personal chat, as a client of it. */
export function approverClient(rig: TeamsRig, approver: TeamsUser, requestId: string, mode: ClickMode = 'execute'): CardClient {
  const client = new CardClient(rig, approver, { kind: 'personal' }, mode);
  const calls = rig.connector.calls.filter(
    (call) => call.operation === 'send' && call.conversationId === client.conversationId && JSON.stringify(call.body).includes(requestId),
  );
  const call = calls[calls.length - 1];
  if (!call?.activity?.attachments?.length) throw new Error(`no approval card for ${approver.name} in their chat`);
  client.card = call.activity.attachments[0].content as Record<string, unknown>;
  client.messageId = rig.connector.answeredIds.get(call);
  return client;
}

export interface FullRequestOptions {
  vaultUri?: string;
  sasSecretName?: string;
  /** Further Key Vault items, in order. */
  items?: { name: string; type: 'Secret' | 'Certificate' }[];
  /** Certificate chain members by item name, root first. */
  chain?: string[];
  /** Connected application URLs (one app each). */
  appUrls?: string[];
  dryRun?: boolean;
}

/** The whole conversation with Key Vault items, an optional chain and connected apps; submits. */
export async function submitFullRequest(rig: TeamsRig, requester: TeamsUser, environmentName: string, options: FullRequestOptions = {}): Promise<{ id: string; client: CardClient }> {
  const client = new CardClient(rig, requester, { kind: 'personal' });
  await client.say('setup');
  await client.click({ verb: 'setup.next' }, { 'environment.name': environmentName, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  const top = { 'keyVault.name': `${environmentName}-kv`, 'keyVault.keyVaultUri': options.vaultUri ?? VAULT_URI, 'keyVault.storageSasSecretName': options.sasSecretName ?? 'storage-sas-token' };
  const items = options.items ?? [];
  let typed: Record<string, string> = top;
  for (const [index, item] of items.entries()) {
    await client.click({ verb: 'setup.add', list: 'items' }, typed);
    typed = { [`keyVault.items[${index}].name`]: item.name, [`keyVault.items[${index}].type`]: item.type };
  }
  if (options.chain?.length) {
    await client.click({ verb: 'setup.add', list: 'chains' }, typed);
    typed = { 'keyVault.chains[0].name': `${environmentName}-chain`, 'keyVault.chains[0].certificates[0]': options.chain[0] };
    for (let member = 1; member < options.chain.length; member += 1) {
      await client.click({ verb: 'setup.add', list: 'chainCertificates', index: 0 }, typed);
      typed = { [`keyVault.chains[0].certificates[${member}]`]: options.chain[member] };
    }
  }
  await client.click({ verb: 'setup.next' }, typed);
  const apps = options.appUrls ?? [];
  if (apps.length === 0) {
    await client.click({ verb: 'setup.skip' });
  } else {
    typed = {};
    for (const [index, url] of apps.entries()) {
      await client.click({ verb: 'setup.add', list: 'connectedApplications' }, typed);
      typed = {
        [`connectedApplications[${index}].name`]: `${environmentName} Finance ${index + 1}`,
        [`connectedApplications[${index}].type`]: 'Dynamics 365 Finance',
        [`connectedApplications[${index}].applicationUrl`]: url,
        [`connectedApplications[${index}].tenant`]: 'contoso.onmicrosoft.com',
      };
    }
    await client.click({ verb: 'setup.next' }, typed);
  }
  await client.click({ verb: 'setup.submit' }, { dryRun: options.dryRun ? 'true' : 'false' });
  const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
  if (!id) throw new Error(`no request id on the card: ${cardText(client.card)}`);
  await rig.app.settled();
  return { id, client };
}
