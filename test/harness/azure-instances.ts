/**
 * Several built bot processes (anonymous mode, as `npm start` runs them) sharing one Azure
 * Storage account on Azurite: one table and one blob container of their own per rig, a shared
 * connector stand-in, and the test's own view of the store (the repositories, as a bot sees them).
 */
import type { Activity } from 'botbuilder';
import { COLLECTIONS } from '../../bot/collections.js';
import { AUDIT_ENTRIES, AuditLog, type AuditEntry } from '../../setup/audit/audit.js';
import { systemClock } from '../../setup/ports.js';
import { REQUESTS, type SetupRequest } from '../../setup/model/request.js';
import { AzureStore } from '../../storage/azure/azure-store.js';
import { uniqueStorageNames, type Azurite } from './azurite.js';
import { BotProcess } from './bot-process.js';
import { ChildCardClient, ChildTeams } from './child-teams.js';
import { ConnectorStandIn, type ConnectorStandInOptions } from './connector-standin.js';
import { cardText } from './card-check.js';
import { waitFor } from './http-json.js';
import type { TeamsUser } from './activities.js';

/** Every wait here is bounded by this. */
export const WAIT_MS = 30_000;

export class AzureInstances {
  readonly connector: ConnectorStandIn;
  readonly names = uniqueStorageNames('bots');
  readonly bots: BotProcess[] = [];
  private view?: AzureStore;

  constructor(
    private readonly azurite: Azurite,
    private readonly baseEnv: Record<string, string> = {},
    connectorOptions: ConnectorStandInOptions = {},
  ) {
    this.connector = new ConnectorStandIn(connectorOptions);
  }

  async start(): Promise<this> {
    await this.connector.start();
    return this;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      HOST: '127.0.0.1',
      PORT: '0',
      SETUPBOT_LOG_LEVEL: 'info',
      SETUPBOT_STORAGE: 'azure',
      SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: this.azurite.connectionString,
      SETUPBOT_AZURE_TABLE: this.names.table,
      SETUPBOT_AZURE_CONTAINER: this.names.container,
      SETUPBOT_LEASE_TTL: '3s',
      SETUPBOT_OUTBOX_POLL_INTERVAL: '200ms',
      ...this.baseEnv,
      ...extra,
    };
  }

  async startBot(extra: Record<string, string> = {}): Promise<BotProcess> {
    const bot = new BotProcess(this.env(extra));
    this.bots.push(bot);
    await bot.start();
    return bot;
  }

  /** Teams posting each activity to the bot `pick` chooses (e.g. alternating). */
  teams(pick: () => BotProcess): ChildTeams {
    return new ChildTeams(this.connector, pick);
  }

  /** Alternates between the running bots, activity by activity. */
  alternating(): () => BotProcess {
    let next = 0;
    return () => this.bots[next++ % this.bots.length];
  }

  /** The store as the bots see it. */
  async store(): Promise<AzureStore> {
    const endpoint = { kind: 'connectionString' as const, connectionString: this.azurite.connectionString, setting: 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING' };
    this.view ??= await AzureStore.open({ tables: endpoint, blobs: endpoint, tableName: this.names.table, containerName: this.names.container, collections: COLLECTIONS });
    return this.view;
  }

  async request(id: string): Promise<SetupRequest | undefined> {
    return (await (await this.store()).repository(REQUESTS).get(id))?.value;
  }

  async requests(): Promise<SetupRequest[]> {
    return (await (await this.store()).repository(REQUESTS).list()).map((record) => record.value);
  }

  async audit(): Promise<AuditEntry[]> {
    return (await (await this.store()).repository(AUDIT_ENTRIES).list()).map((record) => record.value).sort((a, b) => a.seq - b.seq);
  }

  async auditLog(): Promise<AuditLog> {
    return new AuditLog(await this.store(), systemClock);
  }

  /** Polls the store until the request is in `status` with no audit entry still queued. */
  async settled(id: string, status: SetupRequest['status'], what = `${id} to be ${status}`): Promise<SetupRequest> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const request = await this.request(id);
      if (request?.status === status && (request.execution?.pendingAudit?.length ?? 0) === 0) return request;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (now ${request?.status})\n${this.tails()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The last lines each bot printed (for failure messages). */
  tails(lines = 25): string {
    return this.bots.map((bot, index) => `--- bot ${index} ---\n${bot.output.slice(-lines).join('\n')}`).join('\n');
  }

  async stop(): Promise<void> {
    for (const bot of this.bots) {
      bot.signal('SIGKILL');
      await bot.exited(5000).catch(() => undefined);
    }
    await this.connector.stop();
  }
}

/** POSTs one activity to one bot's /api/messages. */
export async function postTo(bot: BotProcess, activity: Partial<Activity>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

/** The approver's client, once the approval card is in their chat. */
export async function approvalCardFor(teams: ChildTeams, approver: TeamsUser, id: string): Promise<ChildCardClient> {
  const client = new ChildCardClient(teams, approver);
  await waitFor(
    () => teams.connector.calls.some((call) => call.operation === 'send' && call.conversationId === client.conversationId && call.status < 300 && JSON.stringify(call.body).includes(id)),
    WAIT_MS,
    `the approval card for ${approver.name}`,
  );
  client.adoptCardFor(id);
  return client;
}

/** Drives the setup conversation to a submitted request; resolves with its id. */
export async function submitSetup(client: ChildCardClient, options: { environment: string; vaultUri: string; sasSecret: string; certificate?: string; financeUrl?: string }): Promise<string> {
  await client.say('setup');
  expect(cardText(client.card)).toContain('Step 1 of 4');
  await client.click({ verb: 'setup.next' }, { 'environment.name': options.environment, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  expect(cardText(client.card)).toContain('Step 2 of 4');
  const keyVault = { 'keyVault.name': `${options.environment}-kv`, 'keyVault.keyVaultUri': options.vaultUri, 'keyVault.storageSasSecretName': options.sasSecret };
  if (options.certificate) {
    await client.click({ verb: 'setup.add', list: 'items' }, keyVault);
    await client.click({ verb: 'setup.next' }, { 'keyVault.items[0].name': options.certificate, 'keyVault.items[0].type': 'Certificate', 'keyVault.items[0].description': 'Signs invoices' });
  } else {
    await client.click({ verb: 'setup.next' }, keyVault);
  }
  expect(cardText(client.card)).toContain('Step 3 of 4');
  if (options.financeUrl) {
    await client.click({ verb: 'setup.add', list: 'connectedApplications' });
    await client.click({ verb: 'setup.next' }, {
      'connectedApplications[0].name': 'Contoso Finance UAT',
      'connectedApplications[0].type': 'Dynamics 365 Finance',
      'connectedApplications[0].applicationUrl': options.financeUrl,
      'connectedApplications[0].tenant': 'contoso.onmicrosoft.com',
    });
  } else {
    await client.click({ verb: 'setup.skip' });
  }
  expect(cardText(client.card)).toContain('Step 4 of 4');
  await client.click({ verb: 'setup.submit' });
  const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
  if (!id) throw new Error(`no request id on the card: ${cardText(client.card)}`);
  return id;
}
