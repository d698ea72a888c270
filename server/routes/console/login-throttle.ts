// Per-username login throttling: free attempts, then growing waits during which the server does
// not even check credentials. Known users keep their count in their row (it survives restarts);
// unknown usernames get the same treatment from memory, so a 429 says nothing about who exists.
import type { User } from '../../../db/schema.js';
import type { Services } from '../../services.js';
import { iso } from '../../time.js';

/** Failures allowed before the first wait: typing a long passphrase wrong twice is normal. */
export const FREE_FAILURES = 3;
/** The longest wait, reached after 15 failures; from then on it is a lock of one attempt an hour. */
export const MAX_WAIT_MS = 60 * 60 * 1000;
/** Unknown usernames remembered at once; beyond this the oldest are forgotten (bounds memory). */
const MAX_UNKNOWN = 10_000;

/** The wait after `failures` consecutive failures: 1 s after the third, doubling, capped. */
export function waitAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_WAIT_MS);
}

interface Entry {
  failures: number;
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly unknown = new Map<string, Entry>();

  constructor(private readonly services: Services) {}

  /** Milliseconds until `username` may try again (0: now). */
  retryAfterMs(username: string, user: User | undefined): number {
    const now = this.services.clock.now().getTime();
    const until = user ? (user.lockedUntil ? Date.parse(user.lockedUntil) : 0) : (this.unknown.get(username)?.lockedUntil ?? 0);
    return Math.max(0, until - now);
  }

  failed(username: string, user: User | undefined): void {
    const now = this.services.clock.now().getTime();
    // Current: the login handler does not yield between reading the user and this write.
    const failures = (user ? user.failedLogins : (this.unknown.get(username)?.failures ?? 0)) + 1;
    const wait = waitAfter(failures);
    // The same UPDATE for every name (an unknown one matches no row): a write for real users only
    // made their failures measurably slower, which told who exists.
    this.services.repos.users.setLoginFailures(username, failures, wait ? iso(new Date(now + wait)) : null);
    if (user) return;
    this.unknown.delete(username);
    if (this.unknown.size >= MAX_UNKNOWN) this.unknown.delete(this.unknown.keys().next().value!);
    this.unknown.set(username, { failures, lockedUntil: now + wait });
  }

  succeeded(user: User): void {
    if (user.failedLogins !== 0 || user.lockedUntil !== null) this.services.repos.users.update(user.id, { failedLogins: 0, lockedUntil: null });
  }
}
