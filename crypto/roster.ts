// The roster of PROTOCOL.md §9: who may read a channel, as a hash chain of signed entries that
// every verifier (the reporting page, each console, the watcher, the CLI) checks from the first
// entry with the same rules. The server stores and serves it but cannot add a recipient: only the
// unit's root key (derived from the offline recovery secret) or a current member of a channel
// signs an entry that changes that channel.
import { base32Encode } from './base32.js';
import { checkLength, concatBytes, fromB64u, toB64u, utf8 } from './encoding.js';
import { SealboxCryptoError } from './errors.js';
import { keyIdOf } from './keys.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';

/** Every signature and hash of an entry is over this prefix and the entry's canonical JSON. */
const ROSTER_PREFIX = 'sealbox/v1/roster/';
const FINGERPRINT_PREFIX = 'sealbox/v1/fingerprint/';

export interface SignKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export interface RosterMember {
  userId: string;
  /** What reporters see: a display name, not the login name. */
  label: string;
  boxPublicKey: string;
  signPublicKey: string;
}

interface EntryCommon {
  v: 1;
  seq: number;
  /** b64u of the previous entry's hash; 32 zero bytes for seq 0. */
  prev: string;
  /** ISO time of signing. */
  at: string;
  /** The signer's key id: b64u(BLAKE2b-128(signPublicKey)). */
  by: string;
}

export type RosterEntry = EntryCommon & (
  | { op: 'root'; root: { signPublicKey: string }; recovery: { boxPublicKey: string } }
  | { op: 'add' | 'rekey'; channel: string; member: RosterMember }
  | { op: 'remove'; channel: string; userId: string }
);

/** An entry as it travels: `{"entry": {…}, "sig": b64u(64)}`. */
export interface SignedEntry {
  entry: RosterEntry;
  sig: string;
}

/** The roster state: the root, the recovery key it names, and per channel the members by user id. */
export interface RosterState {
  rootSignPublicKey: Uint8Array;
  recoveryBoxPublicKey: Uint8Array;
  channels: Map<string, Map<string, RosterMember>>;
}

export type RosterCheck =
  | { ok: true; state: RosterState; hashes: string[] }
  | { ok: false; seq: number; reason: string };

