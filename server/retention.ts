// Retention (EU Directive 2019/1937, Articles 17 and 18): when a closed report is deleted, and the
// purge that deletes it, run hourly by the server (server/maintenance.ts) and by `sealbox purge`.
//
// A closed report is deleted `retentionDays` after it was closed (its channel's setting, default
// 365), or `shortRetentionDays` after (default 30) when it was closed as `spam` or `duplicate`, and
// never before its `retainUntil`, which a reviewer sets with a reason (routes/console/retention.ts).
// Open reports are never deleted. Deleting removes every row of the report (by cascade: content,
// key envelopes, messages, notes, attachments, assignees, read markers), overwrites its files with
// zeros before unlinking them, and leaves one audit event, `report.purged`, that names the report
// and its channel and nothing else.
import type { RetentionFields } from '../db/repositories/retention.js';
import type { ReportRow } from '../db/schema.js';
import { SHORT_RETENTION_OUTCOMES } from '../domain/vocabulary.js';
import type { Services } from './services.js';
import { addMs, iso } from './time.js';
import { PENDING_BLOBS_SETTING } from '../domain/settings.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Outcomes kept only `shortRetentionDays`: spam is manifestly irrelevant, and a duplicate's facts
 * are in the report it duplicates (Article 17: delete what is manifestly not relevant). PROTOCOL.md
 * has no `incomplete` outcome; a report too incomplete to assess is closed as one of these two or
 * as `no_action` (kept the full period), at the reviewer's judgement.
 */
/** The console warns this long before a report is deleted. */
export const RETENTION_WARNING_MS = 72 * 60 * 60 * 1000;
/** How far ahead of today one extension may reach; a later extension can go further. */
export const MAX_EXTENSION_DAYS = 3650;
/**
 * Attachment ids whose rows are deleted but whose files may still exist. Rows go first, in the
 * purge's transaction that also records the ids here, then the files: a crash in between leaves
 * ids here for the next run, never a report whose files are gone while a reviewer extended it.
 */
/** Reports deleted per transaction (one fsync each); the event loop runs between batches. */
const PURGE_BATCH = 100;

export interface RetentionRules {
  retentionDays: number;
  shortRetentionDays: number;
}

type DeletionFields = Pick<ReportRow, 'status' | 'closedAt' | 'outcome' | 'retainUntil'>;

/** When the purge deletes the report (ISO 8601), or null while it is open. */
export function deleteAtOf(report: DeletionFields, rules: RetentionRules): string | null {
  if (report.status !== 'closed' || report.closedAt === null) return null;
  const short = report.outcome !== null && SHORT_RETENTION_OUTCOMES.includes(report.outcome);
  const due = iso(addMs(new Date(report.closedAt), (short ? rules.shortRetentionDays : rules.retentionDays) * DAY_MS));
  // ISO 8601 UTC text compares as time.
  return report.retainUntil !== null && report.retainUntil > due ? report.retainUntil : due;
}

/** `deleteAtOf` with each channel's rules read once: an inbox page spans a few channels. */
export function deletionDates(services: Services): (report: DeletionFields & Pick<ReportRow, 'channelId'>) => string | null {
  const rules = new Map<string, RetentionRules | undefined>();
  return (report) => {
    if (!rules.has(report.channelId)) rules.set(report.channelId, services.repos.channels.rules(report.channelId));
    const r = rules.get(report.channelId);
    return r ? deleteAtOf(report, r) : null;
  };
}

export interface PurgedReport {
  id: string;
  channelId: string;
  closedAt: string;
  deleteAt: string;
  /** Its attachments (files), each removed with the report. */
  attachments: number;
}

export interface PurgeResult {
  dryRun: boolean;
  /** The time the purge went by. */
  at: string;
  /** Deleted, or with `dryRun` due for deletion; oldest closure first. */
  reports: PurgedReport[];
  counts: {
    reports: number;
    attachments: number;
    /** Files overwritten and removed (with `dryRun`: to be), including any a crash left behind. */
    blobs: number;
  };
}

