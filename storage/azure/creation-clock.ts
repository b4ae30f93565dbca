/**
 * Creation order across instances without a shared counter: a hybrid logical clock. A record's
 * creation stamp is the wall clock in microseconds, or one more than the greatest stamp this
 * process has issued or seen, whichever is larger. Every stamp read from the store is observed,
 * so whatever an instance creates after reading a record sorts after that record, whatever the
 * clocks say; records created independently on two instances sort by their clocks (App Service
 * instances keep them within milliseconds). Stamps are fixed-width digits: they sort as text.
 */
const WIDTH = 17;

export class CreationClock {
  private last = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** A stamp greater than any issued or observed so far. */
  next(): string {
    this.last = Math.max(this.nowMs() * 1000, this.last + 1);
    return String(this.last).padStart(WIDTH, '0');
  }

  /** Takes note of a stamp read from the store. */
  observe(stamp: string | undefined): void {
    if (!stamp) return;
    const value = Number(stamp);
    if (Number.isSafeInteger(value) && value > this.last) this.last = value;
  }
}
