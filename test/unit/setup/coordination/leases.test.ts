import { LEASES, LeaseRole, Leases, type Lease, type Ticker } from '../../../../setup/coordination/leases.js';
import type { Repository } from '../../../../setup/ports.js';
import { ManualClock } from '../../../fixtures/clocks.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

let temp: TempStore;
let repository: Repository<Lease>;

beforeEach(async () => {
  temp = await openTempStore('setupbot-leases-');
  repository = temp.store.repository(LEASES);
});

afterEach(async () => {
  await temp.cleanup();
});

/**
 * Renewals and role attempts ticked by hand with a manual clock: `pass(ms)` moves the clock in
 * steps of the shortest interval and runs every tick due, awaiting each, so no test depends on
 * how fast the machine is.
 */
class HandTicker implements Ticker {
  private readonly intervals = new Set<{ ms: number; next: number; tick: () => Promise<void> }>();

  constructor(private readonly clock: ManualClock) {}

  every(ms: number, tick: () => Promise<void>): { cancel(): void } {
    const interval = { ms, next: this.clock.now().getTime() + ms, tick };
    this.intervals.add(interval);
    return { cancel: () => void this.intervals.delete(interval) };
  }

  async pass(ms: number): Promise<void> {
    const end = this.clock.now().getTime() + ms;
    for (;;) {
      const due = [...this.intervals].filter((interval) => interval.next <= end);
      if (due.length === 0) break;
      const next = Math.min(...due.map((interval) => interval.next));
      this.clock.advance(next - this.clock.now().getTime());
      for (const interval of due.filter((candidate) => candidate.next === next)) {
        interval.next += interval.ms;
        if (this.intervals.has(interval)) await interval.tick();
      }
    }
    this.clock.advance(end - this.clock.now().getTime());
  }
}

