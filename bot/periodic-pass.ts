/**
 * A pass of background work run at start-up and then on a timer (the expiry sweep, reminders and
 * escalation). Overlapping calls share the pass in flight, so a timer tick during a slow pass and
 * a test's explicit call never run two at once.
 */
export class PeriodicPass {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly pass: () => Promise<number>) {}

  start(intervalMs: number): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; resolves with what the pass counted. */
  run(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
