// Attack: guessing receipt tokens on the reporter API. Guesses hit a global ceiling (there is no
// address to tell guessers apart, and each guess is a new token); a flood past the app's ceiling is
// refused before any lookup, so even a right guess learns nothing then; each receipt's writes have
// a ceiling of their own; and an unknown token costs the same work and time as a known one.
//
// Decision: the unknown-receipt ceiling answers 429 to misses but still serves a receipt that
// exists, so that a flood of guesses cannot lock reporters out of their follow-ups. Guessing itself
// is bounded by the app's global ceiling, and hopeless anyway at 120 bits (PROTOCOL.md §1).
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import t from 'tap';
import { newId, receiptTokenHeader, toB64u } from '../../crypto/index.js';
import { TestReporter } from '../helpers/reporter.js';
import { submitReport } from '../server/routes/console-fixtures.js';
import { addReviewer, isError, unchanged } from '../server/routes/reporter-fixtures.js';
import { sameTime, timingInstance } from './timing.js';

const inst = await timingInstance(t);
const { services, clock } = inst;
const app = await inst.app('reporter');
addReviewer(services, 'alice', ['staff', 'public']);
const reporter = await submitReport(app, 'staff');
const other = await submitReport(app, 'public');

/** A random 32-byte token, made with Node's generator (not in the timed part, and not libsodium's, whose allocations would disturb it). */
const randomToken = () => new Uint8Array(nodeRandomBytes(32));
const followup = (token: Uint8Array) => app.inject({ method: 'GET', url: '/api/followup', headers: { authorization: receiptTokenHeader(token) } });
/** Takes every token a limiter has left, so that the next request meets the ceiling. */
const drain = (limiter: { burst: number; take(key?: string): void }) => {
  for (let i = 0; i <= limiter.burst; i++) {
    try {
      limiter.take();
    } catch {
      return;
    }
  }
  throw new Error('the limiter never ran out');
};
/** The wait a 429 names (one second when, the defence removed, there is none: the clock stays sane). */
const waitOf = (res: { headers: Record<string, unknown> }) => (Number(res.headers['retry-after']) || 1) * 1000;

t.test('guesses meet a global ceiling with Retry-After; the reporter\'s own receipt keeps working', async (t) => {
  clock.advance(10 * 60_000);
  const burst = services.limits.unknownReceipts.burst;
  let answered = 0;
  await unchanged(t, services, 'a run of guesses', async () => {
    for (let i = 0; i < burst; i++) if ((await followup(randomToken())).statusCode === 404) answered++;
  });
  t.equal(answered, burst, `the first ${burst} guesses are answered 404`);
  const limited = await followup(randomToken());
  isError(t, limited, 429, 'SBX_RATE_LIMITED', 'the next guess');
  t.ok(Number(limited.headers['retry-after']) >= 1, `Retry-After: ${String(limited.headers['retry-after'])} s`);
  // Writes with a guessed receipt count against the same ceiling.
  isError(t, await new TestReporter(app).sendMessage('x'), 429, 'SBX_RATE_LIMITED', 'a message with a guessed receipt');

  t.equal((await reporter.followup()).statusCode, 200, 'the reporter still reads the follow-up during the flood');
  t.equal((await reporter.sendMessage('still here')).statusCode, 201, 'and still writes');
  clock.advance(waitOf(limited));
  isError(t, await followup(randomToken()), 404, 'SBX_NOT_FOUND', 'after Retry-After, guesses are answered again');
});

t.test('a flood past the app\'s global ceiling is refused before any lookup, a right receipt included', async (t) => {
  clock.advance(10 * 60_000);
  let lookups = 0;
  const byTag = services.repos.reports.byReceiptTag;
  services.repos.reports.byReceiptTag = (tag) => {
    lookups++;
    return byTag(tag);
  };
  t.teardown(() => {
    services.repos.reports.byReceiptTag = byTag;
  });
  drain(services.limits.reporterGlobal);
  const res = await reporter.followup();
  isError(t, res, 429, 'SBX_RATE_LIMITED', 'the right receipt during the flood');
  t.equal(lookups, 0, 'the receipt was not looked up: a right guess in a flood learns nothing');
  clock.advance(waitOf(res));
  t.equal((await reporter.followup()).statusCode, 200, 'served again after Retry-After');
  t.equal(lookups, 1);
});