/** The root signing key pair: `crypto_sign_seed_keypair(kdf(32, 1, "sbxroot1", recoverySecretKey))`. */
export function rootKeysOf(recoverySecretKey: Uint8Array): SignKeyPair {
  checkLength(recoverySecretKey, 32, 'recovery secret key');
  const seed = s.crypto_kdf_derive_from_key(32, 1, 'sbxroot1', recoverySecretKey);
  const pair = s.crypto_sign_seed_keypair(seed);
  s.memzero(seed);
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/** `K3F9Q-2MX7D-R8TZA-0HN4W`: the first 20 Crockford symbols of BLAKE2b-128 over the prefix and `publicBytes`. */
export function fingerprintOf(publicBytes: Uint8Array): string {
  const hash = s.crypto_generichash(16, concatBytes(utf8(FINGERPRINT_PREFIX), publicBytes));
  const symbols = base32Encode(hash, PARAMS.receiptAlphabet).slice(0, 20);
  return symbols.match(/.{5}/g)!.join('-');
}

/** A member's fingerprint: over `boxPublicKey ‖ signPublicKey`. */
export const memberFingerprint = (boxPublicKey: Uint8Array, signPublicKey: Uint8Array): string =>
  fingerprintOf(concatBytes(checkLength(boxPublicKey, 32, 'box public key'), checkLength(signPublicKey, 32, 'sign public key')));

/**
 * Canonical JSON (RFC 8785 for the roster's subset): object keys sorted by code point, no
 * whitespace, integers only, strings as JSON.stringify writes them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'roster numbers are integers');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'roster entries hold JSON values only');
}

const signedBytes = (entry: RosterEntry): Uint8Array => utf8(ROSTER_PREFIX + canonicalJson(entry));

export function signEntry(entry: RosterEntry, signSecretKey: Uint8Array): SignedEntry {
  checkLength(signSecretKey, 64, 'sign secret key');
  return { entry, sig: toB64u(s.crypto_sign_detached(signedBytes(entry), signSecretKey)) };
}

/** `BLAKE2b-256(prefix ‖ canon(entry) ‖ sig)`: what the next entry's `prev` names. */
export function entryHash(item: SignedEntry): Uint8Array {
  return s.crypto_generichash(32, concatBytes(signedBytes(item.entry), fromB64u(item.sig, 64, 'signature')));
}

/** The `prev` of the first entry: 32 zero bytes. */
// Written out rather than computed: this module loads before libsodium is ready (a browser worker
// imports it first), so nothing at its top level may call into libsodium.
export const FIRST_PREV = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function key(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw new Error(`${what} is missing`);
  return fromB64u(text, 32, what);
}

function checkMember(m: unknown): RosterMember {
  const member = m as RosterMember | undefined;
  if (!member || !isText(member.userId) || typeof member.label !== 'string') throw new Error('member lacks userId or label');
  key(member.boxPublicKey, 'member box public key');
  key(member.signPublicKey, 'member sign public key');
  return { userId: member.userId, label: member.label, boxPublicKey: member.boxPublicKey, signPublicKey: member.signPublicKey };
}

/**
 * Applies every rule of PROTOCOL.md §9, in order, from seq 0: `seq` and `prev` chain; the
 * signature verifies under `by`'s key; `root` only at seq 0, signed by the key it names; `add`
 * for a user not yet in the channel and `rekey` for one who is, each signed by the root or by a
 * current member of that channel other than the member concerned; `remove` signed by the root or
 * any current member of the channel. One failure rejects the whole roster, never part of it.
 */
export function verifyRoster(items: readonly SignedEntry[]): RosterCheck {
  let state: RosterState | undefined;
  let prev = FIRST_PREV;
  const hashes: string[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      const item = items[i]!;
      const e = item.entry as RosterEntry & Record<string, unknown>;
      if (typeof e !== 'object' || e === null || e.v !== 1 || e.seq !== i) throw new Error('seq does not follow, or v is not 1');
      if (e.prev !== prev) throw new Error('prev does not name the previous entry');
      if (!isText(e.at) || !isText(e.by)) throw new Error('at or by is missing');
      let signer: Uint8Array;
      if (i === 0) {
        if (e.op !== 'root') throw new Error('the first entry is not the root');
        signer = key(e.root?.signPublicKey, 'root sign public key');
      } else {
        if (e.op === 'root') throw new Error('a root entry after seq 0');
        if (e.op !== 'add' && e.op !== 'rekey' && e.op !== 'remove') throw new Error(`unknown op ${String(e.op)}`);
        if (!isText(e.channel)) throw new Error('channel is missing');
        const members = state!.channels.get(e.channel) ?? new Map<string, RosterMember>();
        const concerned = e.op === 'remove' ? undefined : checkMember(e.member).userId;
        let found: Uint8Array | undefined;
        if (e.by === keyIdOf(state!.rootSignPublicKey)) found = state!.rootSignPublicKey;
        else {
          for (const [userId, m] of members) {
            if (keyIdOf(fromB64u(m.signPublicKey, 32)) !== e.by) continue;
            // Nobody approves themselves: a member's new keys need someone else's signature.
            if (userId === concerned) throw new Error(`a member signs their own ${e.op}`);
            found = fromB64u(m.signPublicKey, 32);
          }
        }
        if (!found) throw new Error(`the signer is neither the root nor a member of ${e.channel}`);
        signer = found;
      }
      if (e.by !== keyIdOf(signer)) throw new Error('by is not the signer\'s key id');
      if (!s.crypto_sign_verify_detached(fromB64u(item.sig, 64, 'signature'), signedBytes(e), signer)) throw new Error('the signature does not verify');
      if (e.op === 'root') {
        state = { rootSignPublicKey: signer, recoveryBoxPublicKey: key(e.recovery?.boxPublicKey, 'recovery box public key'), channels: new Map() };
      } else if (e.op === 'add' || e.op === 'rekey') {
        const member = checkMember(e.member);
        const channel = state!.channels.get(e.channel) ?? new Map<string, RosterMember>();
        const present = channel.has(member.userId);
        if ((e.op === 'add') === present) throw new Error(`${e.op} of a user ${present ? 'already' : 'not'} in the channel`);
        channel.set(member.userId, member);
        state!.channels.set(e.channel, channel);
      } else {
        const channel = state!.channels.get(e.channel);
        if (!isText(e.userId) || !channel?.has(e.userId)) throw new Error('remove of a non-member');
        channel.delete(e.userId);
      }
      prev = toB64u(entryHash(item));
      hashes.push(prev);
    } catch (error) {
      return { ok: false, seq: i, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  if (!state) return { ok: false, seq: 0, reason: 'the roster is empty' };
  return { ok: true, state, hashes };
}

/**
 * Whether a verified roster state names `userId` in `channelId` with this box public key and, when
 * given, this signing public key (both b64u): the one test of "the roster names this member with
 * these keys" that the server, the pages, the consoles and the CLI all apply.
 */
export function namesMember(state: RosterState | undefined, channelId: string, userId: string, boxPublicKey: string, signPublicKey?: string): boolean {
  const member = state?.channels.get(channelId)?.get(userId);
  return member !== undefined && member.boxPublicKey === boxPublicKey && (signPublicKey === undefined || member.signPublicKey === signPublicKey);
}

/** The members of one channel in a verified roster state. */
export const membersOf = (state: RosterState, channelId: string): RosterMember[] => [...(state.channels.get(channelId)?.values() ?? [])];
