import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, BotFrameworkAuthentication, ServiceClientCredentialsFactory } from 'botframework-connector';
import { refuse } from '../dialogs/card-presenter.js';
import { SetupBotError } from '../setup/errors.js';
import type { Logger } from '../setup/ports.js';
import { CachedCredentialsFactory } from './cached-credentials.js';
import type { Config } from './config.js';
import { turnLogger } from '../turn/turn-logger.js';

export const TURN_ERROR_TEXT = 'Sorry, something went wrong on my side. Nothing was lost; please try again in a moment.';
/** Another turn changed the same draft or request at the same moment (a double click, two devices): that one stands. */
export const TURN_CONFLICT_TEXT = 'That changed at the same moment somewhere else (another click or device), so I did not apply this one. Nothing was lost: look at the latest card and try again if you still need to.';
/** When the storage cannot be reached: nothing of this turn was kept, so trying again is safe. */
export const STORAGE_UNAVAILABLE_TEXT = "Sorry, I can't reach my storage right now, so I didn't save or change anything. Please try again in a minute.";

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
 * MicrosoftAppType (client secret, or user-assigned managed identity). Either way the
 * credentials are reused across turns.
 */
export function createBotAuthentication(
  config: Config,
  credentialsFactory?: ServiceClientCredentialsFactory,
): BotFrameworkAuthentication {
  const factory = credentialsFactory ?? new ConfigurationServiceClientCredentialFactory({ ...config.botFramework });
  return new ConfigurationBotFrameworkAuthentication({ ...config.botFramework }, new CachedCredentialsFactory(factory));
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
    const text = code === 'storage_unavailable' ? STORAGE_UNAVAILABLE_TEXT : code === 'conflict' ? TURN_CONFLICT_TEXT : TURN_ERROR_TEXT;
    // a card click (invoke) gets the words as its answer, shown to the clicker; a message a reply
    if (context.activity.type === 'message' || (context.activity.type === 'invoke' && context.activity.name === 'adaptiveCard/action')) {
      await refuse(context, text).catch(() => undefined);
    }
  };
  return adapter;
}
