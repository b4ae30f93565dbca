import { requestSummaryView } from '../../../read-api/views.js';
import { emptySetupContent } from '../../../setup/model/content.js';
import type { SetupRequest } from '../../../setup/model/request.js';
import { ENGLISH } from '../../../i18n/translations.js';

const AT = '2026-12-07T10:00:00.000Z';

function request(overrides: Partial<SetupRequest> = {}): SetupRequest {
  return {
    id: 'SR-0042',
    status: 'submitted',
    revision: 2,
    stateRevision: 1,
    content: emptySetupContent(),
    requester: { objectId: 'u-req', name: 'Riley Requester', tenantId: 't' },
    dryRun: false,
    createdAt: AT,
    updatedAt: AT,
    requesterConversation: {},
    approvals: [{ objectId: 'u-ada', name: 'Ada Approver', at: AT, comment: '' }],
    expiresAt: '2026-12-10T10:00:00.000Z',
    approvalsRequired: 2,
    approvers: ['u-ada', 'u-bo', 'u-req', 'u-una'],
    rule: {
      name: 'production',
      source: '/etc/setupbot/policy.yaml',
      approvers: [{ kind: 'group', id: 'g-prod', name: 'Finance-Prod-Approvers' }, { kind: 'user', id: 'u-una' }],
      requiredApprovals: 2,
      approvalTtlMs: 259_200_000,
      remindersBeforeExpiryMs: [],
      rejectComment: 'required',
    },
    asked: [
      { id: 'u-una', via: { kind: 'user' } },
      { id: 'u-ada', name: 'Ada Approver', via: { kind: 'group', id: 'g-prod', name: 'Finance-Prod-Approvers' } },
      { id: 'u-bo', name: 'Bo Approver', via: { kind: 'group', id: 'g-prod', name: 'Finance-Prod-Approvers' } },
      { id: 'u-req', name: 'Riley Requester', via: { kind: 'group', id: 'g-prod', name: 'Finance-Prod-Approvers' } },
    ],
    cards: [],
    ...overrides,
  };
}

describe('the read API shows a request’s rule and who may still decide', () => {
  test('the rule (its source as a kind, never a server path) and the approvers asked who have not decided, without the requester', () => {
    const view = requestSummaryView(request(), ENGLISH);
    expect(view.approvals.rule).toEqual({
      name: 'production',
      source: 'file',
      requiredApprovals: 2,
      approvers: [
        { kind: 'group', objectId: 'g-prod', name: 'Finance-Prod-Approvers' },
        { kind: 'user', objectId: 'u-una', name: null },
      ],
      rejectComment: 'required',
    });
    expect(JSON.stringify(view)).not.toContain('/etc/setupbot');
    expect(view.approvals.mayStillDecide).toEqual([
      { objectId: 'u-una', name: null, why: 'named in rule production' },
      { objectId: 'u-bo', name: 'Bo Approver', why: 'member of Finance-Prod-Approvers' },
    ]);
  });

  test('nobody may still decide a request that is no longer waiting; a request from before policies has no rule', () => {
    expect(requestSummaryView(request({ status: 'approved' }), ENGLISH).approvals.mayStillDecide).toEqual([]);
    const old = requestSummaryView(request({ rule: undefined, asked: undefined }), ENGLISH);
    expect(old.approvals.rule).toBeNull();
    expect(old.approvals.mayStillDecide.map((approver) => [approver.objectId, approver.why])).toEqual([
      ['u-bo', 'named in rule default'],
      ['u-una', 'named in rule default'],
    ]);
  });
});
