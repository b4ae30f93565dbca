/** How a request that is no longer pending ended, as a message. */
import { domainMessage, type DomainMessage } from '../model/messages.js';
import type { SetupRequest } from '../model/request.js';

/** A stored instant as the cards show it: `2026-12-07 09:30 UTC`. */
export function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

export function settledMessage(request: SetupRequest): DomainMessage {
  switch (request.status) {
    case 'rejected': {
      const at = when(request.rejection?.at ?? request.updatedAt);
      return request.rejection?.name ? domainMessage('settled.rejected', { name: request.rejection.name, at }) : domainMessage('settled.rejectedByApprover', { at });
    }
    case 'cancelled': {
      const at = when(request.cancellation?.at ?? request.updatedAt);
      return request.cancellation?.name ? domainMessage('settled.cancelled', { name: request.cancellation.name, at }) : domainMessage('settled.cancelledByRequester', { at });
    }
    case 'expired':
      return domainMessage('settled.expired', { at: when(request.expiredAt ?? request.updatedAt) });
    default: {
      const last = request.approvals[request.approvals.length - 1];
      return last ? domainMessage('settled.approvedBy', { name: last.name, at: when(last.at) }) : domainMessage('settled.approved');
    }
  }
}
