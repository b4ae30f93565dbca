import type { ConversationReference } from 'botbuilder';
import { isConflict } from '../../setup/errors.js';
import type { Clock, Repository } from '../../setup/ports.js';

/** A channel that gets notifications because someone typed `notify here` there. */
export interface NotifySubscription {
  conversationId: string;
  reference: Partial<ConversationReference>;
  teamId?: string;
  teamName?: string;
  channelName?: string;
  addedBy: { objectId: string; name: string };
  addedAt: string;
}

export class NotifySubscriptions {
  constructor(
    private readonly repository: Repository<NotifySubscription>,
    private readonly clock: Clock,
  ) {}

  async add(subscription: Omit<NotifySubscription, 'addedAt'>): Promise<void> {
    const value = { ...subscription, addedAt: this.clock.now().toISOString() };
    for (;;) {
      const existing = await this.repository.get(subscription.conversationId);
      try {
        if (existing) await this.repository.update(subscription.conversationId, existing.version, () => value);
        else await this.repository.create(subscription.conversationId, value);
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  async remove(conversationId: string): Promise<boolean> {
    for (;;) {
      const existing = await this.repository.get(conversationId);
      if (!existing) return false;
      try {
        await this.repository.remove(conversationId, existing.version);
        return true;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  async removeTeam(teamId: string): Promise<void> {
    for (const record of await this.repository.list((subscription) => subscription.teamId === teamId)) await this.remove(record.id);
  }

  async list(): Promise<NotifySubscription[]> {
    return (await this.repository.list()).map((record) => record.value);
  }
}
