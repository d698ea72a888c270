// Who a channel's reports are sealed to: the channel's enabled members, plus the recovery key;
// and who may read one report: those members less the ones its reporter left out.
import { fromB64u } from '../crypto/index.js';
import type { ChannelMember } from '../db/repositories/channels.js';
import type { Services } from './services.js';
import { RECOVERY_KEY_SETTING } from '../domain/settings.js';


export function recoveryKeyOf(services: Services): Uint8Array | undefined {
  const value = services.repos.settings.get(RECOVERY_KEY_SETTING);
  return typeof value === 'string' ? fromB64u(value, 32) : undefined;
}

export const recipientsOf = (services: Services, channelId: string): ChannelMember[] => services.repos.channels.members(channelId);

/**
 * Who may read one report: its channel's enabled members less those the reporter left out. Only
 * these may be handed its keys, assigned to it, or shown as its members (PROTOCOL.md §9).
 */
export function readersOf(services: Services, report: { id: string; channelId: string }): ChannelMember[] {
  const excluded = new Set(services.repos.reports.excluded(report.id));
  return recipientsOf(services, report.channelId).filter((m) => !excluded.has(m.id));
}
