/**
 * The approval policy's groups, read for real: GraphGroupReader (GraphClient over HTTPS) against
 * the Graph stand-in at graph.microsoft.com through the CONNECT proxy, TLS verified against the
 * stand-in's CA; and CachedGroupDirectory over it (TTL, outage, "as of", never "anyone").
 */
import { CachedGroupDirectory } from '../../azure/graph/group-cache.js';
import { GraphGroupReader } from '../../azure/graph/group-reader.js';
import { GraphClient } from '../../azure/graph/graph-client.js';
import { createLogger } from '../../bot/logger.js';
import { AzureControlPlaneStandIn, GRAPH_HOST } from '../harness/azure-control-plane-standin.js';
import { ConnectProxy } from '../harness/connect-proxy.js';
import { LogCollector } from '../harness/test-bot.js';

const credential = { getToken: async () => ({ token: 'graph-token-for-tests', expiresOnTimestamp: Date.now() + 3600_000 }) };

const PROD = 'a1111111-1111-4111-8111-111111111111';
const LEADS = 'b2222222-2222-4222-8222-222222222222';
const DEEP = 'c3333333-3333-4333-8333-333333333333';
const ADA = 'd4444444-4444-4444-8444-444444444444';
const BO = 'e5555555-5555-4555-8555-555555555555';
const CY = 'f6666666-6666-4666-8666-666666666666';
const PRINTER = '07777777-7777-4777-8777-777777777777';

