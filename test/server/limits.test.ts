// Token buckets without IP addresses: a burst, a refill with the clock, Retry-After in whole
// seconds, one bucket per key, and a bounded number of keys under a flood.
import t from 'tap';
import { HttpError } from '../../server/errors.js';
import { Limits, TokenBuckets } from '../../server/limits.js';
import { TestClock } from '../helpers/instance.js';

function drain(b: TokenBuckets, key = ''): number {
  let n = 0;
  for (;;) {
    try {
      b.take(key);
      n++;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return n;
    }
  }
}

const retryAfter = (b: TokenBuckets, key = ''): number => {
  try {
    b.take(key);
  } catch (error) {
    const e = error as HttpError;
    if (e.statusCode !== 429 || e.code !== 'SBX_RATE_LIMITED') throw error;
    return Number(e.headers['retry-after']);
  }
  throw new Error('expected 429');
};

t.test('a bucket gives its burst, then 429 with Retry-After', async (t) => {
  const clock = new TestClock();
  const b = new TokenBuckets(clock, 5, 60);
  t.equal(drain(b), 5, 'the burst');
  t.equal(retryAfter(b), 1, 'one token per second: back in one second');
  t.equal(retryAfter(b), 1, 'a refused take costs nothing');
});

t.test('refill follows the clock, up to the burst, never beyond', async (t) => {
  const clock = new TestClock();
  const b = new TokenBuckets(clock, 10, 6); // one token every 10 s
  t.equal(drain(b), 10);
  clock.advance(9_999);
  t.equal(drain(b), 0, 'not quite one token yet');
  t.equal(retryAfter(b), 1, 'almost there: one second, rounded up');
  clock.advance(1);
  t.equal(drain(b), 1, 'one token after 10 s');
  clock.advance(35_000);
  t.equal(drain(b), 3, 'three and a half tokens after 35 s: three whole ones');
  clock.advance(5_000);
  t.equal(drain(b), 1, 'the half token left over counts');
  clock.advance(3600_000);
  t.equal(drain(b), 10, 'a long wait refills to the burst, no more');
  // Retry-After for a slow bucket.
  t.equal(retryAfter(b), 10, 'ten seconds per token');
  clock.advance(4_000);
  t.equal(retryAfter(b), 6, 'less once part of the token is back');
});

t.test('a clock stepped back neither mints nor takes tokens', async (t) => {
  const clock = new TestClock();
  const b = new TokenBuckets(clock, 2, 60);
  t.equal(drain(b), 2);
  clock.advance(-3600_000);
  t.equal(drain(b), 0, 'no tokens from a clock moved back');
  t.equal(retryAfter(b), 1, 'and no hour-long lock-out either');
  clock.advance(1000);
  t.equal(drain(b), 1, 'one second later, one token, as ever');
});

t.test('buckets are per key', async (t) => {
  const clock = new TestClock();
  const b = new TokenBuckets(clock, 3, 60);
  t.equal(drain(b, 'a'), 3);
  t.equal(drain(b, 'b'), 3, 'another key has its own burst');
  t.equal(drain(b, 'a'), 0);
  t.equal(drain(b), 3, 'the default key is one more');
});

t.test('a flood of keys is bounded: full buckets are swept, and if none is full all go', async (t) => {
  const clock = new TestClock();
  const b = new TokenBuckets(clock, 2, 60, 4);
  const size = () => (b as unknown as { buckets: Map<string, unknown> }).buckets.size;
  // Four keys, each with one take: none full. The fifth key sweeps: none can go, so all go.
  for (const k of ['a', 'b', 'c', 'd']) b.take(k);
  t.equal(size(), 4);
  b.take('e');
  t.equal(size(), 1, 'no bucket was full, so the map was cleared (erring towards serving)');
  // Refilled buckets are dropped first, and the spent ones are kept.
  b.take('f');
  b.take('f');
  b.take('g');
  b.take('h');
  t.equal(size(), 4);
  clock.advance(1000); // e, g and h have one token back: full again; f has one of two
  b.take('i');
  t.same([...(b as unknown as { buckets: Map<string, unknown> }).buckets.keys()].sort(), ['f', 'i'], 'the full buckets went, f stayed');
  t.equal(drain(b, 'f'), 1, 'f kept its state');
});

t.test('the limits of a process: who is limited how', async (t) => {
  const clock = new TestClock();
  const limits = new Limits(clock);
  t.match(limits.submissions, { burst: 120, perMinute: 120 });
  t.match(limits.unknownReceipts, { burst: 60, perMinute: 120 });
  t.match(limits.followupWrites, { burst: 60, perMinute: 30 });
  t.match(limits.reporterGlobal, { burst: 5000, perMinute: 30_000 });
  t.match(limits.logins, { burst: 60, perMinute: 120 });
  t.equal(drain(limits.followupWrites, 'tag-1'), 60);
  t.equal(drain(limits.followupWrites, 'tag-2'), 60, 'per receipt tag');
  t.equal(retryAfter(limits.followupWrites, 'tag-1'), 2, '30 per minute: one every two seconds');
  t.match(new Limits(clock, 600).submissions, { burst: 600, perMinute: 600 }, 'the submission ceiling is configurable');
  t.match(new Limits(clock, 600, 1200).reporterGlobal, { burst: 1200, perMinute: 1200 }, 'the reporter-app ceiling is configurable');
  t.match(new Limits(clock).reporterGlobal, { burst: 5000, perMinute: 30_000 }, 'the reporter-app ceiling defaults to 30,000 a minute');
});
