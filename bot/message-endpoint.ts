import type { Activity, ActivityHandler } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Logger } from '../setup/ports.js';
import type { SetupBotAdapter } from './adapter.js';
import { channelTokenProblem } from './channel-token-precheck.js';
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
  /** With an app id every activity carries a channel token (anonymous local mode: none). */
  tokenRequired: boolean;
  /** Checks of the token that need no key run against this clock (default: now). */
  now?: () => number;
}

/**
 * Authentication happens here, before the adapter: every failure to authenticate (missing or
 * forged token, wrong issuer/audience/endorsement/serviceUrl, expired, alg none, bad signature)
 * is a 401 and no turn runs. botbuilder's own process() answers 500 to some of these. A token
 * that fails a check needing no key (channel-token-precheck.ts) is refused before botbuilder
 * fetches the channel's keys.
 */
export function createMessageEndpoint(deps: MessageEndpointDeps): MessageEndpoint {
  return {
    async handle(activity, authorization, logger) {
      const problem = deps.tokenRequired ? channelTokenProblem(authorization, (deps.now ?? Date.now)()) : undefined;
      if (problem) {
        logger.warn({ event: 'auth_failed', reason: `refused before any key fetch: ${problem}` }, 'inbound activity refused: authentication failed (401)');
        return { status: 401, body: { code: 'Unauthorized', message: 'Authentication failed.' } };
      }
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
