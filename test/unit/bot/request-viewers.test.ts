import { viewerFor, viewerForCopy } from '../../../bot/request-cards.js';
import type { RequestStatus, SetupRequest } from '../../../setup/model/request.js';
import { validSetupContent } from '../../fixtures/setup-content.js';

function request(status: RequestStatus, overrides: Partial<SetupRequest> = {}): SetupRequest {
  return {
    id: 'SR-0042',
    status,
    revision: 3,
    content: validSetupContent(),
    requester: { objectId: 'req-rita', name: 'Rita', tenantId: 't' },
    dryRun: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T09:00:00.000Z',
    requesterConversation: {},
    approvals: [{ objectId: 'appr-alice', name: 'Alice', at: '2026-11-25T09:10:00.000Z', comment: '' }],
    expiresAt: '2026-11-28T09:00:00.000Z',
    approvalsRequired: 2,
    approvers: ['appr-alice', 'appr-bob'],
    cards: [],
    ...overrides,
  };
}

describe('who sees which view of a request card', () => {
  test('while pending, an approver who has not voted gets the approver view; one who voted, the status view', () => {
    expect(viewerFor('appr-bob', request('submitted'))).toBe('approver');
    expect(viewerFor('appr-alice', request('submitted'))).toBe('status');
    expect(viewerForCopy({ kind: 'approver', approverId: 'appr-alice' }, request('submitted'))).toBe('status');
  });

  test('once failed, every approver gets the approver view again (Retry), voted or not', () => {
    for (const id of ['appr-alice', 'appr-bob']) {
      expect(viewerFor(id, request('failed'))).toBe('approver');
      expect(viewerForCopy({ kind: 'approver', approverId: id }, request('failed'))).toBe('approver');
    }
  });

  test.each<RequestStatus>(['approved', 'executing', 'succeeded', 'rejected', 'expired', 'cancelled'])('%s: approvers get the status view', (status) => {
    expect(viewerFor('appr-bob', request(status))).toBe('status');
    expect(viewerForCopy({ kind: 'approver', approverId: 'appr-bob' }, request(status))).toBe('status');
  });

  test('the requester always gets the requester view, a stranger and a channel copy the status view', () => {
    expect(viewerFor('req-rita', request('failed', { approvers: ['req-rita'] }))).toBe('requester');
    expect(viewerFor('stranger', request('failed'))).toBe('status');
    expect(viewerForCopy({ kind: 'channel' }, request('failed'))).toBe('status');
    expect(viewerForCopy({ kind: 'requester' }, request('failed'))).toBe('requester');
  });
});
