/** How a request that is no longer pending ended, as a message. */
import { domainMessage, type DomainMessage } from '../model/messages.js';
import type { Decision, SetupRequest } from '../model/request.js';

/** A stored instant as the cards show it: `2026-12-07 09:30 UTC`. */
export function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

/** Who decided: the approver, or "Ana Ruiz for Ben Okafor" when a delegate decided on an away approver's behalf. */
export function deciderName(decision: Pick<Decision, 'name' | 'delegate'>): string | DomainMessage {
  return decision.delegate ? domainMessage('decider.for', { delegate: decision.delegate.name, approver: decision.name }) : decision.name;
}

export function settledMessage(request: SetupRequest): DomainMessage {
  switch (request.status) {
    case 'rejected': {
      const at = when(request.rejection?.at ?? request.updatedAt);
      return request.rejection?.name ? domainMessage('settled.rejected', { name: deciderName(request.rejection), at }) : domainMessage('settled.rejectedByApprover', { at });
    }
    case 'cancelled': {
      const at = when(request.cancellation?.at ?? request.updatedAt);
      return request.cancellation?.name ? domainMessage('settled.cancelled', { name: request.cancellation.name, at }) : domainMessage('settled.cancelledByRequester', { at });
    }
    case 'expired':
      return domainMessage('settled.expired', { at: when(request.expiredAt ?? request.updatedAt) });
    default: {
      const last = request.approvals[request.approvals.length - 1];
      return last ? domainMessage('settled.approvedBy', { name: deciderName(last), at: when(last.at) }) : domainMessage('settled.approved');
    }
  }
}
