import type { Activity, ActivityHandler } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Logger } from '../setup/ports.js';
import type { SetupBotAdapter } from './adapter.js';
import { setTurnLogger } from '../turn/turn-logger.js';

export interface EndpointResult {
  status: number;
  body?: unknown;
}

export interface MessageEndpoint {
  /** Authenticates one inbound activity and runs its turn; resolves with the HTTP answer. */
  handle(activity: Activity, authorization: string, logger: Logger): Promise<EndpointResult>;
}

export interface MessageEndpointDeps {
  authentication: BotFrameworkAuthentication;
  adapter: SetupBotAdapter;
  bot: Pick<ActivityHandler, 'run'>;
}

/**
 * Authentication happens here, before the adapter: every failure to authenticate (missing or
 * forged token, wrong issuer/audience/endorsement/serviceUrl, expired, alg none, bad signature)
 * is a 401 and no turn runs. botbuilder's own process() answers 500 to some of these.
 */
export function createMessageEndpoint(deps: MessageEndpointDeps): MessageEndpoint {
  return {
    async handle(activity, authorization, logger) {
      let authResult;
      try {
        authResult = await deps.authentication.authenticateRequest(activity, authorization);
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown';
        logger.warn({ event: 'auth_failed', reason }, 'inbound activity refused: authentication failed (401)');
        return { status: 401, body: { code: 'Unauthorized', message: 'Authentication failed.' } };
      }
      const invokeResponse = await deps.adapter.runAuthenticated(authResult, activity, async (context) => {
        setTurnLogger(context, logger);
        await deps.bot.run(context);
      });
      return invokeResponse ? { status: invokeResponse.status, body: invokeResponse.body } : { status: 200 };
    },
  };
}
