/**
 * The sentences of `away` and `back` (issue 19), in one small module so they move into the
 * message catalogues in one piece. The domain's refusal codes are worded here.
 */
import { MAX_DELEGATION_DAYS, type DelegationRefusal } from '../../setup/policy/delegation.js';
import type { Delegation } from '../../setup/policy/policy-model.js';

export const AWAY_USAGE = 'Type **away until 2026-12-28 delegate @name** (an @mention, or their Entra object id): until the end of that day (UTC), their chat gets your approval cards and they decide on your behalf. Type **back** when you return.';

/** "2026-12-28": the last day of an absence (the delegation ends at the end of it, UTC). */
export function lastDay(until: string): string {
  return new Date(Date.parse(until) - 1).toISOString().slice(0, 10);
}

export const DELEGATION_WORDS = {
  notApprover: "Only approvers can hand their approvals to someone while they're away, and you're not one of them.",
  noDelegate: `Whom should your approval cards go to? ${AWAY_USAGE}`,
  unavailable: 'Delegation is not available in this installation of setupbot.',
  unknownDelegate: `I can't tell who you mean. ${AWAY_USAGE}`,
  unreadableMention: "I couldn't read that person's Entra object id from the mention. Type their object id instead, e.g. **away until 2026-12-28 delegate 00000000-0000-0000-0000-000000000000**.",
  refusal(refusal: DelegationRefusal): string {
    switch (refusal.code) {
      case 'date_unreadable':
        // what was typed is not quoted back: it could be anything pasted, a secret included
        return 'That is not a date I can read. Write the last day you are away as YEAR-MONTH-DAY, e.g. **away until 2026-12-28 delegate @name**.';
      case 'date_past':
        return `${refusal.until} has already passed: give the last day you are away, today or later.`;
      case 'date_too_far':
        return `${refusal.until} is more than ${refusal.maxDays} days away. A delegation lasts at most ${MAX_DELEGATION_DAYS} days: give an earlier date, and say **away** again when it ends.`;
      case 'self':
        return "You can't delegate to yourself: name someone else who decides while you're away.";
      case 'delegate_away':
        return `${refusal.delegateName} is away too, until the end of ${lastDay(refusal.until)}, and a delegation does not pass on to whoever stands in for them. Name someone who is here.`;
    }
  },
  away(delegation: Delegation, pendingSent: number): string {
    const pending = pendingSent === 0 ? 'Nothing is waiting for you right now.' : `The ${pendingSent} request${pendingSent === 1 ? '' : 's'} waiting for you now ${pendingSent === 1 ? 'goes' : 'go'} to them as well.`;
    return `You're away until the end of ${lastDay(delegation.until)} (UTC). ${delegation.delegateName} gets your approval cards and decides on your behalf; each of their decisions names you both. ${pending} Type **back** when you return.`;
  },
  stillAway(delegation: Delegation): string {
    return `You're away until the end of ${lastDay(delegation.until)} (UTC); ${delegation.delegateName} decides on your behalf. Type **back** when you return.`;
  },
  back(ended: Delegation | undefined): string {
    return ended ? `Welcome back: ${ended.delegateName} no longer decides on your behalf, and your approval cards come to you alone.` : "You weren't away: your approval cards come to you.";
  },
} as const;
