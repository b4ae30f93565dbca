import { createRequire } from 'node:module';
/**
 * Azurite (the Azure Storage emulator from npm, a devDependency) as a child process started and
 * stopped by the test itself: Blob and Table (and Queue, which nothing uses) on ephemeral ports
 * on 127.0.0.1, its data in a fresh temporary folder removed at stop. No Docker, no account.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AzureEndpoint } from '../../storage/azure/azure-store.js';

// resolved like a module (from test/harness, or compiled into dist-bench/test/harness by the bench)
const AZURITE_ENTRY = path.join(path.dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist/src/azurite.js');

/** The development account every Azure Storage emulator serves; its key is published by Microsoft. */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const LISTENING = /Azurite (Blob|Table) service is successfully listening at (https?:\/\/127\.0\.0\.1:\d+)/;
const START_MS = 30_000;

/** A connection string naming each endpoint (the form Azure Storage accepts for custom endpoints). */
export function devConnectionString(endpoints: { blob?: string; table?: string }): string {
  const parts = ['DefaultEndpointsProtocol=http', `AccountName=${DEV_ACCOUNT}`, `AccountKey=${DEV_ACCOUNT_KEY}`];
  if (endpoints.blob) parts.push(`BlobEndpoint=${endpoints.blob}`);
  if (endpoints.table) parts.push(`TableEndpoint=${endpoints.table}`);
  return `${parts.join(';')};`;
}

function accountsEnv(accounts: readonly AzuriteAccount[] | undefined): Record<string, string> {
  if (!accounts || accounts.length === 0) return {};
  return { AZURITE_ACCOUNTS: accounts.map((account) => `${account.name}:${account.key}`).join(';') };
}

/** A name no other test uses (table names: letters and digits; container names: lower case). */
export function uniqueStorageNames(prefix = 't'): { table: string; container: string } {
  const suffix = randomBytes(5).toString('hex');
  return { table: `${prefix}${suffix}`.replace(/[^A-Za-z0-9]/g, ''), container: `${prefix.toLowerCase()}-${suffix}` };
}

/** A storage account Azurite serves (besides, or instead of, the development account). */
export interface AzuriteAccount {
  name: string;
  /** Base-64 account key (key1); a SAS signed with any other key is refused. */
  key: string;
}

export interface AzuriteOptions {
  /** Serve these accounts (AZURITE_ACCOUNTS); the development account is served only if listed. */
  accounts?: readonly AzuriteAccount[];
  /**
   * Serve HTTPS with this certificate and key (PEM) instead of http: Azurite then sees the
   * protocol a SAS restricted to https (`spr=https`) requires.
   */
  tls?: { certPem: string; keyPem: string };
}

export class Azurite {
  readonly output: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    /** e.g. http://127.0.0.1:40123/devstoreaccount1 */
    readonly blobEndpoint: string,
    readonly tableEndpoint: string,
    private readonly exit: Promise<void>,
  ) {}

  static async start(options: AzuriteOptions = {}): Promise<Azurite> {
    const folder = await mkdtemp(path.join(tmpdir(), 'setupbot-azurite-'));
    const args = [
      AZURITE_ENTRY,
      '--blobHost', '127.0.0.1', '--blobPort', '0',
      '--queueHost', '127.0.0.1', '--queuePort', '0',
      '--tableHost', '127.0.0.1', '--tablePort', '0',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
      '--location', folder,
    ];
    if (options.tls) {
      await writeFile(path.join(folder, 'tls-cert.pem'), options.tls.certPem);
      await writeFile(path.join(folder, 'tls-key.pem'), options.tls.keyPem);
      args.push('--cert', path.join(folder, 'tls-cert.pem'), '--key', path.join(folder, 'tls-key.pem'));
    }
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...accountsEnv(options.accounts) } });
    const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const output: string[] = [];
    const endpoints = new Map<string, string>();
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${START_MS} ms:\n${output.join('\n')}`)), START_MS);
      const collect = (chunk: Buffer): void => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          output.push(line);
          const match = LISTENING.exec(line);
          if (match) endpoints.set(match[1], match[2]);
        }
        if (endpoints.has('Blob') && endpoints.has('Table')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      void exit.then(() => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited at start-up:\n${output.join('\n')}`));
      });
    });
    try {
      await ready;
    } catch (error) {
      child.kill('SIGKILL');
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    const azurite = new Azurite(child, folder, `${endpoints.get('Blob')}/${DEV_ACCOUNT}`, `${endpoints.get('Table')}/${DEV_ACCOUNT}`, exit);
    azurite.output.push(...output);
    return azurite;
  }

  /** http(s)://127.0.0.1:<port>: the Blob service, for production-style URLs (the account in the Host). */
  get blobOrigin(): string {
    return new URL(this.blobEndpoint).origin;
  }

  /** Blob and Table endpoints of the development account. */
  get connectionString(): string {
    return devConnectionString({ blob: this.blobEndpoint, table: this.tableEndpoint });
  }

  /** The store's endpoint as the bot configures it from SETUPBOT_AZURE_STORAGE_CONNECTION_STRING. */
  endpoint(connectionString = this.connectionString): AzureEndpoint {
    return { kind: 'connectionString', connectionString, setting: 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING' };
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([this.exit, timeout]);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
    await rm(this.folder, { recursive: true, force: true });
  }
}
