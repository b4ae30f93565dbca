import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, BotFrameworkAuthentication, ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from '../setup/ports.js';
import { CachedCredentialsFactory } from './cached-credentials.js';
import type { Config } from './config.js';
import { turnLogger } from './turn-logger.js';

export const TURN_ERROR_TEXT = 'Sorry, something went wrong on my side. Nothing was lost; please try again in a moment.';

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
    turnLogger(context, logger).error({ event: 'turn_failed', err: error }, 'unhandled error in turn');
    if (context.activity.type === 'message') {
      await context.sendActivity(TURN_ERROR_TEXT).catch(() => undefined);
    }
  };
  return adapter;
}
