import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { ENGLISH_WORDS } from '../cards/words/commands.js';
import { wordsOf } from '../dialogs/turn-words.js';
import type { Logger } from '../setup/ports.js';
import { tenantOf } from '../turn/activity-identity.js';
import { turnLogger } from '../turn/turn-logger.js';

/** The refusal in English (tests); a turn says it in its reader's words. */
export const FOREIGN_TENANT_TEXT = ENGLISH_WORDS.t('replies.turn.foreignTenant');

/**
 * Stops activities from tenants outside the allow-list before any handler sees them: a polite
 * refusal to messages and card actions, silence for everything else, and nothing stored.
 */
export class TenantGuard implements Middleware {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedTenants: readonly string[], private readonly logger: Logger) {
    this.allowed = new Set(allowedTenants.map((id) => id.toLowerCase()));
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (this.allowed.size === 0) return next();
    const tenant = tenantOf(context.activity);
    if (tenant && this.allowed.has(tenant)) return next();

    turnLogger(context, this.logger).warn({ event: 'foreign_tenant', tenant: tenant ?? null }, 'activity from a tenant outside SETUPBOT_ALLOWED_TENANTS refused');
    const text = wordsOf(context).t('replies.turn.foreignTenant');
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(text);
    } else if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
        },
      });
    }
  }
}
