/**
 * The approval policy file's schema (SETUPBOT_POLICY_FILE, JSON or YAML): one zod schema that
 * reads the file's data into the domain's ApprovalPolicyDocument, or lists every problem with the
 * path of the bad value (`rules[1].requiredApprovals`) and how to fix it.
 */
import { z } from 'zod';
import { GUID } from '../../setup/model/ids.js';
import { matchesEverything } from '../../setup/policy/glob.js';
import type { ApprovalPolicyDocument, PolicyPrincipal, PolicyRule, RuleKindKey, RuleTerms } from '../../setup/policy/policy-model.js';
import { durationMs } from '../config-values.js';

/** One problem of a policy file: where (`rules[1].requiredApprovals`), what, and how to fix it. */
export interface PolicyProblem {
  path: string;
  problem: string;
  fix: string;
}

export type PolicyCheck = { ok: true; document: ApprovalPolicyDocument } | { ok: false; problems: PolicyProblem[] };

const DURATION_FIX = 'Write a whole number and a unit: m, h or d (e.g. "30m", "24h", "7d").';
const PRINCIPALS_FIX = 'List them as groups: [...] and/or users: [...], each an Entra object id (a GUID) or { id: <GUID>, name: <display name> }.';
const PATTERN = /^[A-Za-z0-9*?._-]{1,64}$/;

/** Fixes by the name of the field a problem is in, for zod's own problems (wrong type, missing). */
const FIX_BY_FIELD: Readonly<Record<string, string>> = {
  rules: 'Give rules: a list of rules, the last one for environments: ["*"].',
  name: 'Give each rule a short unique name, e.g. production.',
  environments: 'List environment name patterns, e.g. ["*-prod", "finance-prod"]; * matches any characters, ? one.',
  approvers: PRINCIPALS_FIX,
  requesters: PRINCIPALS_FIX,
  to: PRINCIPALS_FIX,
  groups: PRINCIPALS_FIX,
  users: PRINCIPALS_FIX,
  id: 'Use the Entra object id, a GUID such as 6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b (Entra admin center → Groups or Users → Object ID).',
  requiredApprovals: 'Write a whole number from 1 to 10.',
  approvalTtl: DURATION_FIX,
  reminders: `List durations before expiry, e.g. ["24h", "4h"]. ${DURATION_FIX}`,
  escalation: 'Write escalation: { after: "48h", to: { groups: [<GUID>] } }.',
  after: DURATION_FIX,
  rejectComment: 'Write required or optional.',
  byKind: 'Use setup, change, retire or numberSequencesOnly as keys, each with the terms that differ (e.g. requiredApprovals: 1).',
};

const guid = z.string({ error: 'is not text' }).trim().regex(GUID, { error: (issue) => `"${String(issue.input)}" is not a GUID` }).transform((id) => id.toLowerCase());
const principal = z.union([guid, z.strictObject({ id: guid, name: z.string().trim().min(1).max(256).optional() })], {
  error: (issue) => `${typeof issue.input === 'string' ? `"${issue.input}" ` : ''}is neither an Entra object id (GUID) nor { id, name }`,
});
const principals = z.strictObject({ groups: z.array(principal).optional(), users: z.array(principal).optional() });

const duration = z.string({ error: 'is not a duration text' }).transform((raw, ctx) => {
  const ms = durationMs(raw);
  if (ms >= 60_000) return ms;
  ctx.addIssue({ code: 'custom', message: ms > 0 ? `"${raw}" is shorter than a minute` : `"${raw}" is not a duration` });
  return z.NEVER;
});

const termsShape = {
  approvers: principals,
  requiredApprovals: z.int({ error: 'is not a whole number' }).min(1, { error: 'must be at least 1' }).max(10, { error: 'must be at most 10' }),
  approvalTtl: duration,
  reminders: z.array(duration).optional(),
  escalation: z.strictObject({ after: duration, to: principals }).optional(),
  rejectComment: z.enum(['required', 'optional'], { error: 'is neither required nor optional' }).optional(),
};
const partialTerms = z.strictObject(termsShape).partial();

const rule = z.strictObject({
  name: z.string({ error: 'is missing' }).trim().min(1, { error: 'is empty' }).max(64, { error: 'is longer than 64 characters' }),
  environments: z
    .array(z.string().trim().regex(PATTERN, { error: (issue) => `"${String(issue.input)}" is not an environment name pattern` }), { error: 'is not a list of patterns' })
    .min(1, { error: 'is empty' }),
  requesters: principals.optional(),
  ...termsShape,
  byKind: z.strictObject({ setup: partialTerms, change: partialTerms, retire: partialTerms, numberSequencesOnly: partialTerms }).partial().optional(),
});

const schema = z.strictObject({ rules: z.array(rule, { error: 'is not a list of rules' }).min(1, { error: 'is empty' }) });

type RawPrincipals = z.output<typeof principals>;
type RawTerms = z.output<typeof partialTerms>;
type RawRule = z.output<typeof rule>;

