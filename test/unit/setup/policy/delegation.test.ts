import { emptySetupContent } from '../../../../setup/model/content.js';
import type { SetupRequest } from '../../../../setup/model/request.js';
import { applyDecision, checkDecision, settledMessage, type Actor } from '../../../../setup/policy/approval-policy.js';
import { say } from '../../../../cards/words/domain-message.js';
import { ENGLISH_WORDS } from '../../../../cards/words/commands.js';
import { awayUntil, delegateCopiesFor, delegateMayDecide, MAX_DELEGATION_DAYS, refuseDelegation, representedApprovers } from '../../../../setup/policy/delegation.js';
import type { Delegation } from '../../../../setup/policy/policy-model.js';
import { refusalText } from '../../../../cards/policy-words.js';
import { ENGLISH } from '../../../../i18n/translations.js';

/** The refusal of a check in the words the clicker reads (the domain gives a code and a detail). */
function said(check: ReturnType<typeof checkDecision>): string {
  return check.ok ? '' : refusalText(check.refusal, ENGLISH);
}

const NOW = new Date('2026-12-07T21:00:00.000Z');
const UNTIL = '2026-12-29T00:00:00.000Z';

const ben: Actor = { objectId: 'ben', name: 'Ben Okafor' };
const ana: Actor = { objectId: 'ana', name: 'Ana Ruiz' };
const carl: Actor = { objectId: 'carl', name: 'Carl Chen' };
const dora: Actor = { objectId: 'dora', name: 'Dora Diaz' };
const rita: Actor = { objectId: 'rita', name: 'Rita Requester' };

function delegation(approver: Actor, delegate: Actor, until = UNTIL): Delegation {
  return { approverId: approver.objectId, approverName: approver.name, delegateId: delegate.objectId, delegateName: delegate.name, until, createdAt: NOW.toISOString() };
}

function request(overrides: Partial<SetupRequest> = {}): SetupRequest {
  return {
    id: 'SR-0009',
    status: 'submitted',
    revision: 2,
    content: emptySetupContent(),
    requester: { ...rita, tenantId: 't' },
    dryRun: false,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    requesterConversation: {},
    approvals: [],
    expiresAt: '2026-12-10T21:00:00.000Z',
    approvalsRequired: 2,
    approvers: [ben.objectId, dora.objectId, rita.objectId],
    cards: [],
    ...overrides,
  };
}

describe('away until a date', () => {
  test('a date in the future within the limit lasts to the end of that day (UTC)', () => {
    expect(awayUntil('2026-12-28', NOW)).toEqual({ ok: true, until: new Date(UNTIL) });
    expect(awayUntil('2026-12-07', NOW)).toEqual({ ok: true, until: new Date('2026-12-08T00:00:00.000Z') });
  });

  test('refused: a past date, a date too far, a date that does not exist or cannot be read', () => {
    expect(awayUntil('2026-12-06', NOW)).toEqual({ ok: false, refusal: { code: 'date_past', until: '2026-12-06' } });
    expect(awayUntil('2027-04-01', NOW)).toEqual({ ok: false, refusal: { code: 'date_too_far', until: '2027-04-01', maxDays: MAX_DELEGATION_DAYS } });
    expect(awayUntil('2026-02-30', NOW)).toMatchObject({ ok: false, refusal: { code: 'date_unreadable' } });
    expect(awayUntil('next week', NOW)).toMatchObject({ ok: false, refusal: { code: 'date_unreadable' } });
  });

  test('not to oneself; not to someone who is away themselves (no cascade)', () => {
    expect(refuseDelegation('ben', 'ben', undefined, NOW)).toEqual({ code: 'self' });
    expect(refuseDelegation('ben', 'ana', delegation(ana, carl), NOW)).toEqual({ code: 'delegate_away', delegateName: 'Ana Ruiz', until: UNTIL });
    expect(refuseDelegation('ben', 'ana', delegation(ana, carl, '2026-12-01T00:00:00.000Z'), NOW)).toBeUndefined();
    expect(refuseDelegation('ben', 'ana', undefined, NOW)).toBeUndefined();
  });
});

