import { copyView } from '../../../bot/request-cards.js';
import type { CardCopy, SetupRequest } from '../../../setup/model/request.js';
import type { Delegation } from '../../../setup/policy/policy-model.js';
import { validSetupContent } from '../../fixtures/setup-content.js';
import { ENGLISH } from '../../../i18n/translations.js';

const NOW = new Date('2026-11-26T09:00:00.000Z');
const ben: Delegation = { approverId: 'appr-ben', approverName: 'Ben Okafor', delegateId: 'ana', delegateName: 'Ana Ruiz', until: '2026-12-01T00:00:00.000Z', createdAt: NOW.toISOString() };

function request(overrides: Partial<SetupRequest> = {}): SetupRequest {
  return {
    id: 'SR-0042',
    status: 'submitted',
    revision: 3,
    content: validSetupContent(),
    requester: { objectId: 'req-rita', name: 'Rita', tenantId: 't' },
    dryRun: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T09:00:00.000Z',
    requesterConversation: {},
    approvals: [],
    expiresAt: '2026-11-28T09:00:00.000Z',
    approvalsRequired: 2,
    approvers: ['appr-ben', 'appr-dora', 'req-rita'],
    cards: [],
    ...overrides,
  };
}

const copyFor = (delegateId: string, approverId = 'appr-ben'): CardCopy => ({ kind: 'approver', approverId: delegateId, onBehalfOf: approverId, conversationId: 'c', activityId: 'm', address: {} });

describe("a delegate's copy of the approval card", () => {
  test('while the delegation runs: Approve / Reject, and a line saying for whom', () => {
    const view = copyView(copyFor('ana'), request(), [ben], NOW, ENGLISH);
    expect(view.viewer).toBe('approver');
    expect(view.notice).toContain('You decide here on behalf of Ben Okafor');
  });

  test('after back, or once the delegation has ended: the status view, no line', () => {
    expect(copyView(copyFor('ana'), request(), [], NOW, ENGLISH)).toEqual({ viewer: 'status' });
    expect(copyView(copyFor('ana'), request(), [ben], new Date('2026-12-02T00:00:00.000Z'), ENGLISH)).toEqual({ viewer: 'status' });
  });

  test('once the approver represented has decided (by the delegate or themselves): the status view', () => {
    const decided = request({ approvals: [{ objectId: 'appr-ben', name: 'Ben Okafor', at: NOW.toISOString(), comment: '', delegate: { objectId: 'ana', name: 'Ana Ruiz' } }] });
    expect(copyView(copyFor('ana'), decided, [ben], NOW, ENGLISH).viewer).toBe('status');
  });

  test("the requester as delegate: never Approve / Reject on their own request, and a line saying why", () => {
    const toRita = { ...ben, delegateId: 'req-rita', delegateName: 'Rita' };
    const view = copyView(copyFor('req-rita'), request(), [toRita], NOW, ENGLISH);
    expect(view.viewer).toBe('status');
    expect(view.notice).toContain('this is your own request');
  });

  test('no cascade: a copy for an approver who is not an approver of this request shows the status', () => {
    const forCarl = { ...ben, approverId: 'carl', approverName: 'Carl' };
    expect(copyView(copyFor('ana', 'carl'), request(), [forCarl], NOW, ENGLISH).viewer).toBe('status');
  });

  test("an escalation member's copy says why it came while the request waits", () => {
    const escalated = request({
      approvers: ['appr-ben', 'appr-dora', 'req-rita', 'eve'],
      followUps: [{ point: 'escalation:172800000@2026-11-28T09:00:00.000Z', kind: 'escalation', at: NOW.toISOString(), to: ['eve'], sent: true }],
    });
    const copy: CardCopy = { kind: 'approver', approverId: 'eve', conversationId: 'c', activityId: 'm', address: {} };
    expect(copyView(copy, escalated, [], NOW, ENGLISH)).toEqual({ viewer: 'approver', notice: expect.stringContaining('Sent to you because SR-0042 had not been decided') });
    expect(copyView(copy, { ...escalated, status: 'approved' }, [], NOW, ENGLISH)).toEqual({ viewer: 'status' });
  });
});
