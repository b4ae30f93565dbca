import { applyDecision, cardOutOfDate, countedApprovers, refuseDecision, refuseUncommentedRejection, type Actor, type Represented } from '../../../../setup/policy/approval-policy.js';
import type { Standing } from '../../../../setup/policy/approvers.js';
import { emptySetupContent } from '../../../../setup/model/content.js';
import type { Decision, SetupRequest } from '../../../../setup/model/request.js';
import { refusalText } from '../../../../cards/policy-words.js';
import { ENGLISH } from '../../../../i18n/translations.js';

const requester: Actor = { objectId: 'u-req', name: 'Riley Requester' };
const ada: Actor = { objectId: 'u-ada', name: 'Ada Approver' };
const bo: Actor = { objectId: 'u-bo', name: 'Bo Approver' };
const dee: Actor = { objectId: 'u-dee', name: 'Dee Delegate' };
const GROUP = { kind: 'group' as const, id: 'g-prod', name: 'Finance-Prod-Approvers' };
const member: Standing = { ok: true, via: { kind: 'group', id: 'g-prod', name: 'Finance-Prod-Approvers' } };
const outsider: Standing = { ok: false, code: 'not_listed', groups: [GROUP] };
const NOW = new Date('2026-12-07T10:00:00.000Z');

/** A decision by `actor`; with `onBehalfOf`, the vote is that approver's and `actor` clicked as their delegate. */
const decision = (actor: Actor, onBehalfOf?: Actor): Decision =>
  onBehalfOf
    ? { objectId: onBehalfOf.objectId, name: onBehalfOf.name, at: NOW.toISOString(), comment: '', delegate: { objectId: actor.objectId, name: actor.name } }
    : { objectId: actor.objectId, name: actor.name, at: NOW.toISOString(), comment: '' };

function request(overrides: Partial<SetupRequest> = {}): SetupRequest {
  return {
    id: 'SR-0007',
    status: 'submitted',
    revision: 1,
    stateRevision: 1,
    content: emptySetupContent(),
    requester: { ...requester, tenantId: 't' },
    dryRun: false,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    requesterConversation: {},
    approvals: [],
    expiresAt: '2026-12-10T10:00:00.000Z',
    approvalsRequired: 2,
    approvers: [ada.objectId, bo.objectId],
    rule: { name: 'production', source: '/etc/policy.yaml', approvers: [GROUP], requiredApprovals: 2, approvalTtlMs: 72 * 3_600_000, remindersBeforeExpiryMs: [], rejectComment: 'required' },
    asked: [
      { id: ada.objectId, name: ada.name, via: member.ok ? member.via : { kind: 'user' } },
      { id: bo.objectId, name: bo.name, via: member.ok ? member.via : { kind: 'user' } },
    ],
    cards: [],
    ...overrides,
  };
}

