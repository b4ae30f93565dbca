import type { SetupContent } from './model.js';
import type { Requester } from './draft.js';

/** Lifecycle of a setup request (draft lives in SetupDraft until submitted). */
export type RequestStatus =
  | 'submitted'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'executing'
  | 'succeeded'
  | 'failed';

/** Opaque to the domain: the bot's conversation reference, stored to reach the requester later. */
export type ConversationAddress = Readonly<Record<string, unknown>>;

export interface SetupRequest {
  /** Short human id, e.g. SR-0042. */
  id: string;
  status: RequestStatus;
  content: SetupContent;
  requester: Requester;
  dryRun: boolean;
  createdAt: string;
  updatedAt: string;
  /** Where the requester asked (to update their card and send results). */
  requesterConversation: ConversationAddress;
  /** Activity id of the requester's status card. */
  requesterCardActivityId?: string;
}

export function formatRequestId(sequence: number): string {
  return `SR-${String(sequence).padStart(4, '0')}`;
}
