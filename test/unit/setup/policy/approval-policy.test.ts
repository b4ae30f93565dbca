import {
  applyCancel,
  applyDecision,
  applyExpiry,
  isExpired,
  refuseCancel,
  refuseDecision,
  settledMessage,
  type Actor,
  type Refusal,
} from '../../../../setup/policy/approval-policy.js';
import { english, said } from '../../../fixtures/english.js';
import { emptySetupContent } from '../../../../setup/model/content.js';
import type { Decision, RequestStatus, SetupRequest } from '../../../../setup/model/request.js';

const requester: Actor = { objectId: 'req-1', name: 'Rita Requester' };
const alice: Actor = { objectId: 'appr-a', name: 'Alice Approver' };
const bob: Actor = { objectId: 'appr-b', name: 'Bob Approver' };
const mallory: Actor = { objectId: 'outsider', name: 'Mallory' };

const CREATED = '2026-11-25T09:00:00.000Z';
const EXPIRES = '2026-11-28T09:00:00.000Z';

const decision = (actor: Actor, at: string, comment = ''): Decision => ({ objectId: actor.objectId, name: actor.name, at, comment });

function request(overrides: Partial<SetupRequest> = {}): SetupRequest {
  return {
    id: 'SR-0001',
    status: 'submitted',
    revision: 3,
    content: emptySetupContent(),
    requester: { ...requester, tenantId: 'tenant-1' },
    dryRun: false,
    createdAt: CREATED,
    updatedAt: CREATED,
    requesterConversation: {},
    approvals: [],
    expiresAt: EXPIRES,
    approvalsRequired: 1,
    approvers: [alice.objectId, bob.objectId],
    cards: [],
    ...overrides,
  };
}

const NOW = new Date('2026-11-26T14:30:45.123Z');

