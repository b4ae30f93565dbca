/**
 * A request card whose post is found in doubt at start-up (issue 23, item 7), when the bot already
 * knows a copy of that card in that conversation: the copy is updated in place, nothing is posted.
 * (The crash itself, and the case with no known copy, are rows of test/e2e/crash-points.test.ts.)
 */
import { OUTBOX, type OutboxEntry } from '../../outbox/outbox.js';
import { COLLECTIONS } from '../../bot/collections.js';
import { REQUESTS } from '../../setup/model/request.js';
import { EmbeddedStore } from '../../storage/embedded-store.js';
import { teamsUser } from '../harness/activities.js';
import { install, submitRequest } from '../harness/scenarios.js';
import { TeamsRig } from '../harness/test-bot.js';

describe('an approval card in doubt at start-up, with its copy known', () => {
  const ada = teamsUser('Ada Approver');
  const riley = teamsUser('Riley Requester');
  const rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: ada.aadObjectId } });
  beforeAll(() => rig.start(), 60_000);
  afterAll(() => rig.stop());

  test('is reconciled by updating the known copy in place: no second card in the approver’s chat', async () => {
    await install(rig, ada);
    const { id } = await submitRequest(rig, riley, 'doubt-uat');
    await rig.app.settled();

    // the process stops with the approval card's post in doubt (as if its answer had been lost)
    await rig.app.stop();
    const store = await EmbeddedStore.open({ file: rig.dataFile, collections: COLLECTIONS });
    const requests = store.repository(REQUESTS);
    const request = (await requests.get(id))?.value;
    const known = request?.cards.find((copy) => copy.kind === 'approver');
    if (!request || !known) throw new Error('no approver copy recorded');
    const entry: OutboxEntry = {
      id: 'in-doubt-approval-card',
      seq: 99,
      conversationKey: known.conversationId,
      operation: { op: 'send', reference: known.address, activity: { type: 'message', text: `approval card of ${id} (again)` } },
      purpose: { kind: 'requestCard', requestId: id, copyKind: 'approver', approverId: ada.aadObjectId.toLowerCase(), revision: request.revision },
      what: `approval card ${id} to approver ${ada.aadObjectId}`,
      createdAt: new Date().toISOString(),
      attempts: 0,
      notBefore: 0,
      inDoubt: { since: new Date().toISOString(), conversationId: known.conversationId },
    };
    await store.repository(OUTBOX).create(entry.id, entry);
    await store.close();

    rig.connector.reset();
    await rig.startBot();
    await rig.app.settled();
    await waitUntil(async () => rig.connector.calls.length > 0 && rig.logs.entries().some((line) => line.event === 'outbox_in_doubt'));
    await rig.app.settled();

    expect(rig.logs.entries().filter((line) => line.event === 'outbox_in_doubt')).toEqual([expect.objectContaining({ decision: 'settled', conversation: known.conversationId })]);
    // nothing posted into the approver's chat; the copy it has was updated in place
    expect(rig.connector.calls.filter((call) => call.operation === 'send')).toEqual([]);
    const updates = rig.connector.updates(known.conversationId);
    expect(updates.map((call) => call.activityId)).toEqual([known.activityId]);
    expect(JSON.stringify(updates[0].body)).toContain(id);
  });
});

async function waitUntil(probe: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