describe('decisions under an approval rule', () => {
  test('a member of the rule’s group decides', () => {
    expect(refuseDecision(request(), 1, 1, ada, member)).toBeUndefined();
  });

  test('someone removed from the group since submission is refused, with a sentence naming the group', () => {
    const refusal = refuseDecision(request(), 1, 1, ada, outsider);
    expect(refusal?.code).toBe('not_approver');
    expect(refusalText(refusal!, ENGLISH)).toBe("You were asked as a member of Finance-Prod-Approvers, but you are no longer in that group, so you can't approve or reject this request (rule production).");
  });

  test('someone never asked and not in the group is told who may decide', () => {
    const refusal = refuseDecision(request(), 1, 1, dee, outsider);
    expect(refusalText(refusal!, ENGLISH)).toBe("Only the approvers of rule production can approve or reject this request (named in the rule, or members of Finance-Prod-Approvers), and you're not one of them.");
  });

  test('a group whose members were never read admits nobody, and the click says why', () => {
    const refusal = refuseDecision(request(), 1, 1, ada, { ok: false, code: 'membership_unknown', groups: [GROUP] });
    expect(refusal?.detail?.kind).toBe('membership_unknown');
    expect(refusalText(refusal!, ENGLISH)).toContain('could not be read from Microsoft Graph yet, so nobody from that group can approve or reject this request now');
  });

  test('the requester never decides their own request, even as a member', () => {
    expect(refuseDecision(request(), 1, 1, requester, member)?.code).toBe('own_request');
  });

  test("another approver's vote does not make a card out of date; a change of state does", () => {
    const voted = request({ revision: 2, stateRevision: 1, approvals: [decision(ada)] });
    expect(refuseDecision(voted, 2, 1, bo, member)).toBeUndefined();
    expect(cardOutOfDate(voted, 1)).toBe(false);
    // sent back for approval by a Retry at revision 5: cards of the earlier round are out of date
    const retried = request({ revision: 5, stateRevision: 5 });
    expect(refuseDecision(retried, 5, 3, bo, member)?.code).toBe('stale');
    // a version the request never had
    expect(refuseDecision(voted, 2, 3, bo, member)?.code).toBe('stale');
  });

  test('requests from before policies keep the old rule: any newer revision is out of date', () => {
    const old = request({ revision: 2, stateRevision: undefined, rule: undefined, asked: undefined });
    expect(refuseDecision(old, 2, 1, bo)?.code).toBe('stale');
    expect(refuseDecision(old, 2, 2, bo)).toBeUndefined();
  });

  test('one person decides once', () => {
    expect(refuseDecision(request({ revision: 2, approvals: [decision(ada)] }), 2, 2, ada, member)?.code).toBe('already_voted');
  });

  test('a rejection without a comment is refused where the rule asks for one', () => {
    expect(refuseUncommentedRejection(request(), 'reject', '  ')?.code).toBe('comment_required');
    expect(refuseUncommentedRejection(request(), 'reject', 'wrong vault')).toBeUndefined();
    expect(refuseUncommentedRejection(request(), 'approve', '')).toBeUndefined();
    expect(refuseUncommentedRejection(request({ rule: undefined }), 'reject', '')).toBeUndefined();
  });
});

describe('the hook for delegation: acting for approvers', () => {
  const forAda: Represented = { objectId: ada.objectId, name: ada.name, standing: member };
  const forBo: Represented = { objectId: bo.objectId, name: bo.name, standing: member };

  test('someone who is no approver may decide for an approver they act for; the decision records whom it counts for', () => {
    expect(refuseDecision(request(), 1, 1, dee, outsider, [forAda])).toBeUndefined();
    const decided = applyDecision(request(), 'approve', dee, '', NOW, { objectId: ada.objectId, name: ada.name });
    expect(decided.approvals[0]).toMatchObject({ objectId: ada.objectId, delegate: { objectId: dee.objectId } });
    expect(countedApprovers(decided)).toEqual([ada.objectId]);
  });

  test('an approver already counted is not counted again through someone acting for them', () => {
    const adaApproved = request({ revision: 2, approvals: [decision(ada)] });
    expect(refuseDecision(adaApproved, 2, 2, dee, outsider, [forAda])?.code).toBe('already_voted');
  });

  test('acting for two approvers counts once: the same person cannot decide a second time', () => {
    const once = request({ revision: 2, approvals: [decision(dee, ada)] });
    expect(refuseDecision(once, 2, 2, dee, outsider, [forAda, forBo])?.code).toBe('already_voted');
    expect(applyDecision(request(), 'approve', dee, '', NOW, { objectId: ada.objectId, name: ada.name }).status).toBe('submitted');
  });

  test('the quorum counts distinct approvers represented', () => {
    const first = applyDecision(request(), 'approve', dee, '', NOW, { objectId: ada.objectId, name: ada.name });
    expect(applyDecision(first, 'approve', bo, '', NOW).status).toBe('approved');
  });

  test('acting for the requester does not count', () => {
    const forRequester: Represented = { objectId: requester.objectId, name: requester.name, standing: member };
    expect(refuseDecision(request(), 1, 1, dee, outsider, [forRequester])?.code).toBe('not_approver');
  });
});