describe('refuseDecision', () => {
  const settled: [RequestStatus, Partial<SetupRequest>, string][] = [
    [
      'rejected',
      { rejection: decision(bob, '2026-11-26T10:15:00.000Z', 'no') },
      'This request was already rejected by Bob Approver at 2026-11-26 10:15 UTC.',
    ],
    [
      'cancelled',
      { cancellation: decision(requester, '2026-11-26T11:20:00.000Z') },
      'This request was cancelled by Rita Requester at 2026-11-26 11:20 UTC.',
    ],
    ['expired', { expiredAt: '2026-11-28T09:00:00.000Z' }, 'This request expired at 2026-11-28 09:00 UTC without enough approvals.'],
    ['approved', { approvals: [decision(bob, '2026-11-26T12:05:00.000Z')] }, 'This request was already approved by Bob Approver at 2026-11-26 12:05 UTC.'],
    ['executing', { approvals: [decision(bob, '2026-11-26T12:05:00.000Z')] }, 'This request was already approved by Bob Approver at 2026-11-26 12:05 UTC.'],
    ['succeeded', { approvals: [decision(bob, '2026-11-26T12:05:00.000Z')] }, 'This request was already approved by Bob Approver at 2026-11-26 12:05 UTC.'],
    ['failed', { approvals: [decision(bob, '2026-11-26T12:05:00.000Z')] }, 'This request was already approved by Bob Approver at 2026-11-26 12:05 UTC.'],
  ];

  const cases: [string, SetupRequest, number, Actor, Refusal['code'] | undefined][] = [
    ['allows an approver to decide a pending request from the current card', request(), 3, alice, undefined],
    ['refuses someone who is not an approver', request(), 3, mallory, 'not_approver'],
    ['refuses the requester who is not an approver as not an approver', request(), 3, requester, 'not_approver'],
    [
      'refuses the requester on their own request even when they are an approver',
      request({ approvers: [alice.objectId, requester.objectId] }),
      3,
      requester,
      'own_request',
    ],
    [
      'refuses an approver who already approved',
      request({ approvalsRequired: 2, approvals: [decision(alice, '2026-11-26T10:00:00.000Z')] }),
      3,
      alice,
      'already_voted',
    ],
    ['refuses a click from an older card', request(), 2, alice, 'stale'],
    ['refuses a click from a card newer than the request', request(), 4, alice, 'stale'],
    ['refuses an outsider on a settled request as not an approver first', request({ status: 'rejected' }), 3, mallory, 'not_approver'],
    ['refuses a settled request before looking at the card version', request({ status: 'approved' }), 1, alice, 'not_pending'],
  ];

  test.each(cases)('%s', (_name, subject, cardVersion, actor, code) => {
    const refusal = refuseDecision(subject, subject.revision, cardVersion, actor);
    expect(refusal?.code).toBe(code);
    if (refusal) expect(english(refusal.message).length).toBeGreaterThan(10);
  });

  test('tells the requester another approver has to decide', () => {
    const refusal = refuseDecision(request({ approvers: [requester.objectId, alice.objectId] }), 3, 3, requester);
    expect(said(refusal)).toEqual({ code: 'own_request', message: "You can't approve or reject your own request — another approver has to decide." });
  });

  test('tells an approver who already voted that another approver is needed', () => {
    const refusal = refuseDecision(request({ approvalsRequired: 2, approvals: [decision(alice, CREATED)] }), 3, 3, alice);
    expect(said(refusal)).toEqual({ code: 'already_voted', message: 'You have already approved this request; it is waiting for another approver.' });
  });

  test.each(settled)('refuses a %s request with the sentence saying how it ended', (status, extra, sentence) => {
    const subject = request({ status, ...extra });
    expect(said(refuseDecision(subject, 3, 3, alice))).toEqual({ code: 'not_pending', message: sentence });
    expect(english(settledMessage(subject))).toBe(sentence);
  });

  test('the settled sentence falls back to the update time and generic names when the decision is missing', () => {
    expect(english(settledMessage(request({ status: 'rejected', updatedAt: '2026-11-27T08:00:00.000Z' })))).toBe(
      'This request was already rejected by an approver at 2026-11-27 08:00 UTC.',
    );
    expect(english(settledMessage(request({ status: 'cancelled', updatedAt: '2026-11-27T08:00:00.000Z' })))).toBe(
      'This request was cancelled by the requester at 2026-11-27 08:00 UTC.',
    );
    expect(english(settledMessage(request({ status: 'expired', updatedAt: '2026-11-27T08:00:00.000Z' })))).toBe(
      'This request expired at 2026-11-27 08:00 UTC without enough approvals.',
    );
    expect(english(settledMessage(request({ status: 'approved' })))).toBe('This request was already approved.');
  });

  test('names the last approver of a request approved by several', () => {
    const subject = request({ status: 'approved', approvalsRequired: 2, approvals: [decision(alice, '2026-11-26T10:00:00.000Z'), decision(bob, '2026-11-26T11:00:00.000Z')] });
    expect(english(refuseDecision(subject, 3, 3, alice)?.message ?? '')).toBe('This request was already approved by Bob Approver at 2026-11-26 11:00 UTC.');
  });
});

