import { emptySetupContent, type SetupContent } from '../model/content.js';
import type { DraftOrigin, Requester, SetupDraft, SetupStep } from '../model/draft.js';
import type { Clock, CollectionSpec, Failpoint, Patch, Repository, Versioned } from '../ports.js';

export const DRAFTS: CollectionSpec<SetupDraft> = { name: 'drafts' };

/** What a draft starts from when it does not start empty. */
export interface DraftSeed {
  /** Copied: later edits of the draft never touch the source. */
  content: SetupContent;
  origin: DraftOrigin;
  /** The card to open on (default: the first step). */
  step?: SetupStep;
  dryRun?: boolean;
}

/** One open draft per requester, persisted, updated compare-and-set. */
export class DraftStore {
  constructor(
    private readonly repository: Repository<SetupDraft>,
    private readonly clock: Clock,
    /** Crash tests: named points where the process may be killed (bot/failpoints.ts). */
    private readonly failpoint?: Failpoint,
  ) {}

  get(ownerId: string): Promise<Versioned<SetupDraft> | undefined> {
    return this.repository.get(ownerId.toLowerCase());
  }

  /** Starts a fresh, empty draft, replacing any earlier one of the same owner. */
  start(requester: Requester, conversationId: string): Promise<Versioned<SetupDraft>> {
    return this.create(requester, conversationId, { content: emptySetupContent(), step: 'environment', dryRun: false });
  }

  /**
   * Starts a draft pre-filled with existing content (e.g. a failed request's, to edit and submit
   * again), remembering where it came from; replaces any earlier draft of the same owner, so
   * callers ask first when one exists.
   */
  startFrom(requester: Requester, conversationId: string, seed: DraftSeed): Promise<Versioned<SetupDraft>> {
    return this.create(requester, conversationId, {
      content: structuredClone(seed.content),
      step: seed.step ?? 'environment',
      dryRun: seed.dryRun ?? false,
      origin: structuredClone(seed.origin),
    });
  }

  async save(draft: Versioned<SetupDraft>, patch: Patch<SetupDraft>): Promise<Versioned<SetupDraft>> {
    const updatedAt = this.clock.now().toISOString();
    const saved = await this.repository.update(draft.id, draft.version, (current) => {
      const next = typeof patch === 'function' ? patch(current) : { ...current, ...patch };
      return { ...next, updatedAt };
    });
    // stored; the card click that saved it has not been answered yet
    this.failpoint?.('draft.afterSave');
    return saved;
  }

  discard(draft: Versioned<SetupDraft>): Promise<void> {
    return this.repository.remove(draft.id, draft.version);
  }

  private async create(
    requester: Requester,
    conversationId: string,
    start: Pick<SetupDraft, 'content' | 'step' | 'dryRun' | 'origin'>,
  ): Promise<Versioned<SetupDraft>> {
    const ownerId = requester.objectId.toLowerCase();
    const now = this.clock.now().toISOString();
    const draft: SetupDraft = {
      ownerId,
      requester,
      content: start.content,
      step: start.step,
      revision: 0,
      returnToReview: false,
      dryRun: start.dryRun,
      conversationId,
      createdAt: now,
      updatedAt: now,
      ...(start.origin ? { origin: start.origin } : {}),
    };
    const existing = await this.repository.get(ownerId);
    if (existing) await this.repository.remove(ownerId, existing.version);
    return this.repository.create(ownerId, draft);
  }
}
