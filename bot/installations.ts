import { TurnContext, type ConversationReference, type TurnContext as Context } from 'botbuilder';
import { removeExisting, updateExisting, upsert } from '../setup/coordination/compare-and-set.js';
import type { Clock, CollectionSpec, Repository } from '../setup/ports.js';
import { senderObjectIdOf, teamOf, tenantOf } from '../turn/activity-identity.js';

/** Where the bot is installed: a conversation it may later write to proactively. */
export interface Installation {
  conversationId: string;
  kind: 'personal' | 'channel' | 'groupChat';
  tenantId?: string;
  teamId?: string;
  teamName?: string;
  /** For personal installs: the user's Entra object id. */
  userObjectId?: string;
  reference: Partial<ConversationReference>;
  installedAt: string;
  updatedAt: string;
}

export const INSTALLATIONS: CollectionSpec<Installation, 'user' | 'team'> = {
  name: 'installations',
  indexes: {
    /** The personal chat of a user (by Entra object id). */
    user: (install) => (install.kind === 'personal' && install.userObjectId ? [install.userObjectId] : []),
    team: (install) => (install.teamId ? [install.teamId] : []),
  },
};

function kindOf(context: Context): Installation['kind'] {
  const type = context.activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}

/** Keeps the stored conversation references in step with installs and removals. */
export class InstallationStore {
  constructor(
    private readonly repository: Repository<Installation, 'user' | 'team'>,
    private readonly clock: Clock,
  ) {}

  async remember(context: Context): Promise<Installation> {
    const activity = context.activity;
    const now = this.clock.now().toISOString();
    const team = teamOf(activity);
    const kind = kindOf(context);
    const record: Installation = {
      conversationId: activity.conversation.id,
      kind,
      tenantId: tenantOf(activity),
      teamId: team?.id,
      teamName: team?.name,
      userObjectId: kind === 'personal' ? senderObjectIdOf(activity) : undefined,
      reference: TurnContext.getConversationReference(activity),
      installedAt: now,
      updatedAt: now,
    };
    const stored = await upsert(this.repository, record.conversationId, () => record, (existing) => ({ ...record, installedAt: existing.installedAt }));
    return stored.value;
  }

  async forget(conversationId: string): Promise<void> {
    await removeExisting(this.repository, conversationId);
  }

  /** A renamed team: every stored reference of it carries the new name. */
  async renameTeam(teamId: string, teamName: string): Promise<number> {
    let renamed = 0;
    for (const record of await this.repository.find('team', teamId)) {
      const updated = await updateExisting(this.repository, record.id, (install) => ({ ...install, teamName, updatedAt: this.clock.now().toISOString() }));
      if (updated) renamed += 1;
    }
    return renamed;
  }

  async forgetTeam(teamId: string): Promise<void> {
    for (const record of await this.repository.find('team', teamId)) await this.forget(record.id);
  }

  async get(conversationId: string): Promise<Installation | undefined> {
    return (await this.repository.get(conversationId))?.value;
  }

  /** The bot's personal chat with this user, if installed there. */
  async personalChatOf(userObjectId: string): Promise<Installation | undefined> {
    return (await this.repository.find('user', userObjectId.toLowerCase(), { newestFirst: true, limit: 1 }))[0]?.value;
  }

  /** Every installation (a scan: diagnostics only). */
  async list(): Promise<Installation[]> {
    return (await this.repository.list()).map((record) => record.value);
  }
}
