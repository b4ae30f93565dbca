/**
 * Issue 19 end to end through /api/messages: an approval policy file with a production rule (two
 * approvals from an Entra group, nested groups included, a comment to reject) and a UAT rule (one
 * named approver) on the same bot; group membership read from the Microsoft Graph stand-in at
 * graph.microsoft.com through the CONNECT proxy (TLS verified), re-read at every click
 * (SETUPBOT_GROUP_CACHE_TTL=1ms); two approvers clicking the same card at the same moment; a
 * member removed between submission and click; Graph down.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cardExecute, teamsUser } from '../harness/activities.js';
import { cardProblems, cardText } from '../harness/card-check.js';
import { actionsOf, CardClient } from '../harness/card-client.js';
import { AzureControlPlaneStandIn, GRAPH_HOST } from '../harness/azure-control-plane-standin.js';
import { ConnectProxy } from '../harness/connect-proxy.js';
import { approverClient, install, submitRequest } from '../harness/scenarios.js';
import { TeamsRig } from '../harness/test-bot.js';

const PROD_GROUP = '0a1b2c3d-0000-4000-8000-00000000a001';
const LEADS_GROUP = '0a1b2c3d-0000-4000-8000-00000000a002';
const requester = teamsUser('Riley Requester');
const ada = teamsUser('Ada Approver');
const bo = teamsUser('Bo Approver');
const cy = teamsUser('Cy Approver');
const una = teamsUser('Una UAT-Approver');
const sam = teamsUser('Sam Stranger');

const POLICY = `# issue 19 end-to-end policy
rules:
  - name: production
    environments: ["*-prod"]
    approvers:
      groups: [${PROD_GROUP}]
    requiredApprovals: 2
    approvalTtl: 72h
    reminders: ["24h"]
    rejectComment: required
  - name: uat
    environments: ["*-uat"]
    requesters:
      users: [${requester.aadObjectId}]
    approvers:
      users: [{ id: ${una.aadObjectId}, name: Una UAT-Approver }]
    requiredApprovals: 1
    approvalTtl: 24h
  - name: default
    environments: ["*"]
    approvers:
      users: [${una.aadObjectId}]
    requiredApprovals: 1
    approvalTtl: 72h
`;

const credential = { getToken: async () => ({ token: 'graph-token-e2e', expiresOnTimestamp: Date.now() + 3600_000 }) };

/** The text lines of a card, in order (TextBlocks and facts as "title: value"). */
function cardLines(card: unknown): string[] {
  const lines: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.type === 'TextBlock' && typeof record.text === 'string') lines.push(record.text);
    if (record.type === 'FactSet' && Array.isArray(record.facts)) for (const fact of record.facts as { title: string; value: string }[]) lines.push(`${fact.title}: ${fact.value}`);
    for (const [key, child] of Object.entries(record)) if (key !== 'facts') walk(child);
  };
  walk(card);
  return lines;
}

