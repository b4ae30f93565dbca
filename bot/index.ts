/**
 * Entry point: read configuration, wire the app, listen, and shut down cleanly on SIGTERM/SIGINT.
 */
import { createApp } from './app.js';
import { listenForBackupSignal } from './backup-signal.js';
import { loadConfig } from './config.js';
import { StartupListener } from './startup-listener.js';
import { createLogger, type Logger } from './logger.js';
import { SetupBotError } from '../setup/errors.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    process.stderr.write(`setupbot cannot start: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel });
  // before the store opens: from then on the lock file names this process, and `npm run store --
  // backup` may signal it (an unhandled SIGUSR2 would end the process)
  const backupSignal = listenForBackupSignal(config.dataFile, logger);
  // the port answers from the start: /healthz says "starting" (or "migrating", with progress)
  // with a 503 until the real server takes the same socket over
  let startup: StartupListener;
  try {
    startup = await StartupListener.listen(config.port, config.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    logger.error({ event: 'startup_failed', code }, `cannot listen on ${config.host}:${config.port} (${code})`);
    process.stderr.write(`setupbot cannot start: cannot listen on ${config.host}:${config.port} (${code})\n`);
    process.exit(2);
  }
  logger.info({ event: 'starting', host: config.host, port: startup.port }, 'starting: /healthz answers 503 until the store is open and the bot is ready');
  let app;
  try {
    app = await createApp({
      config,
      logger,
      onMigrationProgress: (progress) => startup.migrating(progress),
      // damage the store found after start-up (the background check of sealed segments, or a
      // read): the store already serves nothing more; stop as start-up would have (issue 22)
      onStoreDamage: stopForStoreDamage,
    });
  } catch (error) {
    if (error instanceof SetupBotError) refuseToStart(logger, error);
    throw error;
  }
  try {
    await app.start(startup.port, startup.handOver());
  } catch (error) {
    // a start-up read met damage the store's check had not reached yet: its full report, as above
    const damage = await app.store.foundDamage?.();
    if (damage) stopForStoreDamage(damage);
    if (error instanceof SetupBotError) refuseToStart(logger, error);
    throw error;
  }
  backupSignal.attach(app.store);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'shutdown', signal }, 'shutting down: draining turns in flight');
    app.stop().then(
      () => {
        logger.info({ event: 'stopped' }, 'stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ event: 'shutdown_failed', err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** A refusal to start (bad configuration, a store it cannot open): logged, said on stderr, exit 2. */
function refuseToStart(logger: Logger, error: SetupBotError): never {
  logger.error({ event: 'startup_failed', code: error.code }, error.message);
  process.stderr.write(`setupbot cannot start: ${error.message}\n`);
  process.exit(2);
}

/**
 * Damage the store found after start-up (the background check of sealed segments, or a read): the
 * store already serves nothing more; stop as start-up would have (issue 22).
 */
function stopForStoreDamage(damage: Error): never {
  process.stderr.write(`setupbot stops: ${damage.message}\n`);
  process.exit(2);
}

void main();
