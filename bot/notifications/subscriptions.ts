import type { ConversationReference } from 'botbuilder';
import { removeExisting, upsert } from '../../setup/coordination/compare-and-set.js';
import type { Clock, CollectionSpec, Repository } from '../../setup/ports.js';

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

export const NOTIFY_SUBSCRIPTIONS: CollectionSpec<NotifySubscription, 'team'> = {
  name: 'notifyChannels',
  indexes: { team: (subscription) => (subscription.teamId ? [subscription.teamId] : []) },
};

export class NotifySubscriptions {
  constructor(
    private readonly repository: Repository<NotifySubscription, 'team'>,
    private readonly clock: Clock,
  ) {}

  async add(subscription: Omit<NotifySubscription, 'addedAt'>): Promise<void> {
    const value = { ...subscription, addedAt: this.clock.now().toISOString() };
    await upsert(this.repository, subscription.conversationId, () => value, () => value);
  }

  async remove(conversationId: string): Promise<boolean> {
    return removeExisting(this.repository, conversationId);
  }

  async removeTeam(teamId: string): Promise<void> {
    for (const record of await this.repository.find('team', teamId)) await this.remove(record.id);
  }

  async list(): Promise<NotifySubscription[]> {
    return (await this.repository.list()).map((record) => record.value);
  }
}
