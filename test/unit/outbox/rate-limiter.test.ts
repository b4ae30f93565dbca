import { RateLimiter, TEAMS_CONVERSATION_WINDOWS, type Window } from '../../../outbox/rate-limiter.js';

const SECOND = 1_000;
const HOUR = 3_600_000;

/** Sends `count` messages as fast as the limiter allows, starting at `start`; returns the send times. */
function greedy(limiter: RateLimiter, conversation: string, count: number, start = 0): number[] {
  const times: number[] = [];
  let now = start;
  for (let index = 0; index < count; index += 1) {
    const at = limiter.nextAllowed(conversation, now);
    expect(at).toBeGreaterThanOrEqual(now);
    limiter.record(conversation, at);
    times.push(at);
    now = at;
  }
  return times;
}

/** How many of `times` fall in the window (at - ms, at]: the way a sliding window counts at `at`. */
function inWindow(times: readonly number[], at: number, ms: number): number {
  return times.filter((time) => time > at - ms && time <= at).length;
}

/** The largest number of events any window of `ms` ever held. */
function busiest(times: readonly number[], ms: number): number {
  return Math.max(0, ...times.map((time) => inWindow(times, time, ms)));
}

/** One more event at `at` would overflow a window (checked independently of the limiter). */
function wouldOverflow(previous: readonly number[], at: number, windows: readonly Window[]): boolean {
  return windows.some((window) => inWindow(previous, at, window.ms) + 1 > window.max);
}

