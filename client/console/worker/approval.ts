// Approving a member into a channel's roster (PROTOCOL.md §9), in the console's worker: the roster
// is read and verified here, never taken on the server's word; the entry (`add`, or `rekey` after a
// reset) names exactly the keys whose fingerprint the approver compared, and is signed here with
// the approver's signing key or with the root key the recovery secret gives. The server only
// stores what verifies.
import {
  fromB64u, keyIdOf, memberFingerprint, namesMember, signEntry, verifyRoster, type RosterEntry, type RosterState, type SignedEntry, type SignKeyPair,
} from '../../../crypto/index.js';
import { api, ApiError, type Http } from '../api.js';
import type { ApprovalOp } from '../../../domain/api.js';

/** Why an approval was refused before anything was signed; the page says each in words. */
export type ApprovalErrorCode =
  | 'SBX_ROSTER_UNVERIFIED' // the roster the server served does not verify: sign nothing on top of it
  | 'SBX_NOT_APPROVED_SELF' // the approver is not a member of the channel with their current keys
  | 'SBX_SELF_APPROVAL' // nobody approves their own keys
  | 'SBX_BAD_MEMBER_KEYS' // the listed keys are not two 32-byte public keys
  | 'SBX_RECOVERY_SECRET_TYPO' // what was typed is not a recovery secret (length, character, check symbol)
  | 'SBX_WRONG_RECOVERY_SECRET'; // a recovery secret, but not the one whose root began this roster

export class ApprovalError extends Error {
  constructor(readonly code: ApprovalErrorCode, message: string) {
    super(message);
    this.name = 'ApprovalError';
  }
}

/** A member awaiting approval, as GET /api/roster/awaiting lists them. */
export interface MemberToApprove {
  channelId: string;
  userId: string;
  username: string;
  boxPublicKey: string;
  signPublicKey: string;
}

export interface Approval {
  /** The fingerprint of the keys the entry names, computed here: what the page shows as approved. */
  fingerprint: string;
  /** What was signed; null when the roster already named these keys (another member was quicker). */
  op: ApprovalOp | null;
  seq: number | null;
}

export interface VerifiedRoster {
  entries: SignedEntry[];
  state: RosterState;
  /** The hash of the last entry: the next entry's `prev`. */
  last: string;
}

/** GET /api/roster, verified from seq 0; a roster that does not verify is refused whole. */
export async function verifiedRoster(http: Http): Promise<VerifiedRoster> {
  const { entries } = await api<{ entries: SignedEntry[] }>(http, 'GET', '/api/roster');
  const checked = verifyRoster(entries);
  // Signing on top of a roster that does not verify would extend whatever the server made up.
  if (!checked.ok) throw new ApprovalError('SBX_ROSTER_UNVERIFIED', `the roster does not verify (entry ${checked.seq}): ${checked.reason}`);
  return { entries, state: checked.state, last: checked.hashes.at(-1)! };
}

/** The fingerprint of a member's listed keys; throws SBX_BAD_MEMBER_KEYS when they are not keys. */
export function fingerprintOfKeys(member: Pick<MemberToApprove, 'boxPublicKey' | 'signPublicKey'>): string {
  try {
    return memberFingerprint(fromB64u(member.boxPublicKey, 32, 'box public key'), fromB64u(member.signPublicKey, 32, 'sign public key'));
  } catch {
    throw new ApprovalError('SBX_BAD_MEMBER_KEYS', 'the listed keys are not public keys');
  }
}

/**
 * Signs `member` into their channel with `signer` and appends the entry: `check` sees the verified
 * state first and throws to refuse. `add` for a user the channel's roster lacks, `rekey` for one
 * it has with other keys; nothing when it already names these keys. When another console took
 * the seq meanwhile (409), the roster is read, checked and signed on once more.
 */
export async function signApproval(http: Http, member: MemberToApprove, signer: SignKeyPair, check: (state: RosterState) => void, retry = true): Promise<Approval> {
  const fingerprint = fingerprintOfKeys(member);
  const roster = await verifiedRoster(http);
  check(roster.state);
  if (namesMember(roster.state, member.channelId, member.userId, member.boxPublicKey, member.signPublicKey)) {
    return { fingerprint, op: null, seq: null };
  }
  const op: ApprovalOp = roster.state.channels.get(member.channelId)?.has(member.userId) ? 'rekey' : 'add';
  const entry: RosterEntry = {
    v: 1, seq: roster.entries.length, prev: roster.last, at: new Date().toISOString(), by: keyIdOf(signer.publicKey), op, channel: member.channelId,
    // The label is the username: accounts have no other display name yet, and it is what the
    // approver saw and compared (reporters see it beside the channel's recipients).
    member: { userId: member.userId, label: member.username, boxPublicKey: member.boxPublicKey, signPublicKey: member.signPublicKey },
  };
  try {
    const res = await api<{ seq: number }>(http, 'POST', '/api/roster', signEntry(entry, signer.secretKey));
    return { fingerprint, op, seq: res.seq };
  } catch (error) {
    // Another console signed the next entry first: read the roster again and sign on it, once.
    if (retry && error instanceof ApiError && error.status === 409) return signApproval(http, member, signer, check, false);
    throw error;
  }
}