describe('applyDecision', () => {
  test('with a quorum of 1, one approval approves', () => {
    const before = request();
    const after = applyDecision(before, 'approve', alice, 'looks right', NOW);
    expect(after.status).toBe('approved');
    expect(after.approvals).toEqual([{ objectId: 'appr-a', name: 'Alice Approver', at: NOW.toISOString(), comment: 'looks right' }]);
    expect(after.updatedAt).toBe(NOW.toISOString());
    expect(after.rejection).toBeUndefined();
  });

  test('with a quorum of 2, the first approval keeps it pending and the second approves', () => {
    const first = applyDecision(request({ approvalsRequired: 2 }), 'approve', alice, '', NOW);
    expect(first.status).toBe('submitted');
    expect(first.approvals.map((entry) => entry.objectId)).toEqual(['appr-a']);
    const later = new Date(NOW.getTime() + 60_000);
    const second = applyDecision(first, 'approve', bob, 'ok', later);
    expect(second.status).toBe('approved');
    expect(second.approvals.map((entry) => [entry.name, entry.at])).toEqual([
      ['Alice Approver', NOW.toISOString()],
      ['Bob Approver', later.toISOString()],
    ]);
    expect(second.updatedAt).toBe(later.toISOString());
  });

  test('a rejection rejects at once, even after an approval towards the quorum', () => {
    const partly = request({ approvalsRequired: 2, approvals: [decision(alice, CREATED)] });
    const after = applyDecision(partly, 'reject', bob, 'wrong vault', NOW);
    expect(after.status).toBe('rejected');
    expect(after.rejection).toEqual({ objectId: 'appr-b', name: 'Bob Approver', at: NOW.toISOString(), comment: 'wrong vault' });
    expect(after.approvals).toEqual(partly.approvals);
    expect(after.updatedAt).toBe(NOW.toISOString());
  });

  test('leaves the revision to the caller and does not change its input', () => {
    const before = request();
    const snapshot = structuredClone(before);
    const after = applyDecision(before, 'approve', alice, '', NOW);
    expect(after.revision).toBe(before.revision);
    expect(before).toEqual(snapshot);
  });
});

describe('refuseCancel / applyCancel', () => {
  test('allows the requester to cancel a pending request, with or without a card version', () => {
    expect(refuseCancel(request(), 3, 3, requester)).toBeUndefined();
    expect(refuseCancel(request(), 3, undefined, requester)).toBeUndefined();
  });

  test('refuses anyone but the requester, approvers included', () => {
    for (const actor of [alice, mallory]) {
      expect(said(refuseCancel(request(), 3, 3, actor))).toEqual({ code: 'not_requester', message: 'Only the person who asked can cancel this request.' });
    }
  });

  test('refuses a request that is no longer pending with how it ended', () => {
    const subject = request({ status: 'approved', approvals: [decision(alice, '2026-11-26T12:05:00.000Z')] });
    expect(said(refuseCancel(subject, 3, 3, requester))).toEqual({ code: 'not_pending', message: 'This request was already approved by Alice Approver at 2026-11-26 12:05 UTC.' });
  });

  test('refuses a click from an older card', () => {
    expect(refuseCancel(request(), 3, 2, requester)?.code).toBe('stale');
  });

  test('cancelling records who cancelled and when', () => {
    const before = request();
    const after = applyCancel(before, requester, NOW);
    expect(after.status).toBe('cancelled');
    expect(after.cancellation).toEqual({ objectId: 'req-1', name: 'Rita Requester', at: NOW.toISOString(), comment: '' });
    expect(after.updatedAt).toBe(NOW.toISOString());
    expect(before.status).toBe('submitted');
  });
});

describe('isExpired / applyExpiry', () => {
  const deadline = Date.parse(EXPIRES);

  test.each([
    ['one millisecond before the deadline', deadline - 1, false],
    ['exactly at the deadline', deadline, true],
    ['after the deadline', deadline + 86_400_000, true],
  ])('a pending request %s is expired: %s', (_name, at, expected) => {
    expect(isExpired(request(), new Date(at))).toBe(expected);
  });

  test.each<RequestStatus>(['approved', 'rejected', 'cancelled', 'expired', 'executing', 'succeeded', 'failed'])(
    'a %s request never expires, however late',
    (status) => {
      expect(isExpired(request({ status }), new Date(deadline + 86_400_000))).toBe(false);
    },
  );

  test('expiring records the time and settles the request', () => {
    const at = new Date(deadline);
    const after = applyExpiry(request(), at);
    expect(after).toMatchObject({ status: 'expired', expiredAt: at.toISOString(), updatedAt: at.toISOString() });
    expect(isExpired(after, at)).toBe(false);
    expect(english(settledMessage(after))).toBe('This request expired at 2026-11-28 09:00 UTC without enough approvals.');
  });
});
