// Housekeeping that runs hourly in the server (and on demand in tests): expired challenges,
// uploads that never completed within 24 hours, idle console sessions.
import type { Services } from './services.js';
import { addMs, iso } from './time.js';

export interface MaintenanceResult {
  challenges: number;
  uploads: number;
  sessions: number;
}

export async function runMaintenance(services: Services): Promise<MaintenanceResult> {
  const { repos, clock, config, blobs } = services;
  const now = clock.now();
  const challenges = repos.challenges.deleteExpired(iso(now));
  // createdAt is rounded down to the hour, so an upload is purged 24 to 25 hours after it began.
  const stale = repos.attachments.listIncompleteOlderThan(iso(addMs(now, -config.uploadTtlMs)));
  for (const a of stale) {
    await blobs.remove(a.id);
    repos.attachments.delete(a.id);
  }
  if (stale.length > 0) services.audit({ actor: 'system', action: 'attachment.purge_incomplete', details: { count: stale.length } });
  const sessions = repos.sessions.deleteIdleBefore(iso(addMs(now, -config.sessionIdleMs)));
  return { challenges, uploads: stale.length, sessions };
}

/** Runs maintenance now and then every hour; returns a function that stops it. */
export function scheduleMaintenance(services: Services, onError: (error: unknown) => void, everyMs = 60 * 60 * 1000): () => void {
  const tick = () => runMaintenance(services).catch(onError);
  void tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
