/**
 * Reminders, escalation and delegated decisions through the use cases over a real store: of many
 * passes recording the same point at once (restarts, instances), one records it, with one audit
 * entry; a delegate's decision is stored for the approver and audited with both names.
 */
import { COUNTERS } from '../../../../setup/coordination/counter.js';
import type { Requester } from '../../../../setup/model/draft.js';
import { REQUESTS } from '../../../../setup/model/request.js';
import type { AppliedRule } from '../../../../setup/policy/policy-model.js';
import { planFollowUps } from '../../../../setup/policy/reminders.js';
import { DELEGATIONS, DelegationStore } from '../../../../setup/requests/delegations.js';
import { DRAFTS, DraftStore } from '../../../../setup/requests/drafts.js';
import { SetupRequests } from '../../../../setup/requests/setup-requests.js';
import { ManualClock } from '../../../fixtures/clocks.js';
import { auditLogOn, registryOn } from '../../../fixtures/services.js';
import { validSetupContent } from '../../../fixtures/setup-content.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

const H = 3_600_000;
const rita: Requester = { objectId: 'req-rita', name: 'Rita Requester', tenantId: 't' };
const rule: AppliedRule = {
  name: 'default',
  source: 'environment',
  approvers: [],
  requiredApprovals: 2,
  approvalTtlMs: 72 * H,
  remindersBeforeExpiryMs: [24 * H],
  escalation: { afterMs: 48 * H, to: [{ kind: 'user', id: 'eve' }] },
  rejectComment: 'optional',
};

let temp: TempStore;
let clock: ManualClock;

/** One "instance" of the use cases over the shared store. */
function instance(): { requests: SetupRequests; delegations: DelegationStore } {
  const { store } = temp;
  const delegations = new DelegationStore(store.repository(DELEGATIONS), clock);
  const requests = new SetupRequests({
    requests: store.repository(REQUESTS),
    counters: store.repository(COUNTERS),
    drafts: new DraftStore(store.repository(DRAFTS), clock),
    audit: auditLogOn(store, clock),
    clock,
    registry: registryOn(store, clock),
    policy: { approvers: ['ben', 'dora', 'req-rita'], approvalsRequired: 2, ttlMs: 72 * H, retryWindowMs: 24 * H, followUps: { remindersBeforeExpiryMs: rule.remindersBeforeExpiryMs, ...(rule.escalation ? { escalation: rule.escalation } : {}) } },
    delegations,
  });
  return { requests, delegations };
}

async function submit(requests: SetupRequests, environment = 'contoso-uat'): Promise<string> {
  const drafts = new DraftStore(temp.store.repository(DRAFTS), clock);
  const content = validSetupContent({ environment: { name: environment }, keyVault: { name: `${environment}-kv` } });
  const draft = await drafts.save(await drafts.start(rita, 'conv-rita'), { content, step: 'review', cardActivityId: 'card' });
  const outcome = await requests.submit(draft, { conversation: { id: 'conv-rita' } });
  if (!outcome.ok) throw new Error('not submitted');
  return outcome.request.id;
}

beforeEach(async () => {
  temp = await openTempStore('setupbot-follow-ups-');
  clock = new ManualClock();
});
afterEach(() => temp.cleanup());

test('ten passes of two instances record a due point at once: one records it, with one audit entry', async () => {
  const [one, two] = [instance(), instance()];
  const id = await submit(one.requests);
  expect((await one.requests.get(id))?.value.rule?.name).toBe('default');
  clock.advance(48 * H);
  const request = (await one.requests.get(id))?.value;
  if (!request) throw new Error('missing');
  const plan = planFollowUps(request, clock.now());
  const outcomes = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? one : two).requests.recordFollowUps(id, plan, [{ id: 'eve', name: 'Eve' }])));
  expect(outcomes.filter((outcome) => outcome !== undefined)).toHaveLength(1);
  const stored = (await two.requests.get(id))?.value;
  expect(stored?.followUps?.map((followUp) => followUp.kind)).toEqual(['reminder', 'escalation']);
  expect(stored?.approvers).toEqual(['ben', 'dora', 'req-rita', 'eve']);
  expect(stored?.revision).toBe(request.revision);
  const audit = await auditLogOn(temp.store, clock).entries(id);
  expect(audit.map((entry) => entry.action)).toEqual(['submitted', 'reminder_sent', 'escalated']);
});

test("a delegate's decision is stored as the approver's vote and audited with both names; the delegation ended, it is refused", async () => {
  const { requests, delegations } = instance();
  const id = await submit(requests);
  await delegations.set({ approverId: 'ben', approverName: 'Ben Okafor', delegateId: 'ana', delegateName: 'Ana Ruiz', until: new Date(clock.now().getTime() + 24 * H).toISOString() });
  const outcome = await requests.decide(id, 1, { objectId: 'ana', name: 'Ana Ruiz' }, 'approve', 'covering for Ben');
  expect(outcome.ok).toBe(true);
  const stored = (await requests.get(id))?.value;
  expect(stored?.approvals).toEqual([expect.objectContaining({ objectId: 'ben', name: 'Ben Okafor', delegate: { objectId: 'ana', name: 'Ana Ruiz' } })]);
  const entry = (await auditLogOn(temp.store, clock).entries(id)).find((candidate) => candidate.action === 'approved');
  expect(entry).toMatchObject({ actor: { objectId: 'ana', name: 'Ana Ruiz' }, details: { onBehalfOf: 'Ben Okafor', onBehalfOfId: 'ben', comment: 'covering for Ben' } });

  const second = await submit(requests, 'contoso-test');
  clock.advance(25 * H);
  const late = await requests.decide(second, 1, { objectId: 'ana', name: 'Ana Ruiz' }, 'approve', '');
  expect(late).toMatchObject({ ok: false, refusal: { code: 'not_approver' } });
});
