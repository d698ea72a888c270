// The append-only audit trail, chained by SHA-256 so that a changed, removed or inserted row shows.
//
// Hash of the row with sequence number `seq` (this definition is part of the documentation):
//
//   hash = SHA-256( prevHash ‖ UTF-8( canonicalJson({ seq, at, actor, action, target, details }) ) )
//
// - `prevHash` is the `hash` of row `seq - 1`, as its 32 raw bytes; for row 1 it is 32 zero bytes.
//   Each row also stores its own `prevHash`, which must equal the previous row's `hash`.
// - `seq` is an integer, counting 1, 2, 3, … without gaps; `at` the ISO 8601 UTC time string;
//   `actor` and `action` strings; `target` a string or null; `details` a JSON value (`{}` when the
//   event has none), stored in the `details` column as exactly its canonical JSON text.
// - `canonicalJson` is JSON without any whitespace, with the members of every object sorted by key
//   (compared as UTF-16 code units, the order of JavaScript's default sort), and strings and
//   numbers written as `JSON.stringify` writes them. For JSON values this is RFC 8785 (JCS).
//   The hashed object is therefore
//   `{"action":…,"actor":…,"at":…,"details":…,"seq":…,"target":…}`.
//
// Example: the first row of a fresh instance, `{seq: 1, at: "2026-11-28T16:00:00.000Z",
// actor: "system", action: "instance.init", target: null, details: {}}`, hashes
// 32 zero bytes followed by the UTF-8 bytes of
// `{"action":"instance.init","actor":"system","at":"2026-11-28T16:00:00.000Z","details":{},"seq":1,"target":null}`.
//
// The chain shows edits, deletions and insertions anywhere but at the end: removing the newest
// rows leaves a valid, shorter chain. Keeping a copy of the newest `seq` and `hash` elsewhere
// (a printed `audit verify`, a log shipped off the machine) closes that gap.

import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { auditEvents } from '../schema.js';

export interface AuditEventInput {
  /** ISO 8601 UTC. For reporter events, rounded down to the hour like the event's own time. */
  at: string;
  /** `user:{id}`, `reporter` or `system`. Never a receipt token, an address or a user agent. */
  actor: string;
  /** A dotted name such as `report.received`, `auth.login_failed`, `report.triage`. */
  action: string;
  target?: string | null;
  /** Any JSON-serialisable value; never report content. */
  details?: unknown;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
  prevHash: Buffer;
  hash: Buffer;
}

export interface AuditQuery {
  /** Only events at or after this time (ISO 8601). */
  since?: string;
  /** Only events before this time (ISO 8601). */
  until?: string;
  actor?: string;
  /** Only events about this target (a report id, a user id, …). */
  target?: string;
  action?: string;
  /** Only events after this sequence number: pass the last `seq` of the previous page. */
  afterSeq?: number;
  limit: number;
}

export type AuditVerifyResult = { ok: true; count: number } | { ok: false; seq: number; reason: string };

/** `prevHash` of the first row. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** Rows read per query while verifying, so that a long chain is never held in memory at once. */
const VERIFY_BATCH = 500;

/** JSON with sorted object keys and no whitespace (RFC 8785 for JSON values). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of one audit row, as defined at the top of this file. */
export function auditEventHash(
  prevHash: Buffer,
  event: { seq: number; at: string; actor: string; action: string; target: string | null; details: unknown },
): Buffer {
  const { seq, at, actor, action, target, details } = event;
  const body = canonicalJson({ seq, at, actor, action, target, details });
  return createHash('sha256').update(prevHash).update(body, 'utf8').digest();
}

/** Stored details are canonical JSON; a row altered outside the application may not parse. */
function parseDetails(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function createAuditRepository({ orm, transaction }: Db) {
  const lastQuery = orm
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1)
    .prepare();
  const p = (name: string) => sql.placeholder(name);
  const insertQuery = orm
    .insert(auditEvents)
    .values({ seq: p('seq'), at: p('at'), actor: p('actor'), action: p('action'), target: p('target'), details: p('details'), prevHash: p('prevHash'), hash: p('hash') })
    .prepare();
  return {
    /**
     * Appends one event at the end of the chain and returns it. The last row is read and the new
     * one written inside one IMMEDIATE transaction, so two appends (even from two processes)
     * cannot both chain to the same predecessor.
     */
    append(event: AuditEventInput): AuditEvent {
      // Round-trip through JSON first so that what is hashed is exactly what can be read back
      // (undefined members dropped, dates as strings, …).
      const details: unknown = JSON.parse(JSON.stringify(event.details ?? {}));
      return transaction(() => {
        const last = lastQuery.get();
        const prevHash = last?.hash ?? GENESIS_HASH;
        const fields = {
          seq: (last?.seq ?? 0) + 1,
          at: event.at,
          actor: event.actor,
          action: event.action,
          target: event.target ?? null,
        };
        const hash = auditEventHash(prevHash, { ...fields, details });
        insertQuery.run({ ...fields, details: canonicalJson(details), prevHash, hash });
        return { ...fields, details, prevHash, hash };
      });
    },

    /**
     * Events in chain order. `details` is the parsed value; should a stored value not be JSON
     * (only possible by editing the database), its raw text is returned, and `verify()` names it.
     */
    list(query: AuditQuery): AuditEvent[] {
      const conditions: SQL[] = [];
      if (query.since !== undefined) conditions.push(gte(auditEvents.at, query.since));
      if (query.until !== undefined) conditions.push(lt(auditEvents.at, query.until));
      if (query.actor !== undefined) conditions.push(eq(auditEvents.actor, query.actor));
      if (query.target !== undefined) conditions.push(eq(auditEvents.target, query.target));
      if (query.action !== undefined) conditions.push(eq(auditEvents.action, query.action));
      if (query.afterSeq !== undefined) conditions.push(gt(auditEvents.seq, query.afterSeq));
      return orm
        .select()
        .from(auditEvents)
        .where(and(...conditions))
        .orderBy(asc(auditEvents.seq))
        .limit(query.limit)
        .all()
        .map((row) => {
          const details = parseDetails(row.details);
          return { ...row, details: details.ok ? details.value : row.details };
        });
    },

    /** Walks the whole chain from row 1 and names the first row that breaks it. */
    verify(): AuditVerifyResult {
      let prevHash = GENESIS_HASH;
      let count = 0;
      for (;;) {
        const batch = orm
          .select()
          .from(auditEvents)
          .where(gt(auditEvents.seq, count))
          .orderBy(asc(auditEvents.seq))
          .limit(VERIFY_BATCH)
          .all();
        for (const row of batch) {
          const fail = (reason: string): AuditVerifyResult => ({ ok: false, seq: row.seq, reason });
          if (row.seq !== count + 1) return fail(`sequence jumps from ${count} to ${row.seq}: rows are missing`);
          if (!row.prevHash.equals(prevHash)) return fail("prev_hash differs from the previous row's hash");
          const details = parseDetails(row.details);
          if (!details.ok) return fail('details is not valid JSON');
          // Stored as exactly its canonical text: any other spelling (even white space) is an edit.
          if (canonicalJson(details.value) !== row.details) return fail('details is not in its canonical form: the row was edited');
          if (!auditEventHash(prevHash, { ...row, details: details.value }).equals(row.hash)) {
            return fail("hash does not match the row's contents");
          }
          prevHash = row.hash;
          count = row.seq;
        }
        if (batch.length < VERIFY_BATCH) return { ok: true, count };
      }
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
