import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import type { Activity } from 'botbuilder';
import { createApp, type App } from '../../bot/app.js';
import { loadConfig, type Config } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import type { Clock, GroupDirectory } from '../../setup/ports.js';
import type { Store } from '../../storage/store.js';
import type { ServiceAccessChecker } from '../../setup/service-access/index.js';
import type { ConnectionChecker, KeyVaultVerifier } from '../../setup/model/verification.js';
import type { Scene } from './activities.js';
import type { GraphAccess } from '../../bot/wiring/groups.js';
import { ConnectorStandIn, type ConnectorStandInOptions } from './connector-standin.js';
import { StaticTokenCredentialsFactory } from './credentials.js';
import { TokenIssuer } from './token-issuer.js';

export const TEST_APP_ID = '11111111-2222-4333-8444-555555555555';
export const TEST_TENANT_ID = '99999999-8888-4777-8666-555555555555';
export const OUTBOUND_TOKEN = 'outbound-test-token-for-connector';

/** Collects pino JSON lines in memory. */
export class LogCollector extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  events(): unknown[] {
    return this.entries().map((entry) => entry.event);
  }
}

export interface RigOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** The real verifier against the Key Vault stand-in in execution tests; a passing stub otherwise. */
  keyVaultVerifier?: KeyVaultVerifier;
  /** Electronic invoicing's access check, added to the verifier (Graph and ARM stand-ins). */
  serviceAccess?: ServiceAccessChecker;
  connectionChecker?: ConnectionChecker;
  /** Opt-in behaviours of the Bot Connector stand-in (rate limits, injected faults). */
  connector?: ConnectorStandInOptions;
  /** An open store for the bot instead of the data file (e.g. a counting wrapper); closed when the bot stops. */
  store?: Store;
  /** How the bot reaches Microsoft Graph for the approval policy's groups (a token source, the stand-in's CA). */
  graphAccess?: GraphAccess;
  /** Members of escalation groups (a fake: no Graph here). */
  groupDirectory?: GroupDirectory;
}

/** The tab as `npm run build` bundles it (the tab tests need a build first). */
export const BUILT_TAB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/tab');

/**
 * For tests whose subject is not execution: answers like a healthy vault without any network
 * (the default credential chain would otherwise probe managed-identity endpoints).
 */
export const healthyVaultStub: KeyVaultVerifier = {
  async verify(reference) {
    const items = [
      { name: reference.storageSasSecretName, type: 'Secret' as const, isStorageSas: true, outcome: 'ok' as const, messages: [] },
      ...reference.items.map((item) => ({ name: item.name, type: item.type, isStorageSas: false, outcome: 'ok' as const, messages: [] })),
    ];
    return { vaultUri: reference.keyVaultUri, outcome: 'ok', messages: [], items, chains: [], checkedAt: new Date().toISOString() };
  },
};

export const reachableAppsStub: ConnectionChecker = {
  async check(url) {
    return { url, outcome: 'ok', status: 200, message: 'answered HTTP 200 (stub)' };
  },
};

export interface PostResult {
  status: number;
  body: unknown;
}

/**
 * The Teams side for one test file: token issuer, Bot Connector stand-in, and the real bot
 * (createApp → restify on an ephemeral loopback port) with authentication on.
 */
export class TeamsRig {
  readonly issuer = new TokenIssuer(TEST_APP_ID);
  readonly connector: ConnectorStandIn;
  readonly logs = new LogCollector();
  /** Every answer of /api/messages (invoke responses carry cards and refusals). */
  readonly answers: PostResult[] = [];
  app!: App;
  config!: Config;
  url = '';
  dataDir = '';

  constructor(private readonly options: RigOptions = {}) {
    this.connector = new ConnectorStandIn(options.connector);
  }

  get scene(): Scene {
    return { serviceUrl: this.connector.url, tenantId: TEST_TENANT_ID, appId: TEST_APP_ID, botName: 'setupbot' };
  }

  get dataFile(): string {
    return path.join(this.dataDir, 'setupbot.json');
  }

  async start(): Promise<this> {
    await this.issuer.start();
    await this.connector.start();
    this.dataDir = await mkdtemp(path.join(tmpdir(), 'setupbot-e2e-'));
    await this.startBot();
    return this;
  }

  env(): Record<string, string> {
    return {
      MicrosoftAppId: TEST_APP_ID,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TEST_TENANT_ID,
      MicrosoftAppPassword: 'never-used-outbound-is-injected',
      HOST: '127.0.0.1',
      PORT: '0',
      SETUPBOT_DATA_FILE: this.dataFile,
      SETUPBOT_LOG_LEVEL: 'debug',
      ...this.issuer.botFrameworkEnv(),
      ...this.options.env,
    };
  }

  /** Starts (or restarts) the bot on the same data file. */
  async startBot(): Promise<void> {
    this.config = loadConfig(this.env());
    this.app = await createApp({
      config: this.config,
      logger: createLogger({ level: 'debug', destination: this.logs }),
      credentialsFactory: new StaticTokenCredentialsFactory(TEST_APP_ID, OUTBOUND_TOKEN),
      clock: this.options.clock,
      keyVaultVerifier: this.options.keyVaultVerifier ?? healthyVaultStub,
      ...(this.options.serviceAccess ? { serviceAccess: this.options.serviceAccess } : {}),
      connectionChecker: this.options.connectionChecker ?? reachableAppsStub,
      tabDirectory: BUILT_TAB,
      ...(this.options.store ? { store: this.options.store } : {}),
      ...(this.options.graphAccess ? { graphAccess: this.options.graphAccess } : {}),
      ...(this.options.groupDirectory ? { groupDirectory: this.options.groupDirectory } : {}),
    });
    const port = await this.app.start();
    this.url = `http://127.0.0.1:${port}`;
  }

  async restartBot(): Promise<void> {
    await this.app.stop();
    await this.startBot();
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    await this.connector.stop();
    await this.issuer.stop();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  /** POSTs an activity with a valid channel token for its serviceUrl (or the given token). */
  async post(activity: Partial<Activity>, token?: string | null): Promise<PostResult> {
    const bearer = token === undefined ? this.issuer.sign({ serviceUrl: activity.serviceUrl }) : token;
    return this.postRaw(JSON.stringify(activity), bearer === null ? {} : { authorization: `Bearer ${bearer}` });
  }

  async postRaw(body: string, headers: Record<string, string> = {}, contentType = 'application/json'): Promise<PostResult> {
    const response = await fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    const result = { status: response.status, body: parsed };
    this.answers.push(result);
    return result;
  }
}
