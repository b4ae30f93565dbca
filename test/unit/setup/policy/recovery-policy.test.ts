import type { ApprovalPolicy } from '../../../../setup/policy/approval-policy.js';
import { said } from '../../../fixtures/english.js';
import { planFor } from '../../../../setup/execution/plans.js';
import {
  applyResubmitted,
  applyRetry,
  approvedAt,
  holdsNames,
  refuseResubmit,
  refuseRetry,
  retryNeedsApproval,
} from '../../../../setup/policy/recovery-policy.js';
import type { RequestStatus, SetupRequest } from '../../../../setup/model/request.js';
import { validSetupContent } from '../../../fixtures/setup-content.js';

const HOUR = 3_600_000;
const rita = { objectId: 'req-rita', name: 'Rita Requester' };
const alice = { objectId: 'appr-alice', name: 'Alice Approver' };
const bob = { objectId: 'appr-bob', name: 'Bob Approver' };
const sam = { objectId: 'someone-else', name: 'Sam Stranger' };
const APPROVED_AT = '2026-11-25T10:00:00.000Z';
const policy: ApprovalPolicy = { approvers: ['appr-alice', 'appr-bob', 'appr-carol'], approvalsRequired: 2, ttlMs: 72 * HOUR, retryWindowMs: 24 * HOUR };

function failed(overrides: Partial<SetupRequest> = {}): SetupRequest {
  const plan = planFor(validSetupContent());
  return {
    id: 'SR-0007',
    status: 'failed',
    revision: 6,
    content: validSetupContent(),
    requester: { ...rita, tenantId: 'tenant-1' },
    dryRun: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T10:05:00.000Z',
    requesterConversation: {},
    approvals: [
      { ...bob, at: '2026-11-25T09:30:00.000Z', comment: '' },
      { ...alice, at: APPROVED_AT, comment: 'ok' },
    ],
    expiresAt: '2026-11-28T09:00:00.000Z',
    approvalsRequired: 2,
    approvers: ['appr-alice', 'appr-bob'],
    cards: [],
    execution: {
      dryRun: false,
      startedAt: APPROVED_AT,
      finishedAt: '2026-11-25T10:05:00.000Z',
      steps: [{ ...plan[0], status: 'failed', attempts: 1, messages: ['403'] }, ...plan.slice(1).map((step) => ({ ...step, status: 'skipped' as const }))],
    },
    ...overrides,
  };
}

const at = (iso: string) => new Date(iso);

describe('the retry window', () => {
  test('is counted from the approval that completed the quorum (the last one)', () => {
    expect(approvedAt(failed())).toBe(APPROVED_AT);
  });

  test.each([
    ['one minute after the approval', '2026-11-25T10:01:00.000Z', false],
    ['one millisecond before the window ends', '2026-11-26T09:59:59.999Z', false],
    ['exactly when the window ends', '2026-11-26T10:00:00.000Z', true],
    ['a week later', '2026-12-02T10:00:00.000Z', true],
  ])('%s: a new approval needed = %s', (_when, now, expected) => {
    expect(retryNeedsApproval(failed(), at(now), 24 * HOUR)).toBe(expected);
  });

  test('a request without any approval always needs one', () => {
    expect(retryNeedsApproval(failed({ approvals: [] }), at(APPROVED_AT), 24 * HOUR)).toBe(true);
  });
});

describe('refuseRetry', () => {
  test('lets the requester and every approver of the request retry a failed request', () => {
    for (const actor of [rita, alice, bob]) expect(refuseRetry(failed(), 6, 6, actor)).toBeUndefined();
  });

  test('refuses anyone else, and says who may', () => {
    expect(said(refuseRetry(failed(), 6, 6, sam))).toEqual({ code: 'not_allowed', message: 'Only the person who asked and the approvers of this request can retry it.' });
  });

  test.each<[RequestStatus, Partial<SetupRequest>, string]>([
    ['approved', { attempt: 2 }, 'This request is already being retried (attempt 2); it starts in a moment.'],
    ['executing', { attempt: 2 }, 'This request is already running again (attempt 2).'],
    ['succeeded', {}, 'This request already finished successfully: there is nothing to retry.'],
    ['submitted', { attempt: 3 }, 'This request was already sent back for approval (attempt 3).'],
    ['submitted', {}, 'This request has not run yet: it is waiting for approval.'],
    ['rejected', { rejection: { ...alice, at: APPROVED_AT, comment: '' } }, 'This request was already rejected by Alice Approver at 2026-11-25 10:00 UTC.'],
  ])('refuses a %s request and says why (%j)', (status, overrides, message) => {
    expect(said(refuseRetry(failed({ status, ...overrides }), 6, 6, rita))).toEqual({ code: 'not_failed', message });
  });

  test('checks the state before the card version: a duplicate click hears that the retry is under way', () => {
    expect(refuseRetry(failed({ status: 'approved', attempt: 2, revision: 7 }), 7, 6, rita)?.code).toBe('not_failed');
  });

  test('refuses a stale card of a failed request', () => {
    expect(refuseRetry(failed(), 6, 5, rita)?.code).toBe('stale');
  });

  test('refuses a request that was resubmitted, naming its replacement', () => {
    expect(said(refuseRetry(failed({ resubmittedAs: 'SR-0009' }), 6, 6, rita))).toEqual({ code: 'resubmitted', message: 'This request was resubmitted as SR-0009: that one replaces it.' });
  });
});

