import { TurnContext, type ConversationReference, type TurnContext as Context } from 'botbuilder';
import { removeExisting, updateExisting, upsert } from '../setup/coordination/compare-and-set.js';
import type { Clock, CollectionSpec, Repository } from '../setup/ports.js';
import { senderObjectIdOf, teamOf, tenantOf } from '../turn/activity-identity.js';
import { localeOfActivity } from '../dialogs/turn-words.js';

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
  /**
   * The Teams locale last seen in this conversation (`de-DE`, `ar-SA`): what is sent here later,
   * unasked (approval cards, updates), is in that language. Absent until the first activity that carries one.
   */
  locale?: string;
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

/** How many personal chats' locales a process keeps in mind (past it, it starts over: one read each). */
const KNOWN_LOCALES_MAX = 50_000;

/** Keeps the stored conversation references in step with installs and removals. */
export class InstallationStore {
  /** Personal conversation id → the locale last stored for it. */
  private readonly knownLocales = new Map<string, string>();

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
      ...(localeOfActivity(activity) ? { locale: localeOfActivity(activity) } : {}),
      installedAt: now,
      updatedAt: now,
    };
    const stored = await upsert(this.repository, record.conversationId, () => record, (existing) => ({ ...record, installedAt: existing.installedAt, ...(record.locale || !existing.locale ? {} : { locale: existing.locale }) }));
    if (stored.value.locale) this.knownLocales.set(record.conversationId, stored.value.locale);
    return stored.value;
  }

  /**
   * Keeps a personal chat's locale current: the user may change their Teams language after
   * installing. Looked at only when it differs from what this process last saw in that chat, so a
   * turn costs no storage call but the first one and the one after a change.
   */
  async noteLocale(context: Context): Promise<void> {
    const { conversation } = context.activity;
    const locale = localeOfActivity(context.activity);
    if (!locale || !conversation?.id || kindOf(context) !== 'personal') return;
    if (this.knownLocales.get(conversation.id) === locale) return;
    await updateExisting(this.repository, conversation.id, (install) =>
      install.locale === locale ? undefined : { ...install, locale, updatedAt: this.clock.now().toISOString() },
    );
    // not installed here (yet): remember stores the locale of the install itself
    if (this.knownLocales.size >= KNOWN_LOCALES_MAX) this.knownLocales.clear();
    this.knownLocales.set(conversation.id, locale);
  }

  async forget(conversationId: string): Promise<void> {
    this.knownLocales.delete(conversationId);
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
