import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { systemClock, type Clock, type Logger } from '../setup/ports.js';
import { LowdbRepository } from '../storage/lowdb-repository.js';
import { InstallationStore, type Installation } from './installations.js';
import { JsonDataFile } from '../storage/data-file.js';
import { LowdbBotStorage } from '../storage/lowdb-bot-storage.js';
import { createAdapter, createBotAuthentication } from './adapter.js';
import type { Config } from './config.js';
import { createMessageEndpoint } from './message-endpoint.js';
import { createServer, type HttpServer } from './server.js';
import { SetupBot } from './setup-bot.js';
import { TenantGuard } from './tenant-guard.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Outbound Bot Connector credentials; botbuilder's configuration-based factory by default. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  clock?: Clock;
}

export interface App {
  readonly http: HttpServer;
  readonly dataFile: JsonDataFile;
  readonly installations: InstallationStore;
  /** Listens on the configured (or given) port and host; resolves with the bound port. */
  start(port?: number): Promise<number>;
  /** Drains turns in flight, flushes storage. */
  stop(): Promise<void>;
}

/** The composition root as a function: everything wired from configuration, nothing listening yet. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger } = deps;
  const dataFile = await JsonDataFile.open(config.dataFile);
  const botStorage = new LowdbBotStorage(dataFile);
  void botStorage; // dialog state arrives with the setup dialogs
  const clock = deps.clock ?? systemClock;
  const installations = new InstallationStore(new LowdbRepository<Installation>(dataFile, 'installations'), clock);

  const authentication = createBotAuthentication(config, deps.credentialsFactory);
  const adapter = createAdapter(authentication, logger);
  adapter.use(new TenantGuard(config.allowedTenants, logger));
  const bot = new SetupBot({ logger, installations });
  const http = createServer({
    logger,
    maxBodyBytes: config.maxBodyBytes,
    messages: createMessageEndpoint({ authentication, adapter, bot }),
  });

  return {
    http,
    dataFile,
    installations,
    async start(port = config.port) {
      const bound = await http.listen(port, config.host);
      if (config.anonymous) {
        logger.warn(
          { event: 'anonymous_mode', host: config.host, port: bound },
          'ANONYMOUS LOCAL MODE: no MicrosoftAppId is set, so inbound activities are NOT authenticated. Listening on loopback only. Set MicrosoftAppId (and its credentials) before exposing this bot.',
        );
      } else {
        logger.info({ event: 'listening', host: config.host, port: bound, appId: config.appId }, 'setupbot is listening; every inbound activity is authenticated');
      }
      return bound;
    },
    async stop() {
      await http.close();
      await dataFile.flush();
    },
  };
}
