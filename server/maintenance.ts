// Housekeeping that runs hourly in the server (and on demand in tests): expired challenges,
// uploads that never completed within 24 hours, idle console sessions, and closed reports past
// their retention (server/retention.ts), and once a day the notification digests and reminders
// (server/notifications/notifier.ts).
import type { DailyResult } from './notifications/notifier.js';
import { purgeExpired } from './retention.js';
import type { Services } from './services.js';
import { addMs, iso } from './time.js';

export interface MaintenanceResult {
  challenges: number;
  uploads: number;
  sessions: number;
  /** Closed reports deleted at the end of their retention. */
  reports: number;
  /** The day's digests and reminders queued, or null when it was not time for them. */
  notifications: DailyResult | null;
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
  // A crash inside blobs.remove() can leave a zeroed file renamed for deletion: finish the job.
  await blobs.sweepRemoved();
  const sessions = repos.sessions.deleteIdleBefore(iso(addMs(now, -config.sessionIdleMs)));
  const purge = await purgeExpired(services);
  const notifications = services.notifier.daily(now) ?? null;
  return { challenges, uploads: stale.length, sessions, reports: purge.counts.reports, notifications };
}

/** Runs maintenance now and then every hour; returns a function that stops it. */
export function scheduleMaintenance(services: Services, onError: (error: unknown) => void, everyMs = 60 * 60 * 1000): () => void {
  const tick = () => runMaintenance(services).catch(onError);
  void tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