describe('applyRetry', () => {
  test('within the window: approved again at once, attempt 2, the retry recorded, the approvals and the run record kept', () => {
    const before = failed();
    const after = applyRetry(before, alice, at('2026-11-25T12:00:00.000Z'), policy);
    expect(after).toMatchObject({ status: 'approved', attempt: 2, approvals: before.approvals, approvers: before.approvers, approvalsRequired: 2, expiresAt: before.expiresAt });
    expect(after.retries).toEqual([{ ...alice, at: '2026-11-25T12:00:00.000Z', attempt: 2, reapproval: false }]);
    expect(after.execution).toEqual(before.execution);
    expect(after.updatedAt).toBe('2026-11-25T12:00:00.000Z');
  });

  test('after the window: back to approval under the current policy, earlier approvals kept for the record', () => {
    const before = failed({ attempt: 2, retries: [{ ...rita, at: '2026-11-25T11:00:00.000Z', attempt: 2, reapproval: false }] });
    const now = at('2026-11-27T10:00:00.000Z');
    const after = applyRetry(before, rita, now, policy);
    expect(after).toMatchObject({
      status: 'submitted',
      attempt: 3,
      approvals: [],
      earlierApprovals: before.approvals,
      approvers: ['appr-alice', 'appr-bob', 'appr-carol'],
      approvalsRequired: 2,
      expiresAt: '2026-11-30T10:00:00.000Z',
    });
    expect(after.retries?.map((retry) => [retry.attempt, retry.reapproval])).toEqual([
      [2, false],
      [3, true],
    ]);
  });

  test('does not change the request it is given', () => {
    const before = failed();
    const copy = structuredClone(before);
    applyRetry(before, rita, at('2026-11-27T10:00:00.000Z'), policy);
    expect(before).toEqual(copy);
  });
});

describe('Edit and resubmit', () => {
  test.each<RequestStatus>(['failed', 'rejected', 'expired'])('is open to the requester of a %s request', (status) => {
    expect(refuseResubmit(failed({ status }), rita)).toBeUndefined();
  });

  test('is refused to anyone but the requester, approvers included', () => {
    for (const actor of [alice, sam]) expect(refuseResubmit(failed(), actor)?.code).toBe('not_requester');
  });

  test.each<[RequestStatus, string]>([
    ['submitted', 'This request is waiting for approval: cancel it first if it needs changing.'],
    ['approved', 'This request is running: wait for it to finish.'],
    ['executing', 'This request is running: wait for it to finish.'],
    ['succeeded', 'This request finished successfully, so there is nothing to resubmit.'],
    ['cancelled', 'Only a failed, rejected or expired request can be edited and resubmitted.'],
  ])('is refused for a %s request', (status, message) => {
    expect(said(refuseResubmit(failed({ status }), rita))).toEqual({ code: 'not_resubmittable', message });
  });

  test('is refused once the request was resubmitted', () => {
    expect(said(refuseResubmit(failed({ resubmittedAs: 'SR-0009' }), rita))).toEqual({ code: 'resubmitted', message: 'This request was already resubmitted as SR-0009.' });
  });

  test('links the old request to its replacement', () => {
    expect(applyResubmitted(failed(), 'SR-0009', at('2026-11-26T08:00:00.000Z'))).toMatchObject({ resubmittedAs: 'SR-0009', status: 'failed', updatedAt: '2026-11-26T08:00:00.000Z' });
  });
});

describe('holdsNames', () => {
  test.each<[RequestStatus, boolean]>([
    ['submitted', true],
    ['approved', true],
    ['executing', true],
    ['succeeded', true],
    ['failed', true],
    ['rejected', false],
    ['cancelled', false],
    ['expired', false],
  ])('a %s request holds its names: %s', (status, holds) => {
    expect(holdsNames(failed({ status }))).toBe(holds);
  });

  test('a resubmitted request holds none: they pass to its replacement', () => {
    expect(holdsNames(failed({ resubmittedAs: 'SR-0009' }))).toBe(false);
  });
});