/** Every report due for deletion at `at`. */
function dueReports(services: Services, at: string): Array<RetentionFields & { deleteAt: string }> {
  const { repos } = services;
  const due: Array<RetentionFields & { deleteAt: string }> = [];
  for (const channel of repos.channels.list()) {
    const rules = { retentionDays: channel.retentionDays, shortRetentionDays: channel.shortRetentionDays };
    // Nothing closed after this can be due, whatever its outcome.
    const cutoff = iso(addMs(new Date(at), -Math.min(rules.retentionDays, rules.shortRetentionDays) * DAY_MS));
    for (const report of repos.retention.closedUpTo(channel.id, cutoff)) {
      const deleteAt = deleteAtOf(report, rules);
      if (deleteAt !== null && deleteAt <= at) due.push({ ...report, deleteAt });
    }
  }
  return due.sort((a, b) => (a.closedAt! < b.closedAt! ? -1 : a.closedAt! > b.closedAt! ? 1 : 0));
}

/**
 * Deletes every report due at the clock's time (see the top of this file). With `dryRun` it
 * changes nothing and says what it would delete.
 */
export async function purgeExpired(services: Services, options: { dryRun?: boolean } = {}): Promise<PurgeResult> {
  const { repos, db } = services;
  const at = iso(services.clock.now());
  const due = dueReports(services, at);
  const pending = repos.settings.get(PENDING_BLOBS_SETTING) ?? [];

  if (options.dryRun) {
    const reports = due.map((r) => ({
      id: r.id, channelId: r.channelId, closedAt: r.closedAt!, deleteAt: r.deleteAt, attachments: repos.attachments.listForReport(r.id).length,
    }));
    const attachments = reports.reduce((n, r) => n + r.attachments, 0);
    return { dryRun: true, at, reports, counts: { reports: reports.length, attachments, blobs: attachments + pending.length } };
  }

  const purged: PurgedReport[] = [];
  let blobs = 0;
  for (let i = 0; i < due.length; i += PURGE_BATCH) {
    const batch = due.slice(i, i + PURGE_BATCH);
    purged.push(...db.transaction(() => batch.flatMap((candidate) => purgeOne(services, candidate.id, at) ?? [])));
    blobs += await removePendingBlobs(services);
    // The purge runs inside the server: requests are answered between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // What an interrupted run left (the batches above emptied the list otherwise).
  blobs += await removePendingBlobs(services);
  if (purged.length > 0) repos.retention.checkpoint();
  const attachments = purged.reduce((n, r) => n + r.attachments, 0);
  return { dryRun: false, at, reports: purged, counts: { reports: purged.length, attachments, blobs } };
}

/**
 * Deletes one report if it is still due at `at`, inside the caller's transaction. It is decided
 * again here: a reviewer may have extended or reopened it since the purge found it.
 */
function purgeOne(services: Services, id: string, at: string): PurgedReport | undefined {
  const { repos } = services;
  const report = repos.reports.byId(id);
  const rules = report && repos.channels.rules(report.channelId);
  const deleteAt = report && rules ? deleteAtOf(report, rules) : null;
  if (!report || deleteAt === null || deleteAt > at) return undefined;
  const attachmentIds = repos.attachments.listForReport(report.id).map((a) => a.id);
  if (attachmentIds.length > 0) {
    repos.settings.set(PENDING_BLOBS_SETTING, [...(repos.settings.get(PENDING_BLOBS_SETTING) ?? []), ...attachmentIds]);
  }
  repos.reports.delete(report.id);
  // The trail keeps that a report existed and was deleted on schedule; nothing of what it said.
  services.audit({ actor: 'system', action: 'report.purged', target: report.id, details: { channelId: report.channelId } });
  return { id: report.id, channelId: report.channelId, closedAt: report.closedAt!, deleteAt, attachments: attachmentIds.length };
}

/** Overwrites and removes the files of purged attachments; returns how many it handled. */
async function removePendingBlobs(services: Services): Promise<number> {
  const { repos, blobs, db } = services;
  const pending = repos.settings.get(PENDING_BLOBS_SETTING) ?? [];
  if (pending.length === 0) return 0;
  const removed = new Set<string>();
  let failure: unknown;
  for (const id of pending) {
    try {
      await blobs.remove(id);
    } catch (error) {
      // Another process (`sealbox purge` beside the server) removed it first.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        failure = error;
        break;
      }
    }
    removed.add(id);
  }
  db.transaction(() => {
    const now = repos.settings.get(PENDING_BLOBS_SETTING) ?? [];
    repos.settings.set(PENDING_BLOBS_SETTING, now.filter((id) => !removed.has(id)));
  });
  if (failure !== undefined) throw failure;
  return removed.size;
}