describe('approval policy from a file, groups from Microsoft Graph', () => {
  let standIn: AzureControlPlaneStandIn;
  let proxy: ConnectProxy;
  let dir: string;
  let rig: TeamsRig;

  beforeAll(async () => {
    standIn = await AzureControlPlaneStandIn.start();
    proxy = await ConnectProxy.start({ routes: { [`${GRAPH_HOST}:443`]: standIn.url } });
    const { users, groups } = standIn.directory;
    for (const user of [ada, bo, cy, una, requester]) users.set(user.aadObjectId, user.name);
    // Finance-Prod-Approvers holds Ada and, nested, Finance-Platform-Leads (Bo, Cy)
    groups.set(PROD_GROUP, { displayName: 'Finance-Prod-Approvers', members: [ada.aadObjectId, LEADS_GROUP] });
    groups.set(LEADS_GROUP, { displayName: 'Finance-Platform-Leads', members: [bo.aadObjectId, cy.aadObjectId] });
    standIn.membersPageSize = 2;
    dir = await mkdtemp(path.join(tmpdir(), 'setupbot-policy-e2e-'));
    const policyFile = path.join(dir, 'approval-policy.yaml');
    await writeFile(policyFile, POLICY);
    rig = new TeamsRig({
      env: { SETUPBOT_POLICY_FILE: policyFile, SETUPBOT_GROUP_CACHE_TTL: '1ms', HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1,localhost' },
      graphAccess: { credential, ca: standIn.caPem },
    });
    await rig.start();
    for (const user of [requester, ada, bo, cy, una, sam]) await install(rig, user);
  });
  afterAll(async () => {
    await rig?.stop();
    await proxy?.close();
    await standIn?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('policy <environment> shows the rule, its approvers read from the nested groups and why, quorum, expiry and reminders', async () => {
    const client = new CardClient(rig, requester, { kind: 'personal' });
    await client.say('policy contoso-prod');
    expect(cardProblems(client.card)).toEqual([]);
    const lines = cardLines(client.card);
    console.log(`policy contoso-prod, the card's lines as the connector received them:\n${lines.join('\n')}`);
    expect(lines.filter((line) => !line.startsWith('Source: ') && !/\(read \d{4}-/.test(line))).toEqual([
      'Approval policy for contoso-prod',
      'Rule: production (environments *-prod)',
      'Approvals needed: 2 approvals (from 3 approvers now)',
      'Expiry: after 3 days',
      'Reminders: 1 day before expiry',
      'Escalation: none',
      'Rejection comment: required',
      'Who may ask: anyone allowed to request setups',
      'Approvers',
      'Ada Approver — member of Finance-Prod-Approvers',
      'Bo Approver — member of Finance-Prod-Approvers',
      'Cy Approver — member of Finance-Prod-Approvers',
      'Groups',
      'The approvers are read again at every click: someone who left a group can no longer decide, and the requester never decides their own request.',
    ]);
    expect(lines.find((line) => line.startsWith('Source: '))).toBe(`Source: ${path.join(dir, 'approval-policy.yaml')}`);
    expect(lines.some((line) => /^Finance-Prod-Approvers: 3 members \(read \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/.test(line))).toBe(true);

    await client.say('policy contoso-uat');
    expect(cardLines(client.card)).toEqual(expect.arrayContaining(['Rule: uat (environments *-uat)', 'Approvals needed: 1 approval (from 1 approver now)', 'Una UAT-Approver — named in rule uat']));
    // the users were read page by page, every request with a token
    expect(standIn.requestsTo(GRAPH_HOST).filter((request) => request.path.endsWith('/transitiveMembers')).length).toBeGreaterThan(1);
    expect(standIn.requestsTo(GRAPH_HOST).every((request) => request.bearer)).toBe(true);
    // through the configured proxy, at Graph's real name
    expect(proxy.connects.map((connect) => connect.target)).toContain(`${GRAPH_HOST}:443`);
  });

  test('a production request asks the group members, each copy says why its reader was asked; two approvers clicking the same card at once both count', async () => {
    const { id } = await submitRequest(rig, requester, 'contoso-prod');
    const request = (await rig.app.requests.get(id))?.value;
    expect(request?.rule).toMatchObject({ name: 'production', requiredApprovals: 2, rejectComment: 'required' });
    expect(request?.approvalsRequired).toBe(2);
    expect([...(request?.approvers ?? [])].sort()).toEqual([ada.aadObjectId, bo.aadObjectId, cy.aadObjectId].sort());
    expect(() => approverClient(rig, una, id)).toThrow(/no approval card/);

    const first = approverClient(rig, ada, id);
    const second = approverClient(rig, bo, id);
    console.log(`the approval card in Ada's chat, its text as the connector received it:\n${cardText(first.card)}`);
    for (const copy of [first, second]) {
      expect(cardText(copy.card)).toContain('You were asked to approve as member of Finance-Prod-Approvers. Rule production needs 2 approvals; 0 given so far. A rejection needs a comment.');
      expect(cardText(copy.card)).not.toContain('sending the approval card');
      expect(actionsOf(copy.card).map((action) => action.title)).toEqual(['Approve', 'Reject']);
    }
    const version = request?.revision;
    expect(JSON.stringify(first.card)).toContain(`"v":${version}`);
    expect(JSON.stringify(second.card)).toContain(`"v":${version}`);

    // both press Approve on the card of the same version, at the same moment
    const [a, b] = await Promise.all([first.click({ verb: 'request.approve' }), second.click({ verb: 'request.approve' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([first.lastMessage, second.lastMessage]).toEqual([undefined, undefined]);
    const decided = (await rig.app.requests.get(id))?.value;
    expect(decided?.approvals.map((decision) => decision.name).sort()).toEqual(['Ada Approver', 'Bo Approver']);
    expect(decided?.status === 'approved' || decided?.status === 'executing' || decided?.status === 'succeeded').toBe(true);
    await rig.app.settled();
    const actions = (await rig.app.audit.entries(id)).map((entry) => entry.action);
    expect(actions.slice(0, 3)).toEqual(['submitted', 'approved', 'approved']);
    const approvals = (await rig.app.audit.entries(id)).filter((entry) => entry.action === 'approved');
    expect(approvals.map((entry) => entry.details.rule)).toEqual(['production', 'production']);
    expect(approvals.map((entry) => entry.details.via)).toEqual([`group:${PROD_GROUP}`, `group:${PROD_GROUP}`]);
    expect((await rig.app.requests.get(id))?.value.status).toBe('succeeded');
  });

  test('a UAT request on the same bot needs one approval, from the approver its rule names', async () => {
    const { id } = await submitRequest(rig, requester, 'contoso-uat');
    expect((await rig.app.requests.get(id))?.value).toMatchObject({ approvalsRequired: 1, approvers: [una.aadObjectId], rule: { name: 'uat' } });
    expect(() => approverClient(rig, ada, id)).toThrow(/no approval card/);
    const approver = approverClient(rig, una, id);
    expect(cardText(approver.card)).toContain('You were asked to approve as named in rule uat. Rule uat needs 1 approval; 0 given so far.');
    await approver.click({ verb: 'request.approve' });
    expect(cardText(approver.card)).toContain(`${id} · Approved`);
    // a group member of production has no say on UAT
    const response = await rig.post(cardExecute(rig.scene, ada, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: id, v: 1 }));
    expect(String((response.body as { value?: unknown }).value)).toContain('Only the approvers named in rule uat can approve or reject this request');
  });

  test("requesters: only the people a rule names may ask for its environments; the refusal says so on the review card", async () => {
    const client = new CardClient(rig, sam, { kind: 'personal' });
    await client.say('setup');
    await client.click({ verb: 'setup.next' }, { 'environment.name': 'other-uat', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
    await client.click({ verb: 'setup.next' }, { 'keyVault.name': 'other-uat-kv', 'keyVault.keyVaultUri': 'https://contoso-einvoicing.vault.azure.net/', 'keyVault.storageSasSecretName': 'storage-sas-token' });
    await client.click({ verb: 'setup.skip' });
    await client.click({ verb: 'setup.submit' });
    expect(cardText(client.card)).toContain("Only the requesters rule uat names may ask for other-uat, and you're not one of them. Ask the bot's administrator if you should be. So this draft was not submitted");
    expect(await rig.app.requests.listByRequester(sam.aadObjectId)).toEqual([]);
  });

  test('a member removed from the group between submission and click is refused, with the group named, and nothing changes', async () => {
    const { id } = await submitRequest(rig, requester, 'finance-prod');
    const card = approverClient(rig, cy, id);
    standIn.directory.groups.set(LEADS_GROUP, { displayName: 'Finance-Platform-Leads', members: [bo.aadObjectId] });
    try {
      await card.click({ verb: 'request.approve' });
      console.log(`Cy, removed from the group, clicks Approve; the bot answers:\n${card.lastMessage}`);
      expect(card.lastMessage).toBe("You were asked as a member of Finance-Prod-Approvers, but you are no longer in that group, so you can't approve or reject this request (rule production).");
      const request = (await rig.app.requests.get(id))?.value;
      expect(request?.status).toBe('submitted');
      expect(request?.approvals).toEqual([]);
      expect(rig.logs.entries().some((entry) => entry.event === 'decision_refused' && entry.requestId === id && entry.detail === 'not_in_rule')).toBe(true);
    } finally {
      standIn.directory.groups.set(LEADS_GROUP, { displayName: 'Finance-Platform-Leads', members: [bo.aadObjectId, cy.aadObjectId] });
    }
  });

  test('a rejection needs a comment under the production rule: the card asks for it, and the server checks it', async () => {
    const { id } = await submitRequest(rig, requester, 'reject-prod');
    const approver = approverClient(rig, ada, id);
    const version = (await rig.app.requests.get(id))?.value.revision ?? 0;
    const bare = await rig.post(cardExecute(rig.scene, ada, { kind: 'personal' }, 'request.reject', { verb: 'request.reject', requestId: id, v: version }));
    expect(String((bare.body as { value?: unknown }).value)).toBe('Rule production asks for a comment when rejecting: write why in the comment box, then press Reject.');
    expect((await rig.app.requests.get(id))?.value.status).toBe('submitted');
    // the Reject… panel's reason box is required: a Teams client does not send it empty
    await expect(approver.click({ verb: 'request.reject' })).rejects.toThrow(/required inputs empty: rejectReason/);
    await approver.click({ verb: 'request.reject' }, { rejectReason: 'Wrong vault for production' });
    const rejected = (await rig.app.requests.get(id))?.value;
    expect(rejected?.status).toBe('rejected');
    expect(rejected?.rejection?.comment).toBe('Wrong vault for production');
  });

  test('approvals lists what the caller may decide, and why', async () => {
    const { id } = await submitRequest(rig, requester, 'list-prod');
    const client = new CardClient(rig, bo, { kind: 'personal' });
    const before = rig.connector.sentActivities(client.conversationId).length;
    await client.say('approvals');
    await rig.connector.waitForActivities(before + 2, client.conversationId);
    const texts = rig.connector.sentActivities(client.conversationId).slice(before).map((activity) => activity.text ?? '');
    expect(texts.join('\n')).toContain(`- **${id}** list-prod: you may decide as member of Finance-Prod-Approvers (rule production); 0 of 2 approvals so far`);
  });

  test('when Graph is down the last membership read is used, logged once, and policy says as of when; a member still decides', async () => {
    const { id } = await submitRequest(rig, requester, 'outage-prod');
    standIn.graphOutage = true;
    try {
      const client = new CardClient(rig, requester, { kind: 'personal' });
      await client.say('policy outage-prod');
      const stale = cardLines(client.card).find((line) => line.startsWith('⚠️ Finance-Prod-Approvers'));
      expect(stale).toMatch(/^⚠️ Finance-Prod-Approvers: 3 members, membership as of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(Microsoft Graph cannot be reached; the last membership read is used\)$/);
      const approver = approverClient(rig, ada, id);
      await approver.click({ verb: 'request.approve' });
      expect((await rig.app.requests.get(id))?.value.approvals.map((decision) => decision.name)).toEqual(['Ada Approver']);
      await client.say('policy outage-prod');
      const logged = rig.logs.entries().filter((entry) => entry.event === 'group_membership_stale' && entry.groupId === PROD_GROUP);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ code: 'HTTP 503 serviceNotAvailable' });
    } finally {
      standIn.graphOutage = false;
    }
  });
});
