// Who a channel's reports are sealed to: the channel's enabled members, plus the recovery key.
import { fromB64u } from '../crypto/index.js';
import type { ChannelMember } from '../db/repositories/channels.js';
import type { Services } from './services.js';

export const RECOVERY_KEY_SETTING = 'recoveryPublicKey';

export function recoveryKeyOf(services: Services): Uint8Array | undefined {
  const value = services.repos.settings.get(RECOVERY_KEY_SETTING);
  return typeof value === 'string' ? fromB64u(value, 32) : undefined;
}

export const recipientsOf = (services: Services, channelId: string): ChannelMember[] => services.repos.channels.members(channelId);
