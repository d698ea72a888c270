// The roster as the server uses it (PROTOCOL.md §9): it verifies what it stores, and it lists as a
// channel's recipients only the members the roster names with their current keys. The server
// cannot add anyone to the roster (every entry is signed in a member's worker or with the offline
// root key); the pages and consoles verify the roster themselves and do not rely on this filter.
// It is here so that what the server lists, counts and accepts agrees with what they verify.
import { memberFingerprint, namesMember, toB64u, verifyRoster, type RosterEntry, type RosterState, type SignedEntry } from '../crypto/index.js';
import { HttpError } from './errors.js';
import type { Services } from './services.js';

interface Cached {
  count: number;
  state: RosterState | undefined;
}

// One verified state per services object, recomputed when the number of entries changes (the
// roster only grows, so the count names a version; several processes over one database agree).
const cache = new WeakMap<Services, Cached>();

/** The verified roster state, or undefined when there is no roster (or it does not verify). */
export function rosterState(services: Services): RosterState | undefined {
  const count = services.repos.roster.count();
  const hit = cache.get(services);
  if (hit && hit.count === count) return hit.state;
  const checked = count === 0 ? undefined : verifyRoster(services.repos.roster.entries());
  const state = checked?.ok ? checked.state : undefined;
  cache.set(services, { count, state });
  return state;
}

/** Whether the roster names `user` in `channelId` with exactly the keys the user has now. */
export const approvedIn = (state: RosterState | undefined, channelId: string, user: { id: string; boxPublicKey: Uint8Array; signPublicKey: Uint8Array }): boolean =>
  namesMember(state, channelId, user.id, toB64u(user.boxPublicKey), toB64u(user.signPublicKey));

/** A member's fingerprint, as their account page and their colleagues' approval prompt show it. */
export const fingerprintOfUser = (user: { boxPublicKey: Uint8Array; signPublicKey: Uint8Array }): string =>
  memberFingerprint(user.boxPublicKey, user.signPublicKey);

/**
 * Appends one signed entry after checking that the whole roster, with it, still verifies; audited
 * as `roster.append` by `actor`. 409 SBX_ROSTER_SEQ_TAKEN when its seq is taken (another console
 * signed first: read the roster again), 422 SBX_ROSTER_INVALID when it breaks a rule.
 */
export function appendRosterEntry(services: Services, item: SignedEntry, actor: string): number {
  const { repos } = services;
  const seq = item.entry.seq;
  return services.db.transaction(() => {
    const entries = repos.roster.entries();
    if (seq < entries.length) throw new HttpError(409, 'SBX_ROSTER_SEQ_TAKEN', `Entry ${seq} is already taken; read the roster again and sign the next one`);
    const checked = verifyRoster([...entries, item]);
    if (!checked.ok) throw new HttpError(422, 'SBX_ROSTER_INVALID', `The entry does not extend the roster: ${checked.reason}`);
    if (!repos.roster.append(item)) throw new HttpError(409, 'SBX_ROSTER_SEQ_TAKEN', `Entry ${seq} is already taken`);
    const e = item.entry as RosterEntry;
    services.audit({
      actor, action: 'roster.append', target: e.op === 'root' ? null : e.channel,
      details: { seq, op: e.op, ...(e.op === 'remove' ? { userId: e.userId } : e.op === 'root' ? {} : { userId: e.member.userId }) },
    });
    return seq;
  });
}