describe('Leases.claim', () => {
  test('of instances racing for a free lease exactly one wins; the others are refused until it lapses', async () => {
    const clock = new ManualClock();
    const instances = ['a', 'b', 'c', 'd'].map((owner) => new Leases(repository, clock, owner));
    const won = await Promise.all(instances.map((leases) => leases.claim('outbox', 30_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = instances[won.indexOf(true)];
    expect(await winner.holder('outbox')).toBe(winner.owner);

    const other = instances.find((leases) => leases !== winner) as Leases;
    clock.advance(29_000);
    expect(await other.claim('outbox', 30_000)).toBe(false);
    clock.advance(2_000);
    expect(await winner.holder('outbox')).toBeUndefined();
    expect(await other.claim('outbox', 30_000)).toBe(true);
    expect(await winner.claim('outbox', 30_000)).toBe(false);
  });

  test('the holder renews its own lease, keeping when it first acquired it', async () => {
    const clock = new ManualClock();
    const leases = new Leases(repository, clock, 'a');
    expect(await leases.claim('expiry', 10_000)).toBe(true);
    const first = (await repository.get('expiry'))?.value;
    clock.advance(8_000);
    expect(await leases.claim('expiry', 10_000)).toBe(true);
    const renewed = (await repository.get('expiry'))?.value;
    expect(renewed?.acquiredAt).toBe(first?.acquiredAt);
    expect(renewed?.expiresAt).toBe((first?.expiresAt ?? 0) + 8_000);
  });

  test('release lets another instance take the lease at once; releasing a lease held by another does nothing', async () => {
    const clock = new ManualClock();
    const a = new Leases(repository, clock, 'a');
    const b = new Leases(repository, clock, 'b');
    expect(await a.claim('outbox', 30_000)).toBe(true);
    await b.release('outbox');
    expect(await a.holder('outbox')).toBe('a');
    await a.release('outbox');
    expect(await b.claim('outbox', 30_000)).toBe(true);
  });

  test('voidOthers removes the leases of earlier processes and keeps its own', async () => {
    const clock = new ManualClock();
    await new Leases(repository, clock, 'earlier').claim('execution:SR-0001', 30_000);
    const now = new Leases(repository, clock, 'now');
    await now.claim('outbox', 30_000);
    expect(await now.voidOthers()).toBe(1);
    expect(await now.claim('execution:SR-0001', 30_000)).toBe(true);
    expect(await now.holder('outbox')).toBe('now');
  });
});

describe('Leases.hold', () => {
  test('renews the lease every third of its TTL while held, so nobody else can take it', async () => {
    const clock = new ManualClock();
    const ticker = new HandTicker(clock);
    const a = new Leases(repository, clock, 'a', ticker);
    const b = new Leases(repository, clock, 'b', ticker);
    const held = await a.hold('execution:SR-0001', 300);
    expect(held?.valid()).toBe(true);
    for (let round = 0; round < 6; round += 1) {
      await ticker.pass(100);
      expect(await b.claim('execution:SR-0001', 300)).toBe(false);
    }
    expect(held?.valid()).toBe(true);
    await held?.release();
    expect(held?.valid()).toBe(false);
    expect(await b.claim('execution:SR-0001', 300)).toBe(true);
  });

  test('is refused while another instance holds the lease', async () => {
    const clock = new ManualClock();
    await new Leases(repository, clock, 'a').claim('execution:SR-0001', 30_000);
    expect(await new Leases(repository, clock, 'b').hold('execution:SR-0001', 30_000)).toBeUndefined();
  });

  test('turns invalid once renewals fail for two thirds of the TTL, and reports a lease taken meanwhile as lost', async () => {
    let failing = false;
    const flaky: Repository<Lease> = {
      ...repository,
      get: (id) => (failing ? Promise.reject(new Error('store unreachable')) : repository.get(id)),
      create: (id, value) => repository.create(id, value),
      update: (id, version, patch) => repository.update(id, version, patch),
      remove: (id, version) => repository.remove(id, version),
      find: () => Promise.resolve([]),
      list: (filter) => repository.list(filter),
    };
    const errors: unknown[] = [];
    let lost = 0;
    const clock = new ManualClock();
    const ticker = new HandTicker(clock);
    const a = new Leases(flaky, clock, 'a', ticker);
    const held = await a.hold('outbox', 300, { onLost: () => (lost += 1), onError: (error) => errors.push(error) });
    failing = true;
    await ticker.pass(250);
    expect(held?.valid()).toBe(false);
    expect(errors.length).toBeGreaterThan(0);
    // meanwhile the lease lapsed and another instance took it; the store comes back
    clock.advance(100);
    expect(await new Leases(repository, clock, 'b').claim('outbox', 10_000)).toBe(true);
    failing = false;
    await ticker.pass(100);
    expect(lost).toBe(1);
    expect(held?.valid()).toBe(false);
  });
});

describe('LeaseRole', () => {
  test('one of two instances plays the role; when it stops, the other gains it', async () => {
    const events: string[] = [];
    const clock = new ManualClock();
    const ticker = new HandTicker(clock);
    const role = (owner: string): LeaseRole => new LeaseRole(new Leases(repository, clock, owner, ticker), 'outbox', 300);
    const first = role('a');
    const second = role('b');
    await first.start({ gained: () => void events.push('a gained'), lost: () => void events.push('a lost') });
    await second.start({ gained: () => void events.push('b gained'), lost: () => void events.push('b lost') });
    expect(first.holds()).toBe(true);
    expect(second.holds()).toBe(false);
    await ticker.pass(250);
    expect(events).toEqual(['a gained']);

    await first.stop();
    await ticker.pass(100);
    expect(second.holds()).toBe(true);
    expect(events).toEqual(['a gained', 'a lost', 'b gained']);
    expect(first.holds()).toBe(false);
    await second.stop();
    expect(events).toEqual(['a gained', 'a lost', 'b gained', 'b lost']);
  });

  test('an instance that stops renewing (it died) loses the role to the other once the lease lapses', async () => {
    const clock = new ManualClock();
    const ticker = new HandTicker(clock);
    const a = new Leases(repository, clock, 'a', ticker);
    await a.claim('outbox', 300); // a held it, then died without releasing
    const gained: number[] = [];
    const startedAt = clock.now().getTime();
    const b = new LeaseRole(new Leases(repository, clock, 'b', ticker), 'outbox', 300);
    await b.start({ gained: () => void gained.push(clock.now().getTime() - startedAt), lost: () => undefined });
    expect(b.holds()).toBe(false);
    await ticker.pass(200);
    expect(b.holds()).toBe(false);
    await ticker.pass(100);
    expect(b.holds()).toBe(true);
    expect(gained).toHaveLength(1);
    expect(gained[0]).toBeGreaterThanOrEqual(250);
    await b.stop();
  });
});
