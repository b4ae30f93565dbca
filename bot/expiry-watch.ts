import type { Logger } from '../setup/ports.js';
import type { SetupRequests } from '../setup/requests/setup-requests.js';
import type { RequestCards } from './request-cards.js';
import { PeriodicPass } from './periodic-pass.js';

/**
 * Expires pending requests past their approval window: at start-up, then on a timer. With
 * several instances, a pass runs only on the instance that can claim it (`claimPass`), so one
 * instance does each pass.
 */
export class ExpiryWatch {
  private readonly periodic = new PeriodicPass(() => this.pass());

  constructor(
    private readonly requests: SetupRequests,
    private readonly cards: RequestCards,
    private readonly logger: Logger,
    private readonly claimPass: () => Promise<boolean> = async () => true,
  ) {}

  start(intervalMs: number): void {
    this.periodic.start(intervalMs);
  }

  stop(): void {
    this.periodic.stop();
  }

  /** One pass; resolves with how many requests it expired. Overlapping calls share one pass. */
  check(): Promise<number> {
    return this.periodic.run();
  }

  private async pass(): Promise<number> {
    try {
      if (!(await this.claimPass())) return 0;
      const expired = await this.requests.expireDue();
      for (const request of expired) {
        this.logger.info({ event: 'request_expired', requestId: request.value.id }, 'request expired without enough approvals');
        await this.cards.syncAll(request.value.id);
      }
      return expired.length;
    } catch (error) {
      this.logger.error({ event: 'expiry_check_failed', err: error }, 'expiry check failed; will try again');
      return 0;
    }
  }
}
