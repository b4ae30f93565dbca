import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { ENGLISH_WORDS } from '../cards/words/commands.js';
import { wordsOf } from '../dialogs/turn-words.js';
import type { AuthenticateRequestResult, BotFrameworkAuthentication, ServiceClientCredentialsFactory } from 'botframework-connector';
import { refuse } from '../dialogs/card-presenter.js';
import { SetupBotError } from '../setup/errors.js';
import type { Logger } from '../setup/ports.js';
import { CachedCredentialsFactory } from './cached-credentials.js';
import type { Config } from './config.js';
import { ReusedClientsAuthentication } from './reused-turn-clients.js';
import { reuseParsedSigningKeys } from './signing-key-objects.js';
import { turnLogger } from '../turn/turn-logger.js';

export const TURN_ERROR_TEXT = ENGLISH_WORDS.t('replies.turn.error');
/** Another turn changed the same draft or request at the same moment (a double click, two devices): that one stands. */
export const TURN_CONFLICT_TEXT = ENGLISH_WORDS.t('replies.turn.conflict');
/** When the storage cannot be reached: nothing of this turn was kept, so trying again is safe. */
export const STORAGE_UNAVAILABLE_TEXT = ENGLISH_WORDS.t('replies.turn.storageUnavailable');

/** CloudAdapter that runs an activity whose request was already authenticated by the endpoint. */
export class SetupBotAdapter extends CloudAdapter {
  runAuthenticated(
    authResult: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authResult, activity, logic);
  }
}

/**
 * botbuilder's authentication from configuration. In tests a credentials factory signs outbound
 * calls with a static token; in production botbuilder's own factory builds them from
 * MicrosoftAppType (client secret, or user-assigned managed identity). What botbuilder would make
 * again for every turn is made once: the credentials (CachedCredentialsFactory), the Bot
 * Connector and user-token clients (ReusedClientsAuthentication) and the parsed channel signing
 * keys (reuseParsedSigningKeys). Validation of every inbound token stays botbuilder's.
 */
export function createBotAuthentication(
  config: Config,
  credentialsFactory?: ServiceClientCredentialsFactory,
): BotFrameworkAuthentication {
  const factory = credentialsFactory ?? new ConfigurationServiceClientCredentialFactory({ ...config.botFramework });
  reuseParsedSigningKeys();
  return new ReusedClientsAuthentication(new ConfigurationBotFrameworkAuthentication({ ...config.botFramework }, new CachedCredentialsFactory(factory)));
}

export function createAdapter(authentication: BotFrameworkAuthentication, logger: Logger): SetupBotAdapter {
  const adapter = new SetupBotAdapter(authentication);
  adapter.onTurnError = async (context, error) => {
    // botbuilder-dialogs wraps what a dialog threw (DialogContextError.error)
    const cause: unknown = error instanceof SetupBotError ? error : (error as { error?: unknown }).error ?? error;
    const code = cause instanceof SetupBotError ? cause.code : undefined;
    const log = turnLogger(context, logger);
    if (code === 'storage_unavailable') log.warn({ event: 'turn_storage_unavailable', err: error }, 'storage unavailable during a turn; the user is asked to try again');
    // two turns changed the same record at once (a double click, two devices): the other one stands
    else if (code === 'conflict') log.warn({ event: 'turn_conflict', err: error }, 'another turn changed the same record at the same moment; this one changed nothing');
    else log.error({ event: 'turn_failed', err: error }, 'unhandled error in turn');
    const text = wordsOf(context).t(code === 'storage_unavailable' ? 'replies.turn.storageUnavailable' : code === 'conflict' ? 'replies.turn.conflict' : 'replies.turn.error');
    // a card click (invoke) gets the words as its answer, shown to the clicker; a message a reply
    if (context.activity.type === 'message' || (context.activity.type === 'invoke' && context.activity.name === 'adaptiveCard/action')) {
      await refuse(context, text).catch(() => undefined);
    }
  };
  return adapter;
}
