import type { Logger } from '../setup/ports.js';

/**
 * Work that runs after a turn has been answered (card fan-out, execution). Tracked so that
 * shutdown waits for it and tests can await it; failures are logged, never lost silently.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(what: string, work: () => Promise<void>): void {
    const task = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.logger.error({ event: 'background_failed', what, err: error }, 'background work failed'));
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Resolves when everything started so far (and anything it started) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /**
   * For shutdown: waits at most `ms`. Work still running then is abandoned with the process;
   * what it had stored is picked up at the next start (executions resume, the outbox resends).
   */
  async idleWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
      timer.unref();
    });
    const done = this.idle().then(() => true as const);
    const finished = await Promise.race([done, timeout]);
    if (timer) clearTimeout(timer);
    if (!finished) this.logger.warn({ event: 'shutdown_abandoned_work', running: this.running.size }, 'shutdown: background work still running; it resumes at the next start');
    return finished;
  }
}
