/**
 * The replies of `away` and `back` (issue 19) in the reader's words: the `replies` catalog's
 * `delegation.*` messages. The domain's refusal codes are worded here.
 */
import { MAX_DELEGATION_DAYS, type DelegationRefusal } from '../../setup/policy/delegation.js';
import type { Delegation } from '../../setup/policy/policy-model.js';
import type { Words } from '../../i18n/translations.js';

const AWAY_EXAMPLE = 'away until 2026-12-28 delegate @name';

/** "2026-12-28": the last day of an absence (the delegation ends at the end of it, UTC). */
export function lastDay(until: string): string {
  return new Date(Date.parse(until) - 1).toISOString().slice(0, 10);
}

function usage(words: Words): string {
  return words.t('replies.delegation.usage', { example: AWAY_EXAMPLE, back: 'back' });
}

/** The replies of `away` and `back` for one reader. */
export function delegationWords(words: Words) {
  return {
    usage: usage(words),
    notApprover: words.t('replies.delegation.notApprover'),
    noDelegate: `${words.t('replies.delegation.noDelegate')} ${usage(words)}`,
    unavailable: words.t('replies.delegation.unavailable'),
    unknownDelegate: `${words.t('replies.delegation.unknownDelegate')} ${usage(words)}`,
    unreadableMention: words.t('replies.delegation.unreadableMention', { example: 'away until 2026-12-28 delegate 00000000-0000-0000-0000-000000000000' }),
    refusal(refusal: DelegationRefusal): string {
      switch (refusal.code) {
        case 'date_unreadable':
          // what was typed is not quoted back: it could be anything pasted, a secret included
          return words.t('replies.delegation.refusal.dateUnreadable', { example: AWAY_EXAMPLE });
        case 'date_past':
          return words.t('replies.delegation.refusal.datePast', { until: refusal.until });
        case 'date_too_far':
          return words.t('replies.delegation.refusal.dateTooFar', { until: refusal.until, maxDays: refusal.maxDays ?? MAX_DELEGATION_DAYS, command: 'away' });
        case 'self':
          return words.t('replies.delegation.refusal.self');
        case 'delegate_away':
          return words.t('replies.delegation.refusal.delegateAway', { delegate: refusal.delegateName, until: lastDay(refusal.until) });
      }
    },
    away(delegation: Delegation, pendingSent: number): string {
      return [
        words.t('replies.delegation.away', { until: lastDay(delegation.until), delegate: delegation.delegateName }),
        words.t('replies.delegation.awayPending', { count: pendingSent }),
        words.t('replies.delegation.whenBack', { command: 'back' }),
      ].join(' ');
    },
    stillAway(delegation: Delegation): string {
      return words.t('replies.delegation.stillAway', { until: lastDay(delegation.until), delegate: delegation.delegateName, command: 'back' });
    },
    back(ended: Delegation | undefined): string {
      return ended ? words.t('replies.delegation.back', { delegate: ended.delegateName }) : words.t('replies.delegation.notAway');
    },
  };
}
