/**
 * Uses the storage SAS for real, with the SAS URL alone (no other credential): lists the
 * container (l), deletes probe blobs an earlier check left behind (d), creates a small probe blob
 * `setupbot-check-verify-<random>` (c/w), reads it back and compares (r), deletes it (d). That is
 * what Electronic invoicing does with it. Every failure becomes a `sas.*` finding with its fix
 * (azure/sas-probe-findings.ts); the SAS and the storage service's messages never leave this module.
 *
 * Network: HTTPS_PROXY / HTTP_PROXY / NO_PROXY read and matched by azure/proxy-rules.ts (as the
 * connection check does), applied through the request's agent; bounded retries, a deadline per try
 * and one for the whole check, so a check never hangs.
 */
import { randomBytes } from 'node:crypto';
import type { ClientRequest } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';
import type { RequestPolicyFactory } from '@azure/storage-blob';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { systemClock, type Clock } from '../setup/ports.js';
import type { ServiceFinding, ServiceUse } from '../setup/model/verification.js';
import { noProxyFromEnv, proxyFromEnv, shouldBypassProxy } from './proxy-rules.js';
import { probeFailureFinding, type ProbeFailure, type ProbeStep, type ProxyAnswer, type SasProbeSubject } from './sas-probe-findings.js';

/** The SAS URL (the credential) and what the finding may name: account, container, vault, secret. */
export interface SasProbeTarget extends SasProbeSubject {
  sasUrl: string;
}

/** The port the Key Vault verifier uses the SAS through. */
export interface SasProbe {
  probe(target: SasProbeTarget): Promise<ServiceUse>;
}

export const PROBE_PREFIX = 'setupbot-check-';

export interface BlobSasProbeOptions {
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (either case). Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra trusted CA certificates (tests), added to Node's default store. */
  ca?: string;
  /** The whole check's deadline. Default 20 000. */
  timeoutMs?: number;
  /** One try's deadline. Default 8 000. */
  tryTimeoutMs?: number;
  /** Tries per request (the first included). Default 2. */
  maxTries?: number;
  /**
   * A probe blob is a leftover (deleted) once it is this much older than the storage service's
   * clock: younger ones may belong to a check running right now elsewhere. Default 10 minutes.
   */
  leftoverAgeMs?: number;
  clock?: Clock;
  /** DNS lookup for the connections (tests play a DNS that knows no such account). */
  lookup?: LookupFunction;
  /** The request id or 'verify', in the probe blob's name. Default 'verify'. */
  checkId?: string;
}

type BlobSdk = typeof import('@azure/storage-blob');
type ContainerClient = InstanceType<BlobSdk['ContainerClient']>;

/** Node ≥ 22.15 exposes the effective default store (bundled + NODE_EXTRA_CA_CERTS + system). */
type TlsWithCaList = typeof tls & { getCACertificates?: (type?: 'default') => string[] };

function caWith(extra: string): string[] {
  return [...((tls as TlsWithCaList).getCACertificates?.('default') ?? tls.rootCertificates), extra];
}

/**
 * HttpsProxyAgent takes the TLS options for the server from each request, which the SDK does not
 * let us set: extra trusted CAs are added here.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: URL,
    private readonly ca: string[] | undefined,
  ) {
    super(proxy, { keepAlive: false });
  }

  override connect(req: ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(req, this.ca && opts.secureEndpoint ? { ...opts, ca: this.ca } : opts);
  }
}

class ProbeStop extends Error {
  constructor(readonly failure: ProbeFailure) {
    super('probe step failed');
  }
}

/** The agent a probe's requests go out on: direct, or tunnelled through the proxy. */
interface Route {
  agent: https.Agent;
  proxy?: ProxyAnswer;
}

/** One check: its route and its whole deadline. */
interface Check {
  route: Route;
  signal: AbortSignal;
}

export class BlobSasProbe implements SasProbe {
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly leftoverAgeMs: number;

  constructor(private readonly options: BlobSasProbeOptions = {}) {
    this.env = options.env ?? process.env;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.clock = options.clock ?? systemClock;
    this.leftoverAgeMs = options.leftoverAgeMs ?? 10 * 60 * 1000;
  }

  async probe(target: SasProbeTarget): Promise<ServiceUse> {
    const subject: SasProbeSubject = {
      account: target.account,
      container: target.container,
      host: target.host,
      vaultName: target.vaultName,
      secretName: target.secretName,
      ...(target.startsOn ? { startsOn: target.startsOn } : {}),
      ...(target.expiresOn ? { expiresOn: target.expiresOn } : {}),
    };
    const fail = (failure: ProbeFailure): ServiceUse => failed(probeFailureFinding(failure, subject, this.clock.now()));
    let route: Route;
    try {
      route = this.route(new URL(target.sasUrl));
    } catch {
      return fail({ kind: 'proxySetting' });
    }
    const check: Check = { route, signal: AbortSignal.timeout(this.timeoutMs) };
    try {
      const sdk = await import('@azure/storage-blob');
      const client = this.containerClient(sdk, containerUrl(target), route);
      const leftovers = await this.run(check, 'list', () => this.findLeftovers(client, check.signal));
      for (const name of leftovers) await this.run(check, 'cleanup', () => deleteIfThere(client, name, check.signal));
      await this.run(check, 'create', () => this.createReadDelete(client, check));
      const ok: ServiceFinding = { code: 'sas.usable', outcome: 'ok', params: { account: subject.account, container: subject.container, leftoversDeleted: leftovers.length } };
      return { outcome: 'ok', findings: [ok] };
    } catch (error) {
      if (error instanceof ProbeStop) return fail(error.failure);
      return fail({ kind: 'error', step: 'list', error, ...(route.proxy ? { proxy: route.proxy } : {}) });
    } finally {
      route.agent.destroy();
    }
  }

