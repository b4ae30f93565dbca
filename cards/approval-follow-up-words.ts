/**
 * The words of reminders, escalation and delegation on cards (issue 19): one small module so
 * they move into the message catalogues in one piece.
 */
import { kindOf, type SetupRequest } from '../setup/model/request.js';
import type { Delegation } from '../setup/policy/policy-model.js';
import { cardDateTime } from './form-view.js';

/** "3 days", "4 h", "25 min": how long is left, rounded down to what matters. */
export function durationWords(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${Math.max(1, minutes)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/** "a new setup of contoso-uat", "a change of contoso-uat (dry run)". */
export function whatItAsks(request: SetupRequest): string {
  const environment = request.change?.environment ?? request.retire?.environment ?? request.content.environment.name;
  const what = { setup: `a new setup of service environment ${environment}`, change: `a change of service environment ${environment}`, retire: `the retirement of service environment ${environment}` }[kindOf(request)];
  return `${what}${request.dryRun ? ' (dry run)' : ''}`;
}

/** The line under the title of an approval card sent to a delegate. */
export function delegateNotice(delegation: Pick<Delegation, 'approverName' | 'until'>, mayDecide: boolean, requesterIsDelegate: boolean): string {
  const until = cardDateTime(delegation.until);
  if (requesterIsDelegate) return `You stand in for ${delegation.approverName} (away until ${until}), but this is your own request: another approver has to decide it.`;
  if (!mayDecide) return `Sent to you as ${delegation.approverName}'s stand-in (away until ${until}).`;
  return `You decide here on behalf of ${delegation.approverName}, who is away until ${until}. Your decision counts once, for ${delegation.approverName}.`;
}

/** The line under the title of an approval card sent at the escalation point. */
export function escalationNotice(request: SetupRequest): string {
  const rule = request.rule;
  const after = rule?.escalation ? durationWords(rule.escalation.afterMs) : '';
  return `Sent to you because ${request.id} had not been decided ${after} after it was submitted (escalation${rule ? ` of rule ${rule.name}` : ''}).`;
}