describe('who a delegate acts for', () => {
  test('a delegate acts for the approver who named them, while the delegation runs', () => {
    expect(representedApprovers('ana', request(), [delegation(ben, ana)], NOW).map((d) => d.approverId)).toEqual(['ben']);
    expect(representedApprovers('ana', request(), [delegation(ben, ana, '2026-12-07T00:00:00.000Z')], NOW)).toEqual([]);
  });

  test('no cascade: the delegate of a delegate does not act for the first approver', () => {
    // Ben (approver) is away → Ana; Ana (not an approver here) is away → Carl
    const chain = [delegation(ben, ana), delegation(ana, carl)];
    expect(representedApprovers('carl', request(), chain, NOW)).toEqual([]);
    const refused = checkDecision(request(), 2, 2, carl, chain.filter((d) => d.delegateId === 'carl'), NOW);
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'not_approver', detail: { kind: 'stand_in_not_approver', approver: 'Ana Ruiz' } } });
    expect(said(refused)).toContain('does not pass on');
  });

  test('the requester is never a delegate on their own request', () => {
    expect(representedApprovers('rita', request(), [delegation(ben, rita)], NOW)).toEqual([]);
    const refused = checkDecision(request(), 2, 2, rita, [delegation(ben, rita)], NOW);
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'own_request', detail: { kind: 'own_request_stand_in', approver: 'Ben Okafor' } } });
    expect(said(refused)).toContain('not even on behalf of Ben Okafor');
    expect(delegateMayDecide('rita', 'ben', request(), [delegation(ben, rita)], NOW)).toBe(false);
    // their copy is still sent (it shows the request, never Approve / Reject)
    expect(delegateCopiesFor(request(), [delegation(ben, rita)], NOW)).toHaveLength(1);
  });

  test("a delegate's click counts once, for the approver represented, and names both", () => {
    const check = checkDecision(request(), 2, 2, ana, [delegation(ben, ana)], NOW);
    expect(check).toEqual({ ok: true, onBehalfOf: { objectId: 'ben', name: 'Ben Okafor' } });
    const decided = applyDecision(request(), 'approve', ana, 'ok for Ben', NOW, check.ok ? check.onBehalfOf : undefined);
    expect(decided.approvals).toEqual([{ objectId: 'ben', name: 'Ben Okafor', at: NOW.toISOString(), comment: 'ok for Ben', delegate: { objectId: 'ana', name: 'Ana Ruiz' } }]);
    expect(decided.status).toBe('submitted');
    // Ben, back, cannot vote again: his vote was cast for him
    const benAgain = checkDecision({ ...decided, revision: 3 }, 3, 3, ben, [], NOW);
    expect(benAgain).toMatchObject({ ok: false, refusal: { code: 'already_voted' } });
    expect(said(benAgain)).toContain('Ana Ruiz already approved this request on your behalf');
    // nor can Ana click again
    const anaAgain = checkDecision({ ...decided, revision: 3 }, 3, 3, ana, [delegation(ben, ana)], NOW);
    expect(anaAgain).toMatchObject({ ok: false, refusal: { code: 'already_voted' } });
    expect(said(anaAgain)).toContain('for Ben Okafor');
    expect(say(ENGLISH_WORDS, settledMessage({ ...decided, status: 'approved' }))).toContain('by Ana Ruiz for Ben Okafor');
  });

  test('a delegate for two approvers has one vote', () => {
    const both = [delegation(ben, ana), delegation(dora, ana)];
    const first = checkDecision(request(), 2, 2, ana, both, NOW);
    expect(first).toMatchObject({ ok: true, onBehalfOf: { objectId: 'ben' } });
    const decided = { ...applyDecision(request(), 'approve', ana, '', NOW, first.ok ? first.onBehalfOf : undefined), revision: 3 };
    expect(checkDecision(decided, 3, 3, ana, both, NOW)).toMatchObject({ ok: false, refusal: { code: 'already_voted' } });
    expect(delegateMayDecide('ana', 'dora', decided, both, NOW)).toBe(false);
    // Dora still decides for herself
    expect(checkDecision(decided, 3, 3, dora, [], NOW)).toEqual({ ok: true });
  });

  test('an approver who is also a delegate counts once, for themselves', () => {
    const both = request({ approvers: ['ben', 'ana', 'rita'] });
    expect(checkDecision(both, 2, 2, ana, [delegation(ben, ana)], NOW)).toEqual({ ok: true });
    const decided = { ...applyDecision(both, 'approve', ana, '', NOW), revision: 3 };
    expect(checkDecision(decided, 3, 3, ana, [delegation(ben, ana)], NOW)).toMatchObject({ ok: false, refusal: { code: 'already_voted' } });
  });

  test('once the approver represented has decided, their delegate has nothing left to decide', () => {
    const decided = { ...applyDecision(request(), 'approve', ben, '', NOW), revision: 3 };
    const late = checkDecision(decided, 3, 3, ana, [delegation(ben, ana)], NOW);
    expect(late).toMatchObject({ ok: false, refusal: { code: 'already_voted' } });
    expect(said(late)).toContain('Ben Okafor already approved');
  });

  test('a stale card and a settled request are refused for delegates as for approvers', () => {
    expect(checkDecision(request(), 2, 1, ana, [delegation(ben, ana)], NOW)).toMatchObject({ ok: false, refusal: { code: 'stale' } });
    expect(checkDecision(request({ status: 'expired', expiredAt: NOW.toISOString() }), 2, 2, ana, [delegation(ben, ana)], NOW)).toMatchObject({ ok: false, refusal: { code: 'not_pending' } });
  });
});