/** `rules[1].approvers.groups[0]` from zod's path. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('') || '(the file)';
}

function toPrincipals(raw: RawPrincipals | undefined): PolicyPrincipal[] {
  const of = (kind: PolicyPrincipal['kind'], entries: RawPrincipals['groups']) =>
    (entries ?? []).map((entry): PolicyPrincipal => (typeof entry === 'string' ? { kind, id: entry } : { kind, id: entry.id, ...(entry.name ? { name: entry.name } : {}) }));
  return [...of('group', raw?.groups), ...of('user', raw?.users)];
}

function toTerms(raw: RawTerms): Partial<RuleTerms> {
  return {
    ...(raw.approvers ? { approvers: toPrincipals(raw.approvers) } : {}),
    ...(raw.requiredApprovals !== undefined ? { requiredApprovals: raw.requiredApprovals } : {}),
    ...(raw.approvalTtl !== undefined ? { approvalTtlMs: raw.approvalTtl } : {}),
    ...(raw.reminders ? { remindersBeforeExpiryMs: [...raw.reminders].sort((a, b) => b - a) } : {}),
    ...(raw.escalation ? { escalation: { afterMs: raw.escalation.after, to: toPrincipals(raw.escalation.to) } } : {}),
    ...(raw.rejectComment ? { rejectComment: raw.rejectComment } : {}),
  };
}

function toRule(raw: RawRule): PolicyRule {
  const byKind: Partial<Record<RuleKindKey, Partial<RuleTerms>>> = {};
  for (const [key, terms] of Object.entries(raw.byKind ?? {}) as [RuleKindKey, RawTerms | undefined][]) if (terms) byKind[key] = toTerms(terms);
  return {
    name: raw.name,
    environments: raw.environments,
    ...(raw.requesters ? { requesters: toPrincipals(raw.requesters) } : {}),
    approvers: toPrincipals(raw.approvers),
    requiredApprovals: raw.requiredApprovals,
    approvalTtlMs: raw.approvalTtl,
    remindersBeforeExpiryMs: [...(raw.reminders ?? [])].sort((a, b) => b - a),
    ...(raw.escalation ? { escalation: { afterMs: raw.escalation.after, to: toPrincipals(raw.escalation.to) } } : {}),
    rejectComment: raw.rejectComment ?? 'optional',
    ...(Object.keys(byKind).length > 0 ? { byKind } : {}),
  };
}

/** The rules between the fields zod cannot see alone: quorum against listed users, order of rules, timings. */
function crossChecks(document: ApprovalPolicyDocument): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const names = new Map<string, number>();
  let catchAll: number | undefined;
  document.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    const earlier = names.get(rule.name.toLowerCase());
    if (earlier !== undefined) problems.push({ path: `${at}.name`, problem: `"${rule.name}" is already the name of rules[${earlier}]`, fix: 'Give every rule its own name.' });
    names.set(rule.name.toLowerCase(), index);
    if (catchAll !== undefined) {
      problems.push({ path: `${at}.environments`, problem: `rule "${rule.name}" is never used: rules[${catchAll}] before it matches every environment`, fix: 'Move the rule for environments: ["*"] to the end.' });
    }
    if (catchAll === undefined && rule.environments.some(matchesEverything)) catchAll = index;
    const variants: [string, Partial<RuleTerms>][] = [['', {}], ...Object.entries(rule.byKind ?? {}).map(([key, terms]): [string, Partial<RuleTerms>] => [`.byKind.${key}`, terms ?? {}])];
    for (const [suffix, override] of variants) {
      const approvers = override.approvers ?? rule.approvers;
      const required = override.requiredApprovals ?? rule.requiredApprovals;
      const ttl = override.approvalTtlMs ?? rule.approvalTtlMs;
      const users = approvers.filter((principal) => principal.kind === 'user').length;
      const groups = approvers.filter((principal) => principal.kind === 'group').length;
      const where = `${at}${suffix}`;
      if (approvers.length === 0) {
        problems.push({ path: `${where}.approvers`, problem: 'names no group and no user, so nobody could approve', fix: PRINCIPALS_FIX });
      } else if (groups === 0 && required > users) {
        problems.push({
          path: `${where}.requiredApprovals`,
          problem: `${required} approvals are required but the rule lists ${users} user${users === 1 ? '' : 's'} and no group`,
          fix: 'Lower requiredApprovals, list more users, or name a group.',
        });
      }
      (override.remindersBeforeExpiryMs ?? (suffix ? [] : rule.remindersBeforeExpiryMs)).forEach((reminder, position) => {
        if (reminder >= ttl) problems.push({ path: `${where}.reminders[${position}]`, problem: 'is not before the request expires (it is as long as approvalTtl or longer)', fix: 'Give a reminder shorter than approvalTtl.' });
      });
      const escalation = override.escalation ?? (suffix ? undefined : rule.escalation);
      if (escalation && escalation.afterMs >= ttl) problems.push({ path: `${where}.escalation.after`, problem: 'is not before the request expires', fix: 'Escalate earlier than approvalTtl.' });
      if (escalation && escalation.to.length === 0) problems.push({ path: `${where}.escalation.to`, problem: 'names nobody', fix: PRINCIPALS_FIX });
    }
  });
  if (catchAll === undefined) {
    problems.push({
      path: `rules[${document.rules.length - 1}].environments`,
      problem: 'no rule matches every environment, so a request for an environment no pattern names would have no rule',
      fix: 'End the file with a default rule for environments: ["*"].',
    });
  }
  return problems;
}

/** Checks already-parsed data (from JSON or YAML) against the schema and the rules between fields. */
export function checkPolicyData(data: unknown): PolicyCheck {
  const parsed = schema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const field = [...issue.path].reverse().find((key): key is string => typeof key === 'string') ?? 'rules';
        const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const problem = unknownKeys.length > 0 ? `${unknownKeys.map((key) => `"${key}"`).join(', ')} ${unknownKeys.length === 1 ? 'is' : 'are'} not a known field` : issue.input === undefined && issue.code === 'invalid_type' ? 'is missing' : issue.message;
        const fix = unknownKeys.length > 0 ? 'Remove it, or check its spelling (see the README, "Approval policy").' : (FIX_BY_FIELD[field] ?? 'See the README, "Approval policy".');
        return { path: pathText(issue.path), problem, fix };
      }),
    };
  }
  const document: ApprovalPolicyDocument = { rules: parsed.data.rules.map(toRule) };
  const problems = crossChecks(document);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document };
}
