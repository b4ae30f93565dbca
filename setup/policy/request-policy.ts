/**
 * The approval policy as the request use cases need it: which rule applies to an environment and
 * what a new request records of it, who may ask, and whether someone may decide a request now
 * (its recorded rule's approvers, groups read through the GroupDirectory port).
 */
import type { SetupRequest } from '../model/request.js';
import { domainMessage } from '../model/messages.js';
import type { GroupDirectory } from '../ports.js';
import type { Actor, ApprovalPolicy, Refusal } from './approval-policy.js';
import { decidersOf } from './reminders.js';
import { resolveApprovers, standingOf, type AskedApprover, type GroupReading, type Standing } from './approvers.js';
import type { AppliedRule, PolicyPrincipal, PolicyRule, RuleKindKey } from './policy-model.js';
import { allApproverPrincipals, appliedRuleFor, environmentPolicy, ruleFor, type PolicySource } from './rules.js';

export interface RequestPolicyDeps {
  policy: ApprovalPolicy;
  /** Entra groups named by the approval policy (Microsoft Graph); none = no group admits anyone. */
  directory?: GroupDirectory;
  /**
   * The principals whose members may decide a request now; its recorded rule's approvers by
   * default (escalation adds its group here once a request has escalated).
   */
  decidersOf?: (request: SetupRequest) => readonly PolicyPrincipal[];
}

/** The rule that applies to an environment, its approvers as read now, and what it asks of a request. */
export interface PolicyView {
  rule: PolicyRule;
  applied: AppliedRule;
  source: string;
  asked: AskedApprover[];
  groups: GroupReading[];
}

export class RequestPolicy {
  constructor(private readonly deps: RequestPolicyDeps) {}

  /** The approval policy in force: the policy file's, or the default rule of today's variables. */
  get source(): PolicySource {
    const { policy } = this.deps;
    return policy.rules ?? environmentPolicy(policy);
  }

  /** The rule for an environment (a request of `key`), with its approvers as read now (for `policy`). */
  async view(environment: string, key: RuleKindKey = 'setup'): Promise<PolicyView> {
    const source = this.source;
    const rule = ruleFor(source.document, environment);
    const applied = appliedRuleFor(source, environment, key);
    const { asked, groups } = await resolveApprovers(applied.approvers, this.deps.directory);
    return { rule, applied, source: source.source, asked, groups };
  }

  /** Whether a person is an approver under any rule now (for views that show approvers more). */
  async isApprover(objectId: string): Promise<boolean> {
    const principals = allApproverPrincipals(this.source.document);
    return (await standingOf(principals, this.deps.directory, objectId)).ok;
  }

  /** Whether someone is among the request's approvers now: its recorded rule's, or its approver list for a request from before policies. */
  async standingFor(request: SetupRequest, objectId: string): Promise<Standing> {
    if (!request.rule) return request.approvers.includes(objectId) ? { ok: true, via: { kind: 'user' } } : { ok: false, code: 'not_listed', groups: [] };
    return standingOf(this.deps.decidersOf?.(request) ?? decidersOf(request), this.deps.directory, objectId);
  }

  /** Why the requester may not ask for this environment under its rule; undefined = they may. */
  async requesterRefusal(environment: string, requester: Actor): Promise<Refusal | undefined> {
    const rule = ruleFor(this.source.document, environment);
    if (!rule.requesters) return undefined;
    const standing = await standingOf(rule.requesters, this.deps.directory, requester.objectId);
    if (standing.ok) return undefined;
    const groups = rule.requesters.filter((principal) => principal.kind === 'group');
    return {
      code: 'not_allowed_requester',
      message: domainMessage('refusal.notAllowedRequester', { rule: rule.name, environment }),
      detail: { kind: 'not_requester_for_environment', rule: rule.name, environment, groups },
    };
  }

  /** The rule a new request records and who is asked: resolved now (users of its groups and its listed users). */
  async forNewRequest(environment: string, key: RuleKindKey): Promise<{ rule: AppliedRule; asked: AskedApprover[] }> {
    const rule = appliedRuleFor(this.source, environment, key);
    const { asked } = await resolveApprovers(rule.approvers, this.deps.directory);
    return { rule, asked };
  }
}
