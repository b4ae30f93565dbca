import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../../bot/config.js';
import { checkPolicyData } from '../../../../bot/policy/policy-schema.js';
import { runPolicyCli } from '../../../../tools/policy-cli.js';

const G = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const U1 = '3e2d1c0b-a987-4654-b321-0fedcba98765';
const U2 = '4e2d1c0b-a987-4654-b321-0fedcba98765';

const defaultRule = { name: 'default', environments: ['*'], approvers: { users: [U1] }, requiredApprovals: 1, approvalTtl: '72h' };
const prodRule = { name: 'production', environments: ['*-prod'], approvers: { groups: [{ id: G, name: 'Finance-Prod-Approvers' }] }, requiredApprovals: 2, approvalTtl: '72h' };

/** The problems of one file's data, as "path: problem". */
function problemsOf(data: unknown): string[] {
  const checked = checkPolicyData(data);
  return checked.ok ? [] : checked.problems.map((problem) => `${problem.path}: ${problem.problem}`);
}

describe('the approval policy file schema', () => {
  test('reads a good file into rules: ids lower-cased, durations in ms, reminders largest first, defaults filled in', () => {
    const checked = checkPolicyData({
      rules: [{ ...prodRule, approvers: { groups: [{ id: G.toUpperCase(), name: 'Finance-Prod-Approvers' }], users: [U2] }, reminders: ['4h', '24h'], escalation: { after: '48h', to: { groups: [G] } }, rejectComment: 'required', byKind: { numberSequencesOnly: { requiredApprovals: 1 } } }, defaultRule],
    });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.document.rules[0]).toEqual({
      name: 'production',
      environments: ['*-prod'],
      approvers: [
        { kind: 'group', id: G, name: 'Finance-Prod-Approvers' },
        { kind: 'user', id: U2 },
      ],
      requiredApprovals: 2,
      approvalTtlMs: 72 * 3_600_000,
      remindersBeforeExpiryMs: [24 * 3_600_000, 4 * 3_600_000],
      escalation: { afterMs: 48 * 3_600_000, to: [{ kind: 'group', id: G }] },
      rejectComment: 'required',
      byKind: { numberSequencesOnly: { requiredApprovals: 1 } },
    });
    expect(checked.document.rules[1]).toMatchObject({ rejectComment: 'optional', remindersBeforeExpiryMs: [] });
  });

  const bad: [string, unknown, string][] = [
    ['no rules', { rules: [] }, 'rules: is empty'],
    ['a quorum larger than the listed users and no group', { rules: [prodRule, { ...defaultRule, requiredApprovals: 2 }] }, 'rules[1].requiredApprovals: 2 approvals are required but the rule lists 1 user and no group'],
    ['a quorum that is not a number', { rules: [{ ...defaultRule, requiredApprovals: 'two' }] }, 'rules[0].requiredApprovals: is not a whole number'],
    ['a quorum of 0', { rules: [{ ...defaultRule, requiredApprovals: 0 }] }, 'rules[0].requiredApprovals: must be at least 1'],
    ['a missing quorum', { rules: [{ ...defaultRule, requiredApprovals: undefined }] }, 'rules[0].requiredApprovals: is missing'],
    ['a duration in words', { rules: [{ ...defaultRule, approvalTtl: '3 days' }] }, 'rules[0].approvalTtl: "3 days" is not a duration'],
    ['a duration under a minute', { rules: [{ ...defaultRule, approvalTtl: '30s' }] }, 'rules[0].approvalTtl: "30s" is shorter than a minute'],
    ['a group id that is not a GUID', { rules: [{ ...defaultRule, approvers: { groups: ['finance-approvers'] } }] }, 'rules[0].approvers.groups[0]: "finance-approvers" is neither an Entra object id (GUID) nor { id, name }'],
    ['a misspelt field', { rules: [{ ...defaultRule, rejectComent: 'required' }] }, 'rules[0]: "rejectComent" is not a known field'],
    ['an unknown rejectComment', { rules: [{ ...defaultRule, rejectComment: 'always' }] }, 'rules[0].rejectComment: is neither required nor optional'],
    ['an environment pattern with a slash', { rules: [{ ...defaultRule, environments: ['prod/eu'] }] }, 'rules[0].environments[0]: "prod/eu" is not an environment name pattern'],
    ['no default rule', { rules: [prodRule] }, 'rules[0].environments: no rule matches every environment, so a request for an environment no pattern names would have no rule'],
    ['a rule after the default', { rules: [defaultRule, prodRule] }, 'rules[1].environments: rule "production" is never used: rules[0] before it matches every environment'],
    ['two rules of one name', { rules: [{ ...prodRule, name: 'default' }, defaultRule] }, 'rules[1].name: "default" is already the name of rules[0]'],
    ['a reminder not before expiry', { rules: [{ ...defaultRule, reminders: ['72h'] }] }, 'rules[0].reminders[0]: is not before the request expires (it is as long as approvalTtl or longer)'],
    ['an escalation after expiry', { rules: [{ ...defaultRule, escalation: { after: '4d', to: { groups: [G] } } }] }, 'rules[0].escalation.after: is not before the request expires'],
    ['an approver list naming nobody', { rules: [{ ...defaultRule, approvers: {} }] }, 'rules[0].approvers: names no group and no user, so nobody could approve'],
    ['a per-kind quorum the users cannot reach', { rules: [{ ...defaultRule, byKind: { change: { requiredApprovals: 3 } } }] }, 'rules[0].byKind.change.requiredApprovals: 3 approvals are required but the rule lists 1 user and no group'],
    ['an unknown request kind', { rules: [{ ...defaultRule, byKind: { publish: { requiredApprovals: 1 } } }] }, 'rules[0].byKind: "publish" is not a known field'],
  ];
  test.each(bad)('refuses %s with the path of the bad value', (_name, data, expected) => {
    expect(problemsOf(data)).toContain(expected);
  });

  test('a quorum larger than the listed users is fine when the rule names a group', () => {
    expect(problemsOf({ rules: [{ ...prodRule, approvers: { groups: [G], users: [U1] }, requiredApprovals: 3 }, defaultRule] })).toEqual([]);
  });
});

