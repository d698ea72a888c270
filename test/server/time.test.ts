// Times as the server stores them: reporter events rounded down to the hour.
import t from 'tap';
import { addMs, hourFloor, iso, systemClock } from '../../server/time.js';

t.test('hourFloor drops minutes, seconds and milliseconds, in UTC', async (t) => {
  t.equal(hourFloor(new Date('2026-11-28T16:05:00.000Z')), '2026-11-28T16:00:00.000Z');
  t.equal(hourFloor(new Date('2026-11-28T16:59:59.999Z')), '2026-11-28T16:00:00.000Z');
  t.equal(hourFloor(new Date('2026-11-28T16:00:00.000Z')), '2026-11-28T16:00:00.000Z', 'on the hour stays');
  t.equal(hourFloor(new Date('2026-12-31T23:59:59.999Z')), '2026-12-31T23:00:00.000Z');
  t.equal(hourFloor(new Date('2027-01-01T00:00:00.001Z')), '2027-01-01T00:00:00.000Z');
  // A zone with a half-hour offset would round to :30 in local time; the server rounds in UTC.
  t.equal(hourFloor(new Date('2026-11-28T21:35:00+05:30')), '2026-11-28T16:00:00.000Z');
  const d = new Date('2026-11-28T16:05:00.000Z');
  hourFloor(d);
  t.equal(d.toISOString(), '2026-11-28T16:05:00.000Z', 'the argument is not changed');
});

t.test('iso, addMs and the system clock', async (t) => {
  t.equal(iso(new Date(0)), '1970-01-01T00:00:00.000Z');
  t.equal(iso(addMs(new Date('2026-11-28T16:05:00.000Z'), 3600_000)), '2026-11-28T17:05:00.000Z');
  t.equal(iso(addMs(new Date('2026-11-28T16:05:00.000Z'), -1)), '2026-11-28T16:04:59.999Z');
  const before = Date.now();
  const now = systemClock.now().getTime();
  t.ok(now >= before && now <= Date.now(), 'the system clock is the real time');
});
