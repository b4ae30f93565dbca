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
}
