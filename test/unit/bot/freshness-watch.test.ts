import { dueDay, nextRunAfter } from '../../../bot/freshness-watch.js';

const at = { hour: 6, minute: 0 };

test.each([
  ['2026-11-25T05:59:00Z', '2026-11-25T06:00:00.000Z', '2026-11-24'],
  ['2026-11-25T06:00:00Z', '2026-11-26T06:00:00.000Z', '2026-11-25'],
  ['2026-11-25T23:30:00Z', '2026-11-26T06:00:00.000Z', '2026-11-25'],
  ['2026-12-31T07:00:00Z', '2027-01-01T06:00:00.000Z', '2026-12-31'],
])('at %s the next run is %s and the day due is %s', (now, next, day) => {
  expect(nextRunAfter(new Date(now), at).toISOString()).toBe(next);
  expect(dueDay(new Date(now), at)).toBe(day);
});

test('another time of day', () => {
  expect(nextRunAfter(new Date('2026-11-25T10:00:00Z'), { hour: 18, minute: 45 }).toISOString()).toBe('2026-11-25T18:45:00.000Z');
});
