// Approval as the console shows it (PROTOCOL.md §9): who awaits approval in which channel, and the
// content-free e-mail that tells a channel's approved members someone does. The server only lists;
// each approver's worker computes the fingerprint from the keys listed here, verifies the roster
// and signs the entry itself.
import type { AwaitingList, AwaitingMember } from '../domain/api.js';
import { toB64u } from '../crypto/index.js';
import { recipientsOf } from './recipients.js';
import { approvedIn, rosterState } from './roster.js';
import type { Services } from './services.js';

/**
 * The members awaiting approval in `channelIds`: `op` is `rekey` when the roster already has the
 * user in that channel (with other keys: after a reset), else `add`. `exceptUserId` is left out.
 */
export function awaitingIn(services: Services, channelIds: readonly string[], exceptUserId?: string): AwaitingMember[] {
  const state = rosterState(services);
  return channelIds.flatMap((channelId) => {
    const members = services.repos.channels.members(channelId);
    const approved = members.filter((m) => approvedIn(state, channelId, m));
    return members
      .filter((m) => m.id !== exceptUserId && !approvedIn(state, channelId, m))
      .map((m) => ({
        channelId, userId: m.id, username: m.username, boxPublicKey: toB64u(m.boxPublicKey), signPublicKey: toB64u(m.signPublicKey),
        op: state?.channels.get(channelId)?.has(m.id) ? 'rekey' as const : 'add' as const,
        approvers: approved.length,
      }));
  });
}

/**
 * GET /api/roster/awaiting for `user`: the others awaiting approval in the user's channels (or,
 * with `everywhere`, everyone awaiting in every channel: the recovery secret may approve anyone,
 * the user included), and the channels where the user awaits approval themselves.
 */
export function awaitingFor(services: Services, user: { id: string }, channelIds: readonly string[], everywhere: boolean): AwaitingList {
  const all = everywhere ? services.repos.channels.list().map((c) => c.id) : channelIds;
  const listed = awaitingIn(services, all);
  const mine = awaitingIn(services, channelIds).filter((a) => a.userId === user.id).map((a) => ({ channelId: a.channelId, op: a.op }));
  return { awaiting: everywhere ? listed : listed.filter((a) => a.userId !== user.id), mine };
}

/**
 * After a user was added to channels or had their keys reset: the approved members of each of
 * those channels where the user now awaits approval, who have e-mail notifications on, are told
 * (one mail each, naming the channels only). Looked up after the response, like every mail.
 */
export function noticeAwaiting(services: Services, pairs: ReadonlyArray<{ userId: string; channelId: string }>): void {
  if (pairs.length === 0) return;
  services.notifier.awaitingApproval(() => {
    const state = rosterState(services);
    const byReader = new Map<string, { email: string; locale: string; channelIds: string[] }>();
    for (const { userId, channelId } of pairs) {
      const member = services.repos.channels.members(channelId).find((m) => m.id === userId);
      // Approved meanwhile, removed again, or disabled: nobody needs to be told.
      if (!member || approvedIn(state, channelId, member)) continue;
      // The member awaits approval here, so is not among the channel's recipients.
      for (const r of recipientsOf(services, channelId)) {
        const reader = services.repos.users.byId(r.id);
        if (!reader?.email || reader.notify === 'none') continue;
        const entry = byReader.get(r.id) ?? { email: reader.email, locale: reader.notifyLocale, channelIds: [] };
        if (!entry.channelIds.includes(channelId)) entry.channelIds.push(channelId);
        byReader.set(r.id, entry);
      }
    }
    return [...byReader.values()].map((r) => ({ ...r, channelIds: r.channelIds.sort() }));
  });
}
