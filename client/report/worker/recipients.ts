// Whom the reporting page seals a report to (PROTOCOL.md §9): not whom the server lists, but the
// members the roster names for the channel, with the keys it names, and the recovery key its root
// entry names. The roster is verified here, in the worker, from its first entry; a recipient the
// server lists but the roster lacks (or lists with another key) is left out, and a roster that does
// not verify stops the submission. What the roster cannot prove is that its root is this unit's:
// the page shows the unit fingerprint for the reporter to compare with the one the unit publishes.
import { fingerprintOf, fromB64u, keyIdOf, namesMember, toB64u, verifyRoster, type RosterState, type SignedEntry } from '../../../crypto/index.js';
import type { ChannelsResponse, Recipient } from '../../../domain/api.js';
import { getJson, type Http } from './http.js';

/** What the page is told about the roster: its fingerprint and how many listed recipients it dropped, or why it failed. */
export type RosterVerdict =
  | { ok: true; unitFingerprint: string; entries: number; unverified: Record<string, number> }
  | { ok: false; reason: string };

export interface VerifiedChannels {
  /** The channels as served, with only the recipients the roster names, and the root's recovery key. */
  channels: ChannelsResponse;
  roster: RosterVerdict;
}

/** The roster did not verify, or no longer names someone the page was about to seal to. */
export class RosterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosterError';
  }
}

/** Whether `r` is a member of `channelId` in the roster state, with the same box key, and a key id that is that key's. */
function named(state: RosterState, channelId: string, r: Recipient): boolean {
  if (!namesMember(state, channelId, r.userId, r.publicKey)) return false;
  // A key id that names another key would let the server pair a verified key with someone else's envelope slot.
  try {
    return keyIdOf(fromB64u(r.publicKey, 32)) === r.keyId;
  } catch {
    return false;
  }
}

/** GET /api/channels and GET /api/roster, the roster verified and the recipients filtered through it. */
export async function verifiedChannels(http: Http): Promise<VerifiedChannels> {
  const [served, roster] = await Promise.all([
    getJson<ChannelsResponse>(http, '/api/channels'),
    getJson<{ entries: SignedEntry[] }>(http, '/api/roster'),
  ]);
  const checked = verifyRoster(Array.isArray(roster?.entries) ? roster.entries : []);
  if (!checked.ok) {
    // Nothing is sealed to anyone the server names when the roster does not hold together.
    return {
      channels: { channels: served.channels.map((c) => ({ ...c, recipients: [] })), recoveryKey: null },
      roster: { ok: false, reason: `entry ${checked.seq}: ${checked.reason}` },
    };
  }
  const { state } = checked;
  const unverified: Record<string, number> = {};
  const channels = served.channels.map((c) => {
    const recipients = c.recipients.filter((r) => named(state, c.id, r));
    unverified[c.id] = c.recipients.length - recipients.length;
    return { ...c, recipients };
  });
  const recovery = state.recoveryBoxPublicKey;
  return {
    channels: { channels, recoveryKey: { keyId: keyIdOf(recovery), publicKey: toB64u(recovery) } },
    roster: { ok: true, unitFingerprint: fingerprintOf(state.rootSignPublicKey), entries: checked.hashes.length, unverified },
  };
}

/**
 * The keys a report in `channelId` is sealed to, read again from the server and the roster at the
 * moment of sealing: the channel's verified recipients less those the reporter left out, and the
 * root's recovery key. Throws RosterError when the roster does not verify.
 */
export async function sealingTargets(http: Http, channelId: string, excluded: readonly string[]): Promise<{ keys: Array<{ keyId: string; publicKey: string; userId?: string }>; excluded: string[] }> {
  const verified = await verifiedChannels(http);
  if (!verified.roster.ok) throw new RosterError(`the recipients could not be verified: ${verified.roster.reason}`);
  const channel = verified.channels.channels.find((c) => c.id === channelId);
  if (!channel) throw new RosterError('the channel is gone');
  // Only members the roster names can be left out: a stale choice names nobody.
  const left = channel.recipients.filter((r) => excluded.includes(r.userId)).map((r) => r.userId);
  const kept = channel.recipients.filter((r) => !left.includes(r.userId));
  if (channel.recipients.length > 0 && kept.length === 0) throw new RosterError('at least one recipient must receive the report');
  return {
    keys: [...kept.map((r) => ({ userId: r.userId, keyId: r.keyId, publicKey: r.publicKey })), verified.channels.recoveryKey!],
    excluded: left,
  };
}