describe('RateLimiter, per conversation', () => {
  test('knows the Teams limits: 7 per second, 8 per 2 s, 60 per 30 s, 1800 per hour', () => {
    expect(TEAMS_CONVERSATION_WINDOWS).toEqual([
      { ms: 1_000, max: 7 },
      { ms: 2_000, max: 8 },
      { ms: 30_000, max: 60 },
      { ms: 3_600_000, max: 1_800 },
    ]);
  });

  test('a quiet conversation may send at once', () => {
    expect(new RateLimiter(1_000).nextAllowed('c1', 12_345)).toBe(12_345);
  });

  test('the 8th message in a second waits for the first to leave the 1 s window', () => {
    const limiter = new RateLimiter(1_000);
    for (let index = 0; index < 7; index += 1) limiter.record('c1', 0);
    expect(limiter.nextAllowed('c1', 0)).toBe(SECOND);
    expect(limiter.nextAllowed('c1', 999)).toBe(SECOND);
    expect(limiter.nextAllowed('c1', 1_500)).toBe(1_500);
  });

  test('the 9th message in 2 s waits for the first to leave the 2 s window', () => {
    const limiter = new RateLimiter(1_000);
    for (let index = 0; index < 7; index += 1) limiter.record('c1', 0);
    limiter.record('c1', 1_000);
    expect(limiter.nextAllowed('c1', 1_000)).toBe(2_000);
  });

  test('the 61st message in 30 s waits for the first to leave the 30 s window', () => {
    const limiter = new RateLimiter(1_000);
    for (let index = 0; index < 60; index += 1) limiter.record('c1', index * 400); // 2.5 per second: fits 1 s and 2 s
    expect(limiter.nextAllowed('c1', 23_600)).toBe(30_000);
  });

  test('the 1801st message in an hour waits for the first to leave the hour window', () => {
    const limiter = new RateLimiter(1_000);
    for (let index = 0; index < 1_800; index += 1) limiter.record('c1', index * 1_000); // 1 per second: fits 1 s, 2 s and 30 s
    expect(limiter.nextAllowed('c1', 1_800_000)).toBe(HOUR);
    expect(limiter.nextAllowed('c1', HOUR + 5)).toBe(HOUR + 5);
  });

  test('greedy sending of 200 messages never exceeds a window', () => {
    const times = greedy(new RateLimiter(1_000), 'c1', 200);
    for (const window of TEAMS_CONVERSATION_WINDOWS) expect(busiest(times, window.ms)).toBeLessThanOrEqual(window.max);
    for (let index = 1; index < times.length; index += 1) expect(times[index]).toBeGreaterThanOrEqual(times[index - 1]);
  });

  test('greedy sending of 200 messages is tight: each goes at the earliest time a window allows', () => {
    const times = greedy(new RateLimiter(1_000), 'c1', 200);
    for (let index = 1; index < times.length; index += 1) {
      const previous = times.slice(0, index);
      const at = times[index];
      // it fits at its own time …
      expect(wouldOverflow(previous, at, TEAMS_CONVERSATION_WINDOWS)).toBe(false);
      // … and one millisecond earlier would have overflowed a window (unless it went with the one before)
      if (at > times[index - 1]) expect(wouldOverflow(previous, at - 1, TEAMS_CONVERSATION_WINDOWS)).toBe(true);
    }
  });

  test('greedy sending follows the expected schedule: 7 at once, then 8 per 2 s, then the 30 s window', () => {
    const times = greedy(new RateLimiter(1_000), 'c1', 200);
    expect(times.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(times[7]).toBe(1_000);
    expect(times[8]).toBe(2_000);
    expect(inWindow(times, 29_999, 30_000)).toBe(60);
    expect(times[59]).toBeLessThan(30_000);
    expect(times[60]).toBe(30_000);
    // 200 messages take 3 full 30 s windows and part of a fourth
    expect(times[180]).toBe(90_000);
    expect(times[199]).toBeLessThan(120_000);
  });

  test('greedy sending over more than an hour keeps to 1800 per hour and no more', () => {
    const times = greedy(new RateLimiter(1_000), 'c1', 1_805);
    expect(busiest(times, HOUR)).toBe(1_800);
    expect(times[1_799]).toBeLessThan(HOUR);
    expect(times[1_800]).toBe(times[0] + HOUR);
    for (const window of TEAMS_CONVERSATION_WINDOWS) expect(busiest(times, window.ms)).toBeLessThanOrEqual(window.max);
  });

  test('conversations are independent', () => {
    const limiter = new RateLimiter(1_000);
    greedy(limiter, 'busy', 8);
    expect(limiter.nextAllowed('busy', 1_000)).toBe(2_000);
    expect(limiter.nextAllowed('quiet', 1_000)).toBe(1_000);
    const quiet = greedy(limiter, 'quiet', 7, 1_000);
    expect(quiet).toEqual([1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000]);
  });

  test('settling counts the last message from when it was answered', () => {
    const limiter = new RateLimiter(1_000, [{ ms: 1_000, max: 1 }]);
    limiter.record('c1', 0);
    limiter.settle('c1', 400);
    expect(limiter.nextAllowed('c1', 0)).toBe(1_400);
    limiter.settle('c1', 100); // never moves it earlier
    expect(limiter.nextAllowed('c1', 0)).toBe(1_400);
    limiter.settle('unknown', 100);
    expect(limiter.nextAllowed('unknown', 0)).toBe(0);
  });
});

describe('RateLimiter, for the whole bot', () => {
  test('the global rate binds across conversations', () => {
    const limiter = new RateLimiter(10);
    for (let index = 0; index < 7; index += 1) limiter.record('a', 0);
    for (let index = 0; index < 3; index += 1) limiter.record('b', 0);
    expect(limiter.nextAllowed('c', 0)).toBe(1_000);
    expect(limiter.nextAllowed('c', 1_000)).toBe(1_000);
  });

  test('greedy sending to many conversations never exceeds the global rate, and is tight', () => {
    const limiter = new RateLimiter(15);
    const sent: { conversation: string; at: number }[] = [];
    let now = 0;
    for (let index = 0; index < 200; index += 1) {
      const conversation = `c${index % 5}`;
      const at = limiter.nextAllowed(conversation, now);
      limiter.record(conversation, at);
      sent.push({ conversation, at });
      now = at;
    }
    const all = sent.map((entry) => entry.at);
    expect(busiest(all, 1_000)).toBeLessThanOrEqual(15);
    for (let conversation = 0; conversation < 5; conversation += 1) {
      const own = sent.filter((entry) => entry.conversation === `c${conversation}`).map((entry) => entry.at);
      for (const window of TEAMS_CONVERSATION_WINDOWS) expect(busiest(own, window.ms)).toBeLessThanOrEqual(window.max);
    }
    // with 5 conversations at 3 each per second, the global 15 per second is the binding limit
    expect(all.slice(0, 15).every((at) => at === 0)).toBe(true);
    expect(all[15]).toBe(1_000);
    expect(all[199]).toBe(13_000);
  });

  test('a conversation waits for whichever is later: its own windows or the global one', () => {
    const limiter = new RateLimiter(3);
    limiter.record('a', 0);
    limiter.record('a', 0);
    limiter.record('b', 500);
    expect(limiter.nextAllowed('b', 500)).toBe(1_000);
    const own = new RateLimiter(100);
    for (let index = 0; index < 7; index += 1) own.record('a', 0);
    expect(own.nextAllowed('a', 0)).toBe(1_000);
  });
});

describe('RateLimiter handover between senders', () => {
  test('a new sender seeded with the last sender\'s recent sends waits as the last one would have', () => {
    const previous = new RateLimiter(1000);
    for (let at = 0; at < 8; at += 1) previous.record('conv', 1_000 + at * 10);
    previous.record('other', 900);
    const handed = previous.recent(1_100, 30_000);
    expect(handed).toEqual({ conv: [1_000, 1_010, 1_020, 1_030, 1_040, 1_050, 1_060, 1_070], other: [900] });

    const next = new RateLimiter(1000);
    expect(next.nextAllowed('conv', 1_100)).toBe(1_100);
    next.seed(handed, 1_100);
    // eight sends in the 2-second window: the ninth waits until the first of them leaves it
    expect(next.nextAllowed('conv', 1_100)).toBe(3_000);
    expect(next.nextAllowed('other', 1_100)).toBe(1_100);
  });

  test('recent() keeps only the horizon; seed() ignores times older than the longest window', () => {
    const limiter = new RateLimiter(1000);
    limiter.record('conv', 0);
    limiter.record('conv', 40_000);
    expect(limiter.recent(50_000, 30_000)).toEqual({ conv: [40_000] });
    const seeded = new RateLimiter(1000);
    seeded.seed({ conv: [-5_000_000, 49_000] }, 50_000);
    expect(seeded.recent(50_000, 10_000_000)).toEqual({ conv: [49_000] });
  });
});