  /** Direct, or through the proxy HTTPS_PROXY names unless NO_PROXY matches the account's host. */
  private route(url: URL): Route {
    const tlsOptions = {
      keepAlive: false,
      ...(this.options.ca ? { ca: caWith(this.options.ca) } : {}),
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
    };
    const raw = proxyFromEnv(this.env);
    const port = url.port ? Number(url.port) : 443;
    if (!raw || shouldBypassProxy(url.hostname, port, noProxyFromEnv(this.env))) return { agent: new https.Agent(tlsOptions) };
    const proxyUrl = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    if (proxyUrl.protocol !== 'http:' && proxyUrl.protocol !== 'https:') throw new Error('unsupported proxy scheme');
    const proxy: ProxyAnswer = { label: `${proxyUrl.hostname}:${proxyUrl.port || (proxyUrl.protocol === 'https:' ? '443' : '80')}` };
    const agent = new TunnelAgent(proxyUrl, tlsOptions.ca);
    agent.on('proxyConnect', (connect: { statusCode?: number }) => {
      if (typeof connect.statusCode === 'number' && connect.statusCode !== 200) proxy.refusedWith = connect.statusCode;
    });
    return { agent, proxy };
  }

  private containerClient(sdk: BlobSdk, url: string, route: Route): ContainerClient {
    const agentPolicy: RequestPolicyFactory = {
      create: (next) => ({
        sendRequest: (request) => {
          request.agent = route.agent;
          return next.sendRequest(request);
        },
      }),
    };
    // no credential in the pipeline: anonymous, the SAS in the URL is the only authority
    const pipeline = sdk.newPipeline(new sdk.AnonymousCredential(), {
      retryOptions: { maxTries: this.options.maxTries ?? 2, tryTimeoutInMs: this.options.tryTimeoutMs ?? 8_000, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 },
      keepAliveOptions: { enable: false },
    });
    pipeline.factories.push(agentPolicy);
    return new sdk.ContainerClient(url, pipeline);
  }

  /** Runs one step; what it throws becomes the step's failure (the whole deadline → a timeout). */
  private async run<T>(check: Check, step: ProbeStep, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ProbeStop) throw error;
      if (check.signal.aborted) throw new ProbeStop({ kind: 'timeout', step, timeoutMs: this.timeoutMs });
      const { proxy } = check.route;
      throw new ProbeStop({ kind: 'error', step, error, ...(proxy ? { proxy } : {}) });
    }
  }

  /** Probe blobs older than the leftover age by the service's clock (the list answer's Date). */
  private async findLeftovers(client: ContainerClient, abortSignal: AbortSignal): Promise<string[]> {
    const leftovers: string[] = [];
    let pages = 0;
    for await (const page of client.listBlobsFlat({ prefix: PROBE_PREFIX, abortSignal }).byPage({ maxPageSize: 100 })) {
      const serviceNow = (page.date ?? this.clock.now()).getTime();
      for (const blob of page.segment.blobItems) {
        if (serviceNow - blob.properties.lastModified.getTime() >= this.leftoverAgeMs) leftovers.push(blob.name);
      }
      if (++pages >= 5) break;
    }
    return leftovers;
  }

  private async createReadDelete(client: ContainerClient, check: Check): Promise<void> {
    const { signal: abortSignal } = check;
    const name = `${PROBE_PREFIX}${safeId(this.options.checkId ?? 'verify')}-${randomBytes(6).toString('hex')}`;
    const content = `setupbot checked that this SAS can create, read and delete blobs (${this.clock.now().toISOString()}). Safe to delete.`;
    const blob = client.getBlockBlobClient(name);
    await blob.upload(content, Buffer.byteLength(content), { conditions: { ifNoneMatch: '*' }, abortSignal, blobHTTPHeaders: { blobContentType: 'text/plain' } });
    const read = await this.run(check, 'read', async () => bodyOf(await blob.download(0, undefined, { abortSignal })));
    // a blob that cannot be read back as written is deleted all the same
    await this.run(check, 'delete', () => blob.delete({ abortSignal }));
    if (read !== content) throw new ProbeStop({ kind: 'contentMismatch' });
  }
}

function failed(finding: ServiceFinding): ServiceUse {
  return { outcome: finding.outcome, findings: [finding] };
}

/** A request id is made of letters, digits and dashes; anything else is dropped from the blob name. */
function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'verify';
}

/** The container's URL with the SAS's query (a SAS URL may point at a blob inside the container). */
function containerUrl(target: SasProbeTarget): string {
  const url = new URL(target.sasUrl);
  return `${url.protocol}//${url.host}/${encodeURIComponent(target.container)}${url.search}`;
}

/** The downloaded body (a probe blob is a few dozen bytes). */
async function bodyOf(response: { readableStreamBody?: NodeJS.ReadableStream }): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

async function deleteIfThere(client: ContainerClient, name: string, abortSignal: AbortSignal): Promise<void> {
  // another check may have deleted it a moment ago: gone is what was wanted
  await client.getBlockBlobClient(name).deleteIfExists({ abortSignal });
}
