// `sealbox audit export`: the audit trail as JSON Lines for a SIEM, one event per line, with both
// hashes, so that the receiver can check every line and the chain without trusting this host.
//
// A line is `{"seq","at","actor","action","target","details","prevHash","hash"}` (hashes in hex).
// To check it: hash = SHA-256(bytes of prevHash ‖ UTF-8 of canonicalJson({seq, at, actor, action,
// target, details})), as defined in db/repositories/audit.ts; and a line's prevHash equals the
// hash of the line before it whenever their seq numbers follow each other.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { AuditEvent, AuditRepository } from '../db/repositories/audit.js';

/** Rows read per query, so that a long trail is never held in memory at once. */
const BATCH = 500;

export interface AuditExportOptions {
  /** Only events at or after this time (ISO 8601 UTC, as stored). */
  since?: string;
  /** Only events after this sequence number (what a SIEM fetching increments passes). */
  afterSeq?: number;
}

/** One event as the line a SIEM receives (without the newline). */
export function auditLine(e: AuditEvent): string {
  return JSON.stringify({
    seq: e.seq, at: e.at, actor: e.actor, action: e.action, target: e.target, details: e.details,
    prevHash: e.prevHash.toString('hex'), hash: e.hash.toString('hex'),
  });
}

/** Writes the matching events, oldest first, one line each; returns how many. Respects backpressure. */
export async function writeAuditExport(audit: AuditRepository, out: Writable, options: AuditExportOptions = {}): Promise<number> {
  let afterSeq = options.afterSeq;
  let count = 0;
  for (;;) {
    const batch = audit.list({
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(afterSeq !== undefined ? { afterSeq } : {}),
      limit: BATCH,
    });
    for (const event of batch) {
      if (!out.write(`${auditLine(event)}\n`)) await once(out, 'drain');
      count++;
    }
    if (batch.length < BATCH) return count;
    afterSeq = batch.at(-1)!.seq;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a `--since` value: a calendar date (`2026-11-28`, midnight UTC) or a time with its zone
 * (`2026-11-28T16:00:00Z`, `2026-11-28T17:00+01:00`). Returns the ISO 8601 UTC form the trail
 * stores, or undefined when the text is neither (a time without a zone would be ambiguous).
 */
export function parseSince(text: string): string | undefined {
  if (!DATE.test(text) && !TIME.test(text)) return undefined;
  // Date.parse rolls 2026-02-30 over to March: a day that does not exist is refused instead.
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return undefined;
  const ms = Date.parse(DATE.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
