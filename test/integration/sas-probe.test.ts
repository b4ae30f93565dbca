/**
 * The SAS check for real: BlobSasProbe with the SAS URL alone, through HTTPS_PROXY, against
 * Azurite (which checks every SAS signature, time window and permission) at
 * https://contosoinvoicing.blob.core.windows.net — an HTTPS front tunnelled there by the proxy.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { LookupFunction } from 'node:net';
import { BlobSasProbe, PROBE_PREFIX, type BlobSasProbeOptions, type SasProbeTarget } from '../../azure/sas-probe.js';
import { ENGLISH } from '../../i18n/translations.js';
import { serviceFindingText } from '../../cards/service-findings/index.js';
import type { StandInHandler } from '../harness/https-standins.js';
import { SasStorageWorld, STORAGE_ACCOUNT, STORAGE_HOST, networkRulesRefusal, newAccountKey, type SasOptions } from '../harness/sas-storage-world.js';

const HOUR_MS = 60 * 60 * 1000;
let world: SasStorageWorld;

beforeAll(async () => {
  world = await SasStorageWorld.start();
}, 60_000);

afterAll(async () => {
  await world?.close();
});

function probe(options: BlobSasProbeOptions = {}): BlobSasProbe {
  return new BlobSasProbe({ env: world.env, ca: world.caPem, timeoutMs: 10_000, ...options });
}

async function newContainer(): Promise<string> {
  const name = `einvoicing-${randomBytes(4).toString('hex')}`;
  await world.container(name).create();
  return name;
}

function target(options: SasOptions): SasProbeTarget {
  return {
    sasUrl: world.sasUrl(options),
    account: STORAGE_ACCOUNT,
    container: options.container,
    host: STORAGE_HOST,
    vaultName: 'contoso-einvoicing',
    secretName: 'storage-sas-token',
    ...(options.startsOn ? { startsOn: options.startsOn } : {}),
    ...(options.expiresOn ? { expiresOn: options.expiresOn } : {}),
  };
}

describe('BlobSasProbe against Azurite through the proxy', () => {
  it('lists, creates, reads back and deletes a probe blob with a good SAS, and leaves nothing behind', async () => {
    const container = await newContainer();
    await world.container(container).getBlockBlobClient('invoice-1.xml').upload('<invoice/>', 10);
    const tunnelsBefore = world.proxy.targets.length;

    const use = await probe().probe(target({ container }));

    expect(use).toEqual({ outcome: 'ok', findings: [{ code: 'sas.usable', outcome: 'ok', params: { account: STORAGE_ACCOUNT, container, leftoversDeleted: 0 } }] });
    expect(await world.blobNames(container)).toEqual(['invoice-1.xml']);
    // it went through the proxy to the account's public name, and did each operation
    expect(world.proxy.targets.slice(tunnelsBefore)).toContain(`${STORAGE_HOST}:443`);
    const calls = world.front.requests.filter((request) => request.path.startsWith(`/${container}`)).map((request) => `${request.method} ${request.status}`);
    expect(calls).toEqual(['GET 200', 'PUT 201', 'GET 200', 'DELETE 202']);
  });

  it('names a SAS signed with a key since rotated as rejected, with the commands that renew it', async () => {
    const container = await newContainer();
    const use = await probe().probe(target({ container, key: newAccountKey() }));

    expect(use.outcome).toBe('failed');
    const [finding] = use.findings;
    expect(finding.code).toBe('sas.signatureRejected');
    expect(finding.fix).toContain(`az storage container generate-sas --account-name ${STORAGE_ACCOUNT} --name ${container} --permissions racwdl`);
    expect(finding.fix).toContain('az keyvault secret set --vault-name contoso-einvoicing --name storage-sas-token');
    expect(serviceFindingText(finding, ENGLISH)).toMatch(/rejected the SAS signature/);
  });

  it('names a deleted container, with the command that creates it again', async () => {
    const container = await newContainer();
    const sas = target({ container });
    await world.container(container).delete();

    const use = await probe().probe(sas);

    expect(use.findings).toEqual([
      {
        code: 'sas.containerMissing',
        outcome: 'failed',
        params: { account: STORAGE_ACCOUNT, container, host: STORAGE_HOST },
        fix: `az storage container create --account-name ${STORAGE_ACCOUNT} --name ${container} --auth-mode login`,
      },
    ]);
  });

  it('names an expired SAS, with its expiry', async () => {
    const container = await newContainer();
    const expiresOn = new Date(Date.now() - HOUR_MS);
    const use = await probe().probe(target({ container, expiresOn, startsOn: new Date(Date.now() - 2 * HOUR_MS) }));

    expect(use.findings[0].code).toBe('sas.expired');
    expect(use.findings[0].params.expiresOn).toBe(expiresOn.toISOString());
    expect(use.findings[0].fix).toContain('az storage container generate-sas');
  });

  it('names a SAS not valid yet', async () => {
    const container = await newContainer();
    const use = await probe().probe(target({ container, startsOn: new Date(Date.now() + 2 * HOUR_MS) }));
    expect(use.findings[0].code).toBe('sas.notYetValid');
  });

  it('names the permission a SAS lacks (sp=rl cannot create), and creates nothing', async () => {
    const container = await newContainer();
    const use = await probe().probe(target({ container, permissions: 'rl' }));

    expect(use.findings[0]).toMatchObject({ code: 'sas.permissionMissing', params: { step: 'create', permission: 'cw' } });
    expect(await world.blobNames(container)).toEqual([]);
  });

  it('names a missing delete permission, and the probe blob stays for a later check to delete', async () => {
    const container = await newContainer();
    const use = await probe().probe(target({ container, permissions: 'rcwl' }));

    expect(use.findings[0]).toMatchObject({ code: 'sas.permissionMissing', params: { step: 'delete', permission: 'd' } });
    expect(await world.blobNames(container)).toEqual([expect.stringMatching(/^setupbot-check-verify-[0-9a-f]{12}$/)]);
  });

  it('deletes a probe blob a crashed check left behind, and keeps one a running check is using', async () => {
    const container = await newContainer();
    const leftover = `${PROBE_PREFIX}r-crashed-0a1b2c3d4e5f`;
    await world.container(container).getBlockBlobClient(leftover).upload('left behind', 11);

    // young: may belong to a check running elsewhere right now
    const kept = await probe().probe(target({ container }));
    expect(kept.findings[0].params.leftoversDeleted).toBe(0);
    expect(await world.blobNames(container)).toEqual([leftover]);

    // old enough by the storage service's clock: a leftover
    const cleaned = await probe({ leftoverAgeMs: 0, checkId: 'r-42' }).probe(target({ container }));
    expect(cleaned).toMatchObject({ outcome: 'ok', findings: [{ code: 'sas.usable', params: { leftoversDeleted: 1 } }] });
    expect(await world.blobNames(container)).toEqual([]);
  });

  it('names the storage firewall refusing the request (Azure network rules 403 AuthorizationFailure)', async () => {
    const container = await newContainer();
    world.front.route(STORAGE_HOST, { handler: networkRulesRefusal });
    try {
      const use = await probe().probe(target({ container }));
      expect(use.findings).toEqual([
        {
          code: 'sas.networkRefused',
          outcome: 'failed',
          params: { account: STORAGE_ACCOUNT, container, host: STORAGE_HOST },
          fix: `az storage account update --name ${STORAGE_ACCOUNT} --public-network-access Enabled --default-action Allow`,
        },
      ]);
    } finally {
      world.front.route(STORAGE_HOST, { upstream: world.azurite.blobOrigin, ca: world.azuriteCaPem });
    }
  });

  it('a storage account that never answers: a timeout finding at the deadline, the check does not hang', async () => {
    const held: ServerResponse[] = [];
    world.front.route(STORAGE_HOST, { handler: (_req, res) => held.push(res) });
    try {
      const use = await probe({ timeoutMs: 1_500, tryTimeoutMs: 600 }).probe(target({ container: 'einvoicing' }));
      expect(use.findings[0]).toMatchObject({ code: 'sas.timeout', params: { step: 'list' } });
    } finally {
      held.forEach((res) => res.destroy());
      world.front.route(STORAGE_HOST, { upstream: world.azurite.blobOrigin, ca: world.azuriteCaPem });
    }
  });

  it('a busy account (503 ServerBusy) is tried twice, not more, and said to be busy', async () => {
    const busy: StandInHandler = (req, res) => {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml', 'x-ms-error-code': 'ServerBusy' });
      res.end('<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>The server is busy.</Message></Error>');
    };
    world.front.route(STORAGE_HOST, { handler: busy });
    const before = world.front.requests.length;
    try {
      const use = await probe().probe(target({ container: 'einvoicing' }));
      expect(use.findings[0]).toMatchObject({ code: 'sas.serviceBusy', params: { step: 'list', status: 503, code: 'ServerBusy' } });
      expect(world.front.requests.length - before).toBe(2);
    } finally {
      world.front.route(STORAGE_HOST, { upstream: world.azurite.blobOrigin, ca: world.azuriteCaPem });
    }
  });

  it('names an account the proxy cannot reach (no such name), naming the proxy', async () => {
    const sas = target({ container: 'einvoicing' });
    const use = await probe().probe({ ...sas, sasUrl: sas.sasUrl.replace(STORAGE_HOST, 'contosogone.blob.core.windows.net'), account: 'contosogone', host: 'contosogone.blob.core.windows.net' });

    expect(use.findings[0]).toMatchObject({ code: 'sas.proxyRefused', params: { account: 'contosogone', status: 502, proxy: new URL(world.proxy.url).host } });
  });

  const noSuchHost: LookupFunction = (hostname, _options, callback) => {
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    callback(error, '', 4);
  };

  it('names an account whose name does not resolve (direct, DNS says no such host)', async () => {
    const use = await probe({ env: {}, lookup: noSuchHost }).probe(target({ container: 'einvoicing' }));
    expect(use.findings[0]).toMatchObject({ code: 'sas.accountNotFound', params: { account: STORAGE_ACCOUNT, reason: 'ENOTFOUND' } });
  });

  it('goes direct when NO_PROXY names the account (the proxy is not asked), as the connection check does', async () => {
    const tunnelsBefore = world.proxy.targets.length;
    const use = await probe({ env: { HTTPS_PROXY: world.proxy.url, NO_PROXY: '.blob.core.windows.net' }, lookup: noSuchHost }).probe(target({ container: 'einvoicing' }));
    expect(use.findings[0].code).toBe('sas.accountNotFound');
    expect(world.proxy.targets.length).toBe(tunnelsBefore);
  });

  it('a proxy setting it cannot use is said so, and nothing is sent', async () => {
    const use = await probe({ env: { HTTPS_PROXY: 'socks5://proxy.contoso.com:1080' } }).probe(target({ container: 'einvoicing' }));
    expect(use.findings).toEqual([{ code: 'sas.proxySettingInvalid', outcome: 'failed', params: { account: STORAGE_ACCOUNT, container: 'einvoicing', host: STORAGE_HOST } }]);
  });
});
