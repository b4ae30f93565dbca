import { COLLECTIONS } from '../../bot/collections.js';
import { AUDIT_ENTRIES } from '../../setup/audit/audit.js';
import { EmbeddedStore } from '../../storage/embedded-store.js';
import { teamsUser } from '../harness/activities.js';
import { cardProblems, cardText } from '../harness/card-check.js';
import { actionsOf, CardClient } from '../harness/card-client.js';
import { approverClient, install, submitRequest } from '../harness/scenarios.js';
import { TeamsRig } from '../harness/test-bot.js';

const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');
const stranger = teamsUser('Sam Stranger');

/** The request ids in the order the card lists its entries. */
function listedRequests(text: string): string[] {
  return [...text.matchAll(/SR-\d{4}/g)].map((match) => match[0]);
}

describe('history <environment>', () => {
  const rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: approver.aadObjectId } });
  const ids: string[] = [];

  beforeAll(async () => {
    await rig.start();
    await install(rig, approver);
    // three requests for one environment: cancelled, rejected, then approved and carried out
    const first = await submitRequest(rig, requester, 'hist-env');
    await first.client.click({ verb: 'request.cancel' });
    const second = await submitRequest(rig, requester, 'hist-env');
    await approverClient(rig, approver, second.id).click({ verb: 'request.reject' }, { comment: 'Wrong vault' });
    const third = await submitRequest(rig, requester, 'hist-env');
    await approverClient(rig, approver, third.id).click({ verb: 'request.approve' }, { comment: 'Go' });
    await rig.app.settled();
    ids.push(first.id, second.id, third.id);
    expect((await rig.app.requests.get(third.id))?.value.status).toBe('succeeded');
  });

  afterAll(() => rig.stop());

  test('lists the entries newest first, paged, with who asked, who decided and the results', async () => {
    const admin = new CardClient(rig, requester, { kind: 'personal' });
    await admin.say('history hist-env');
    expect(cardProblems(admin.card)).toEqual([]);
    const first = cardText(admin.card);
    expect(first).toContain('History of hist-env');
    expect(first).toContain('Audit chain verified');
    expect(first).toContain('page 1 of 2');
    expect(first).toContain('Finished: succeeded');
    expect(first).toContain('Approved by Ada Approver — “Go”');
    expect(first).toContain('Rejected by Ada Approver — “Wrong vault”');
    expect(first).toContain('Cancelled by Riley Requester');
    const [, , third] = ids;
    expect(listedRequests(first)[0]).toBe(third);
    expect(actionsOf(admin.card).map((action) => action.title)).toEqual(['Older']);

    await admin.click({ verb: 'history.page' });
    const second = cardText(admin.card);
    expect(second).toContain('page 2 of 2');
    expect(second).toContain('entries 11–11 of 11');
    expect(second).toContain(`Requested by Riley Requester: environment hist-env, Key Vault reference hist-env-kv, 0 connected apps`);
    expect(listedRequests(second)).toEqual([ids[0]]);
    expect(actionsOf(admin.card).map((action) => action.title)).toEqual(['Newer']);

    // the whole trail, in the order the pages show it, is the audit log newest first
    const trail = (await Promise.all(ids.map((id) => rig.app.audit.entries(id)))).flat().sort((a, b) => b.seq - a.seq);
    expect([...listedRequests(first), ...listedRequests(second)]).toEqual(trail.map((entry) => entry.requestId));
  });

  test('an approver sees it; a stranger is told why not; an unknown environment is said so', async () => {
    const boss = new CardClient(rig, approver, { kind: 'personal' });
    await boss.say('history HIST-ENV');
    expect(cardText(boss.card)).toContain('History of hist-env');
    const other = new CardClient(rig, stranger, { kind: 'personal' });
    await other.say('history hist-env');
    expect(other.lastMessage).toContain("can't show the history");
    await boss.say('history nowhere');
    expect(boss.lastMessage).toContain('No request ever named a service environment "nowhere"');
  });

  test('an entry edited outside setupbot shows as a broken chain', async () => {
    await rig.app.stop();
    const store = await EmbeddedStore.open({ file: rig.dataFile, collections: COLLECTIONS });
    const entries = store.repository(AUDIT_ENTRIES);
    const [rejected] = await entries.find('request', ids[1]);
    const target = (await entries.find('request', ids[1])).find((entry) => entry.value.action === 'rejected') ?? rejected;
    await entries.update(target.id, target.version, { details: { ...target.value.details, comment: 'Fine by me' } });
    await store.close();
    await rig.startBot();
    const admin = new CardClient(rig, requester, { kind: 'personal' });
    await admin.say('history hist-env');
    expect(cardText(admin.card)).toContain(`Audit chain broken at entry ${target.value.seq}`);
  });
});
