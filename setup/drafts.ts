import { emptySetupContent } from './model.js';
import type { Requester, SetupDraft } from './draft.js';
import type { Clock, CollectionSpec, Patch, Repository, Versioned } from './ports.js';

export const DRAFTS: CollectionSpec<SetupDraft> = { name: 'drafts' };

/** One open draft per requester, persisted, updated compare-and-set. */
export class DraftStore {
  constructor(
    private readonly repository: Repository<SetupDraft>,
    private readonly clock: Clock,
  ) {}

  get(ownerId: string): Promise<Versioned<SetupDraft> | undefined> {
    return this.repository.get(ownerId.toLowerCase());
  }

  /** Starts a fresh draft, replacing any earlier one of the same owner. */
  async start(requester: Requester, conversationId: string): Promise<Versioned<SetupDraft>> {
    const ownerId = requester.objectId.toLowerCase();
    const now = this.clock.now().toISOString();
    const draft: SetupDraft = {
      ownerId,
      requester,
      content: emptySetupContent(),
      step: 'environment',
      revision: 0,
      returnToReview: false,
      dryRun: false,
      conversationId,
      createdAt: now,
      updatedAt: now,
    };
    const existing = await this.repository.get(ownerId);
    if (existing) await this.repository.remove(ownerId, existing.version);
    return this.repository.create(ownerId, draft);
  }

  save(draft: Versioned<SetupDraft>, patch: Patch<SetupDraft>): Promise<Versioned<SetupDraft>> {
    const updatedAt = this.clock.now().toISOString();
    return this.repository.update(draft.id, draft.version, (current) => {
      const next = typeof patch === 'function' ? patch(current) : { ...current, ...patch };
      return { ...next, updatedAt };
    });
  }

  discard(draft: Versioned<SetupDraft>): Promise<void> {
    return this.repository.remove(draft.id, draft.version);
  }
}