describe('SETUPBOT_POLICY_FILE at start-up, and npm run policy -- check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'setupbot-policy-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const env = (file: string) => ({ SETUPBOT_POLICY_FILE: file, HOST: '127.0.0.1' });

  test('a bad file stops start-up with the file, the path of the bad value and how to fix it', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, `rules:\n  - name: default\n    environments: ["*"]\n    approvers: { users: ["${U1}"] }\n    requiredApprovals: 2\n    approvalTtl: 72h\n`);
    let caught: unknown;
    try {
      loadConfig(env(file));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toBe(
      `SETUPBOT_POLICY_FILE: ${file}: rules[0].requiredApprovals 2 approvals are required but the rule lists 1 user and no group. Lower requiredApprovals, list more users, or name a group.`,
    );
  });

  test('a missing file, and YAML that does not parse, are refused too', async () => {
    expect(() => loadConfig(env(path.join(dir, 'nowhere.yaml')))).toThrow(/nowhere\.yaml: \(the file\) does not exist\. Check the path in SETUPBOT_POLICY_FILE/);
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'rules:\n  - name: [unclosed\n');
    expect(() => loadConfig(env(file))).toThrow(/broken\.yaml: \(the file\) is not valid YAML at line \d+, column \d+/);
  });

  test('a good JSON file is read into the configuration; without one, there is no policy', async () => {
    const file = path.join(dir, 'policy.json');
    await writeFile(file, JSON.stringify({ rules: [prodRule, defaultRule] }));
    expect(loadConfig(env(file)).policy?.document.rules.map((rule) => rule.name)).toEqual(['production', 'default']);
    expect(loadConfig(env(file)).policy?.source).toBe(file);
    expect(loadConfig({ HOST: '127.0.0.1' }).policy).toBeUndefined();
    expect(loadConfig({ HOST: '127.0.0.1' }).groupCacheTtlMs).toBe(5 * 60_000);
  });

  test('check prints the rules in plain words and exits 0, or every problem and exits 1', async () => {
    const good = path.join(dir, 'good.yaml');
    await writeFile(good, `rules:\n  - name: production\n    environments: ["*-prod"]\n    approvers:\n      groups: [{ id: ${G}, name: Finance-Prod-Approvers }]\n    requiredApprovals: 2\n    approvalTtl: 72h\n    reminders: ["24h", "4h"]\n    rejectComment: required\n  - name: default\n    environments: ["*"]\n    approvers: { users: [${U1}] }\n    requiredApprovals: 1\n    approvalTtl: 7d\n`);
    const lines: string[] = [];
    expect(runPolicyCli(['check', good], (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([
      `${good}: OK, 2 rules, first match wins (environment names, case-insensitive; * any characters, ? one).`,
      'Rule "production" — environments *-prod',
      '  approvers: group Finance-Prod-Approvers',
      '  2 approvals required; a request expires after 3 days',
      '  reminders: 1 day and 4 hours before expiry; escalation: none',
      '  a rejection comment is required',
      '  who may ask: anyone allowed to request setups',
      'Rule "default" — environments *',
      `  approvers: user ${U1}`,
      '  1 approval required; a request expires after 7 days',
      '  reminders: none; escalation: none',
      '  a rejection comment is optional',
      '  who may ask: anyone allowed to request setups',
    ]);
    const bad = path.join(dir, 'two-problems.json');
    await writeFile(bad, JSON.stringify({ rules: [{ ...defaultRule, requiredApprovals: 0, approvalTtl: 'soon' }] }));
    const out: string[] = [];
    expect(runPolicyCli(['check', bad], (line) => out.push(line))).toBe(1);
    expect(out).toEqual([
      `${bad}: 2 problems; setupbot would not start with it.`,
      '- rules[0].requiredApprovals: must be at least 1. Write a whole number from 1 to 10.',
      '- rules[0].approvalTtl: "soon" is not a duration. Write a whole number and a unit: m, h or d (e.g. "30m", "24h", "7d").',
    ]);
    expect(runPolicyCli([], () => undefined)).toBe(2);
  });
});
