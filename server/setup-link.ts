// The one-time link `serve` prints while the instance has no administrator.
import { randomBytes, toB64u } from '../crypto/index.js';
import type { Services } from './services.js';
import { addMs, iso } from './time.js';

/** A `setup` token for the first administrator, when there are no users yet; stored only hashed. */
export function createSetupToken(services: Services, ttlMs = 24 * 60 * 60 * 1000): string | undefined {
  if (services.repos.users.count() > 0) return undefined;
  const token = toB64u(randomBytes(32));
  const now = services.clock.now();
  services.repos.oneTimeTokens.create({
    tokenHash: services.keys.lookupHash(token), kind: 'setup', role: 'admin', channels: null, username: null, createdBy: null,
    createdAt: iso(now), expiresAt: iso(addMs(now, ttlMs)), usedAt: null,
  });
  services.audit({ actor: 'system', action: 'setup.link_issued' });
  return token;
}

export function setupLink(services: Services, consoleUrl: string): string | undefined {
  const token = createSetupToken(services);
  return token ? `${services.config.consoleUrl ?? consoleUrl}/#/setup/${token}` : undefined;
}
