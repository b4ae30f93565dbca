import type { SetupContent } from './content.js';

/** The steps of the setup conversation, in order. */
export type SetupStep = 'environment' | 'keyVault' | 'connectedApps' | 'review';
export const SETUP_STEPS: readonly SetupStep[] = ['environment', 'keyVault', 'connectedApps', 'review'];

export function stepNumber(step: SetupStep): number {
  return SETUP_STEPS.indexOf(step) + 1;
}

/** Who is asking: taken from the authenticated activity, never from card data. */
export interface Requester {
  objectId: string;
  name: string;
  tenantId: string;
}

/**
 * Where a draft came from when it did not start empty: a small union, one kind per way of
 * starting from existing content (absent = a new, empty setup).
 * - resubmit: Edit and resubmit of a failed, rejected or expired setup request;
 * - change: a change of a recorded environment, built on one version of it (`before` is the
 *   recorded setup at that version: the review shows the difference against it). `rebuildOf`
 *   names the change request this one rebuilds on a newer version (it then replaces it).
 */
export type DraftOrigin =
  | { kind: 'resubmit'; requestId: string }
  | { kind: 'change'; environment: string; baseRevision: number; before: SetupContent; rebuildOf?: string };

/** The change a draft is, when it is one. */
export function changeOrigin(origin: DraftOrigin | undefined): Extract<DraftOrigin, { kind: 'change' }> | undefined {
  return origin?.kind === 'change' ? origin : undefined;
}

/**
 * A setup request being written. Stored (one per requester), so it survives restarts and can be
 * resumed; it holds names and references only, never secret values.
 */
export interface SetupDraft {
  /** The requester's Entra object id: one open draft per admin. */
  ownerId: string;
  requester: Requester;
  content: SetupContent;
  step: SetupStep;
  /**
   * Bumped every time a card of this draft is shown: only the card carrying the current
   * revision is live; clicks on older copies are stale.
   */
  revision: number;
  /** Set by Edit on the review card: Next returns to the review. */
  returnToReview: boolean;
  /** The dry-run choice on the review card. */
  dryRun: boolean;
  /** Set when the draft started from existing content (e.g. Edit and resubmit). */
  origin?: DraftOrigin;
  /** Where the draft's card lives, to update it in place. */
  conversationId: string;
  cardActivityId?: string;
  createdAt: string;
  updatedAt: string;
}
