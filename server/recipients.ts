// Who a channel's reports are sealed to: the channel's enabled members whom the roster names with
// their current keys (PROTOCOL.md §9), plus the recovery key; and who may read one report: those
// members less the ones its reporter left out. A member the roster does not name (new, added to
// another channel, or reset) is "awaiting approval": listed to nobody as a recipient until a
// member or the root signs them in.
import { fromB64u } from '../crypto/index.js';
import type { ChannelMember } from '../db/repositories/channels.js';
import type { Services } from './services.js';
import { RECOVERY_KEY_SETTING } from '../domain/settings.js';
import { approvedIn, rosterState } from './roster.js';


export function recoveryKeyOf(services: Services): Uint8Array | undefined {
  const value = services.repos.settings.get(RECOVERY_KEY_SETTING);
  return typeof value === 'string' ? fromB64u(value, 32) : undefined;
}

/** The channel's enabled members the roster names with their current keys. */
export function recipientsOf(services: Services, channelId: string): ChannelMember[] {
  const state = rosterState(services);
  // Without this an administrator who adds themselves to a channel, or resets a colleague and opens
  // the link, is listed as a recipient (and handed old reports' keys) before anyone approved them.
  return services.repos.channels.members(channelId).filter((m) => approvedIn(state, channelId, m));
}

/** The channel's enabled members the roster does not name with their current keys: awaiting approval. */
export function awaitingApprovalIn(services: Services, channelId: string): ChannelMember[] {
  const state = rosterState(services);
  return services.repos.channels.members(channelId).filter((m) => !approvedIn(state, channelId, m));
}

/**
 * Who may read one report: its channel's enabled members less those the reporter left out. Only
 * these may be handed its keys, assigned to it, or shown as its members (PROTOCOL.md §9).
 */
export function readersOf(services: Services, report: { id: string; channelId: string }): ChannelMember[] {
  const excluded = new Set(services.repos.reports.excluded(report.id));
  return recipientsOf(services, report.channelId).filter((m) => !excluded.has(m.id));
}
