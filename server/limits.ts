// Abuse limits that need no IP address: token buckets keyed by what the request proves it holds
// (a receipt tag, a username) or by nothing at all (global ceilings per kind of request).
import { rateLimited } from './errors.js';
import type { Clock } from './time.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** A token bucket: `burst` requests at once, refilled at `perMinute`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly clock: Clock, readonly burst: number, readonly perMinute: number, private readonly maxKeys = 100_000) {}

  /** Takes one token for `key`, or throws 429 with Retry-After when there is none. */
  take(key = ''): void {
    const now = this.clock.now().getTime();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    // A clock stepped back (NTP) must not take tokens away: that would lock everyone out for as
    // long as the step, the global ceilings included.
    b.tokens = Math.min(this.burst, b.tokens + Math.max(0, now - b.at) * rate);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      throw rateLimited((1 - b.tokens) / rate / 1000);
    }
    b.tokens -= 1;
    // Full buckets carry no information; dropping them bounds memory under a flood of keys.
    if (this.buckets.size >= this.maxKeys) this.sweep(now, rate);
    this.buckets.set(key, b);
  }

  private sweep(now: number, rate: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.burst) this.buckets.delete(k);
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}

/** The limits of one server process (in memory: a restart forgets them, which errs towards serving). */
export class Limits {
  /** New submissions, all reporters together: a flood costs PoW and still hits this ceiling. */
  readonly submissions: TokenBuckets;
  /** Receipt lookups that found nothing: guessing is hopeless at 120 bits, this bounds the load. */
  readonly unknownReceipts: TokenBuckets;
  /** Writes per report (messages, attachments), keyed by the receipt tag, never the token. */
  readonly followupWrites: TokenBuckets;
  /** Everything else on the reporter app. */
  readonly reporterGlobal: TokenBuckets;
  /** Login attempts, all users together (per-user slowdown and lock are in the database). */
  readonly logins: TokenBuckets;

  constructor(clock: Clock, submissionsPerMinute = 120, reporterRequestsPerMinute = 30_000) {
    this.submissions = new TokenBuckets(clock, submissionsPerMinute, submissionsPerMinute);
    this.unknownReceipts = new TokenBuckets(clock, 60, 120);
    this.followupWrites = new TokenBuckets(clock, 60, 30);
    this.reporterGlobal = new TokenBuckets(clock, Math.min(5000, reporterRequestsPerMinute), reporterRequestsPerMinute);
    this.logins = new TokenBuckets(clock, 60, 120);
  }
}
