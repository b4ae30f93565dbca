import { globToRegExp, matchesAny, matchesEverything } from '../../../../setup/policy/glob.js';
import { appliedRuleFor, environmentPolicy, kindKeyOf, ruleFor, termsFor, type PolicySource } from '../../../../setup/policy/rules.js';
import { resolveApprovers, standingOf } from '../../../../setup/policy/approvers.js';
import type { PolicyRule } from '../../../../setup/policy/policy-model.js';
import type { SetupChange } from '../../../../setup/model/setup-diff.js';
import type { GroupDirectory, GroupMembers } from '../../../../setup/ports.js';

const HOUR = 3_600_000;

describe('environment name globs', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'anything-at-all', true],
    ['*-prod', 'contoso-prod', true],
    ['*-prod', 'CONTOSO-PROD', true],
    ['*-prod', 'contoso-prod-2', false],
    ['prod-?', 'prod-1', true],
    ['prod-?', 'prod-12', false],
    ['contoso.uat', 'contoso.uat', true],
    ['contoso.uat', 'contosoXuat', false],
    ['a+b', 'a+b', true],
    ['a+b', 'aab', false],
    ['(x)', '(x)', true],
    ['fin*ce', 'finance', true],
  ];
  test.each(cases)('%s against %s → %s', (pattern, name, expected) => {
    expect(globToRegExp(pattern).test(name)).toBe(expected);
  });

  test('any of several patterns, and which patterns match everything', () => {
    expect(matchesAny(['*-uat', '*-test'], 'contoso-test')).toBe(true);
    expect(matchesAny(['*-uat', '*-test'], 'contoso-prod')).toBe(false);
    expect(['*', '**', '*-x', '?'].map(matchesEverything)).toEqual([true, true, false, false]);
  });
});

const G_PROD = { kind: 'group' as const, id: 'g-prod', name: 'Finance-Prod-Approvers' };
const ADA = { kind: 'user' as const, id: 'u-ada', name: 'Ada' };

function rule(name: string, environments: string[], overrides: Partial<PolicyRule> = {}): PolicyRule {
  return { name, environments, approvers: [ADA], requiredApprovals: 1, approvalTtlMs: 72 * HOUR, remindersBeforeExpiryMs: [], rejectComment: 'optional', ...overrides };
}

const policy: PolicySource = {
  source: '/etc/setupbot/policy.yaml',
  document: {
    rules: [
      rule('production', ['*-prod', 'prod-*'], { approvers: [G_PROD], requiredApprovals: 2, rejectComment: 'required', byKind: { change: { approvalTtlMs: 24 * HOUR }, numberSequencesOnly: { requiredApprovals: 1 } } }),
      rule('uat', ['*-uat']),
      rule('default', ['*'], { approvalTtlMs: 7 * 24 * HOUR }),
    ],
  },
};

describe('rule resolution', () => {
  test('the first matching rule wins; the default catches the rest', () => {
    expect(ruleFor(policy.document, 'contoso-prod').name).toBe('production');
    expect(ruleFor(policy.document, 'PROD-eu').name).toBe('production');
    expect(ruleFor(policy.document, 'contoso-uat').name).toBe('uat');
    expect(ruleFor(policy.document, 'contoso-dev').name).toBe('default');
  });

  test('a request records the rule, its source and its terms for the request kind', () => {
    expect(appliedRuleFor(policy, 'contoso-prod', 'setup')).toEqual({
      name: 'production',
      source: '/etc/setupbot/policy.yaml',
      approvers: [G_PROD],
      requiredApprovals: 2,
      approvalTtlMs: 72 * HOUR,
      remindersBeforeExpiryMs: [],
      rejectComment: 'required',
    });
    expect(appliedRuleFor(policy, 'contoso-prod', 'change')).toMatchObject({ requiredApprovals: 2, approvalTtlMs: 24 * HOUR });
    // a change of number sequences only takes the change override, then its own
    expect(termsFor(ruleFor(policy.document, 'contoso-prod'), 'numberSequencesOnly')).toMatchObject({ requiredApprovals: 1, approvalTtlMs: 24 * HOUR });
  });

  test('a change is "number sequences only" when every difference is in that list', () => {
    const sequence: SetupChange = { list: 'numberSequences', kind: 'added', key: 'inv', after: { name: 'inv', description: '' } };
    const user: SetupChange = { list: 'users', kind: 'added', key: 'bob', after: { userId: 'bob', email: 'bob@contoso.com' } };
    expect(kindKeyOf('change', [sequence])).toBe('numberSequencesOnly');
    expect(kindKeyOf('change', [sequence, user])).toBe('change');
    expect(kindKeyOf('change', [])).toBe('change');
    expect(kindKeyOf('setup', [sequence])).toBe('setup');
  });

  test("without a policy file, today's variables form the one default rule", () => {
    const source = environmentPolicy({ approvers: ['A1', 'a2'], approvalsRequired: 2, ttlMs: 72 * HOUR });
    expect(source.source).toBe('environment');
    expect(appliedRuleFor(source, 'whatever', 'retire')).toMatchObject({
      name: 'default',
      approvers: [
        { kind: 'user', id: 'a1' },
        { kind: 'user', id: 'a2' },
      ],
      requiredApprovals: 2,
      approvalTtlMs: 72 * HOUR,
    });
  });
});

/** A directory answering from a table (unit tests of the resolution; the real one is tested against the Graph stand-in). */
function directoryOf(groups: Record<string, GroupMembers>): GroupDirectory {
  return { members: async (id) => groups[id] ?? { known: false } };
}

describe('approvers read now', () => {
  const members = (ids: string[], stale = false): GroupMembers => ({ known: true, name: 'Finance-Prod-Approvers', users: ids.map((id) => ({ id, name: id.toUpperCase() })), asOf: '2026-12-07T09:00:00.000Z', stale });

  test('listed users and the users of groups, once each, with why', async () => {
    const { asked } = await resolveApprovers([ADA, { kind: 'group', id: 'g-prod' }], directoryOf({ 'g-prod': members(['u-ada', 'u-bo']) }));
    expect(asked).toEqual([
      { id: 'u-ada', name: 'Ada', via: { kind: 'user' } },
      { id: 'u-bo', name: 'U-BO', via: { kind: 'group', id: 'g-prod', name: 'Finance-Prod-Approvers' } },
    ]);
  });

  test('a member is an approver through the group; someone removed is not', async () => {
    const directory = directoryOf({ 'g-prod': members(['u-bo']) });
    expect(await standingOf([G_PROD], directory, 'U-BO')).toEqual({ ok: true, via: { kind: 'group', id: 'g-prod', name: 'Finance-Prod-Approvers' } });
    expect(await standingOf([G_PROD], directory, 'u-cy')).toEqual({ ok: false, code: 'not_listed', groups: [G_PROD] });
  });

  test('a stale membership still counts, and says as of when', async () => {
    expect(await standingOf([G_PROD], directoryOf({ 'g-prod': members(['u-bo'], true) }), 'u-bo')).toMatchObject({ ok: true, stale: { asOf: '2026-12-07T09:00:00.000Z' } });
  });

  test('a group never read admits nobody', async () => {
    expect(await standingOf([G_PROD], directoryOf({}), 'u-bo')).toEqual({ ok: false, code: 'membership_unknown', groups: [G_PROD] });
    expect(await standingOf([G_PROD], undefined, 'u-bo')).toEqual({ ok: false, code: 'membership_unknown', groups: [G_PROD] });
    expect((await resolveApprovers([G_PROD], undefined)).asked).toEqual([]);
  });
});