t.test('each receipt\'s writes have a ceiling of their own; another receipt is unaffected', async (t) => {
  clock.advance(10 * 60_000);
  const burst = services.limits.followupWrites.burst;
  let accepted = 0;
  for (let i = 0; i < burst; i++) if ((await reporter.sendMessage(`message ${i}`)).statusCode === 201) accepted++;
  t.equal(accepted, burst, `${burst} writes in a burst`);
  const limited = await unchanged(t, services, 'a write past the ceiling', () => reporter.sendMessage('one too many'));
  isError(t, limited, 429, 'SBX_RATE_LIMITED', 'the next write on the same receipt');
  const declared = await unchanged(t, services, 'a file past the ceiling', () => reporter.declareAttachment('a.txt', 'text/plain', new Uint8Array(10)).then((d) => d.res));
  isError(t, declared, 429, 'SBX_RATE_LIMITED', 'declaring a file counts too');
  t.equal((await reporter.followup()).statusCode, 200, 'reading is not a write');
  t.equal((await other.sendMessage('another report')).statusCode, 201, 'another receipt writes as usual');
  clock.advance(waitOf(limited));
  t.equal((await reporter.sendMessage('later')).statusCode, 201, 'after Retry-After');
});

t.test('a known and an unknown token do the same work: one keyed hash, one indexed lookup', async (t) => {
  clock.advance(10 * 60_000);
  const calls = { tag: 0, lookup: 0 };
  const { keys } = services;
  const tagOf = keys.receiptTag.bind(keys);
  const byTag = services.repos.reports.byReceiptTag;
  keys.receiptTag = (token) => {
    calls.tag++;
    return tagOf(token);
  };
  services.repos.reports.byReceiptTag = (tag) => {
    calls.lookup++;
    return byTag(tag);
  };
  t.teardown(() => {
    delete (keys as Partial<typeof keys>).receiptTag;
    services.repos.reports.byReceiptTag = byTag;
  });
  const seen = async (token: Uint8Array) => {
    calls.tag = 0;
    calls.lookup = 0;
    await followup(token);
    return { ...calls };
  };
  t.same(await seen(reporter.keys.receiptToken), { tag: 1, lookup: 1 }, 'known');
  t.same(await seen(randomToken()), { tag: 1, lookup: 1 }, 'unknown');
  const near = Uint8Array.from(reporter.keys.receiptToken);
  near[31]! ^= 1;
  t.same(await seen(near), { tag: 1, lookup: 1 }, 'one bit away from a known one');
});

t.test('timing: a known and an unknown token are answered in the same time', async (t) => {
  // HEAD of a file that is on no report: 404 whether the receipt is known or not, so only the
  // time could tell them apart. (A follow-up read answers 200 to a known token: the answer itself
  // says so, and only the token's owner can send it.)
  const url = `/api/followup/attachments/${newId()}`;
  const head = (token: () => Uint8Array) => () => {
    clock.advance(1000); // keeps every ceiling full: only the lookup is measured
    const authorization = receiptTokenHeader(token());
    return () => app.inject({ method: 'HEAD', url, headers: { authorization } });
  };
  await sameTime(t, 'HEAD of a file on no report',
    { name: 'known token', prepare: head(() => reporter.keys.receiptToken) },
    { name: 'unknown token', prepare: head(randomToken) },
    // A known token's answer also looks the file up (one indexed query, some 20 µs): the margin allows it.
    [404, 404], { relative: 0.15 });
});

t.test('timing: a token one bit away from a real one costs what a random one does', async (t) => {
  const get = (token: () => Uint8Array) => () => {
    clock.advance(1000);
    const authorization = `Receipt ${toB64u(token())}`;
    return () => app.inject({ method: 'GET', url: '/api/followup', headers: { authorization } });
  };
  const near = () => {
    const bytes = Uint8Array.from(reporter.keys.receiptToken);
    bytes[31]! ^= 1 << (bytes.length % 8);
    return bytes;
  };
  await sameTime(t, 'GET /api/followup with unknown tokens',
    { name: 'near-miss token', prepare: get(near) },
    { name: 'random token', prepare: get(randomToken) },
    [404, 404], { band: 0.2 });
});