describe('Entra groups through Microsoft Graph (stand-in behind the proxy)', () => {
  let standIn: AzureControlPlaneStandIn;
  let proxy: ConnectProxy;
  let waits: number[];
  let reader: GraphGroupReader;

  beforeAll(async () => {
    standIn = await AzureControlPlaneStandIn.start();
    proxy = await ConnectProxy.start({ routes: { [`${GRAPH_HOST}:443`]: standIn.url } });
  });
  afterAll(async () => {
    await proxy?.close();
    await standIn?.close();
  });

  beforeEach(() => {
    waits = [];
    standIn.requests.length = 0;
    standIn.graphOutage = false;
    standIn.throttleGraph = 0;
    standIn.membersPageSize = 100;
    const { users, groups, devices } = standIn.directory;
    users.clear();
    groups.clear();
    devices.clear();
    users.set(ADA, 'Ada Approver').set(BO, 'Bo Approver').set(CY, 'Cy Deep');
    devices.add(PRINTER);
    // Prod → Ada, Leads; Leads → Bo, Deep; Deep → Cy, a device, and Prod again (a cycle)
    groups.set(PROD, { displayName: 'Finance-Prod-Approvers', members: [ADA, LEADS] });
    groups.set(LEADS, { displayName: 'Finance-Platform-Leads', members: [BO, DEEP] });
    groups.set(DEEP, { displayName: 'Finance-Deep', members: [CY, PRINTER, PROD] });
    const graph = new GraphClient({ credential, env: { HTTPS_PROXY: proxy.url }, ca: standIn.caPem, maxRetries: 2, sleep: async (ms) => void waits.push(ms) });
    reader = new GraphGroupReader(graph);
  });

  test('reads the users of nested groups (transitive), with the group name; groups and devices are left out', async () => {
    const read = await reader.read(PROD);
    expect(read).toEqual({
      ok: true,
      name: 'Finance-Prod-Approvers',
      users: [
        { id: ADA, name: 'Ada Approver' },
        { id: BO, name: 'Bo Approver' },
        { id: CY, name: 'Cy Deep' },
      ],
    });
    const paths = standIn.requestsTo(GRAPH_HOST).map((request) => request.path).sort();
    expect(paths).toEqual([`/v1.0/groups/${PROD}`, `/v1.0/groups/${PROD}/transitiveMembers`]);
    expect(standIn.requestsTo(GRAPH_HOST).every((request) => request.bearer)).toBe(true);
  });

  test('follows @odata.nextLink through every page', async () => {
    standIn.membersPageSize = 2;
    const read = await reader.read(PROD);
    expect(read.ok && read.users.map((user) => user.id)).toEqual([ADA, BO, CY]);
    // 5 objects below Prod (3 users, 2 groups, a device: 6) at 2 a page: 3 pages
    expect(standIn.requestsTo(GRAPH_HOST).filter((request) => request.path.endsWith('/transitiveMembers'))).toHaveLength(3);
  });

  test('waits what Retry-After says when Graph throttles (429), then reads', async () => {
    standIn.throttleGraph = 2;
    standIn.retryAfterSeconds = 3;
    const read = await reader.read(LEADS);
    expect(read.ok && read.users.map((user) => user.name)).toEqual(['Bo Approver', 'Cy Deep', 'Ada Approver']);
    expect(waits).toEqual([3000, 3000]);
    expect(standIn.requestsTo(GRAPH_HOST).filter((request) => request.status === 429)).toHaveLength(2);
  });

  test('an unknown group or an outage is a failure, never an empty membership', async () => {
    expect(await reader.read('99999999-9999-4999-8999-999999999999')).toEqual({ ok: false, code: 'HTTP 404 Request_ResourceNotFound' });
    standIn.graphOutage = true;
    expect(await reader.read(PROD)).toEqual({ ok: false, code: 'HTTP 503 serviceNotAvailable' });
    expect(await reader.read('not-a-guid/../../users')).toEqual({ ok: false, code: 'NotAGroupId' });
  });

  describe('the cache', () => {
    let now: number;
    let logs: LogCollector;
    let cache: CachedGroupDirectory;
    beforeEach(() => {
      now = Date.parse('2026-12-07T09:00:00Z');
      logs = new LogCollector();
      cache = new CachedGroupDirectory({ reader, ttlMs: 5 * 60_000, logger: createLogger({ level: 'debug', destination: logs }), now: () => now });
    });

    const transitiveReads = () => standIn.requestsTo(GRAPH_HOST).filter((request) => request.path.endsWith('/transitiveMembers')).length;

    test('reads once within the TTL, and again after it (a removed member is gone)', async () => {
      const first = await cache.members(PROD);
      expect(first).toMatchObject({ known: true, name: 'Finance-Prod-Approvers', stale: false, asOf: '2026-12-07T09:00:00.000Z' });
      now += 4 * 60_000;
      await Promise.all([cache.members(PROD), cache.members(PROD)]);
      expect(transitiveReads()).toBe(1);
      standIn.directory.groups.set(PROD, { displayName: 'Finance-Prod-Approvers', members: [LEADS] });
      now += 2 * 60_000;
      const later = await cache.members(PROD);
      expect(later.known && later.users.map((user) => user.id)).not.toContain(ADA);
      expect(transitiveReads()).toBe(2);
    });

    test('in an outage the last membership read is used, said stale as of its time, and logged once; never "anyone"', async () => {
      await cache.members(PROD);
      standIn.graphOutage = true;
      now += 10 * 60_000;
      const stale = await cache.members(PROD);
      expect(stale).toMatchObject({ known: true, stale: true, asOf: '2026-12-07T09:00:00.000Z' });
      expect(stale.known && stale.users.map((user) => user.id)).toEqual([ADA, BO, CY]);
      now += 10 * 60_000;
      await cache.members(PROD);
      expect(logs.events().filter((event) => event === 'group_membership_stale')).toHaveLength(1);
      // a group never read is not known: nobody from it may decide
      expect(await cache.members(LEADS)).toEqual({ known: false });
      expect(logs.events()).toContain('group_membership_unreadable');
      standIn.graphOutage = false;
      now += 10 * 60_000;
      expect(await cache.members(PROD)).toMatchObject({ known: true, stale: false, asOf: '2026-12-07T09:30:00.000Z' });
      expect(logs.events()).toContain('group_membership_restored');
      standIn.graphOutage = true;
      now += 10 * 60_000;
      await cache.members(PROD);
      // a second outage is logged again
      expect(logs.events().filter((event) => event === 'group_membership_stale')).toHaveLength(2);
    });
  });
});
