// Bulk loading for the scale tests and benchmarks (`npm run seed`): many rows per transaction
// through prepared statements, bypassing the per-row conveniences of the other repositories.
import type { Db } from '../connection.js';
import { acknowledgeBy, feedbackBy } from '../../domain/deadlines.js';
import type { Outcome, ReportStatus } from '../schema.js';

export interface BulkReport {
  id: string;
  channelId: string;
  receiptTag: Buffer;
  reporterPublicKey: Buffer;
  contentNonce: Buffer;
  contentCiphertext: Buffer;
  reporterSealedKey: Buffer;
  status: ReportStatus;
  severity: string | null;
  category: string | null;
  office: string | null;
  process: string | null;
  outcome: Outcome | null;
  receivedAt: string;
  acknowledgedAt: string | null;
  closedAt: string | null;
  keys: { keyId: string; sealedKey: Buffer }[];
  messages: { id: string; author: 'reporter' | 'reviewer'; createdAt: string; nonce: Buffer; ciphertext: Buffer }[];
  attachments: { id: string; size: number; createdAt: string; metaNonce: Buffer; metaCiphertext: Buffer }[];
  assignees: string[];
}

export function createBulkRepository({ sqlite, transaction }: Db) {
  const report = sqlite.prepare(`INSERT INTO reports (id, channel_id, receipt_tag, reporter_public_key,
    reporter_sealed_key, status, severity, category, office, process, outcome, received_at, seq,
    acknowledged_at, closed_at, acknowledge_by, feedback_by, last_reporter_seq, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const content = sqlite.prepare('INSERT INTO report_contents (report_id, nonce, ciphertext) VALUES (?, ?, ?)');
  const key = sqlite.prepare('INSERT INTO report_keys (report_id, key_id, sealed_key) VALUES (?, ?, ?)');
  const message = sqlite.prepare('INSERT INTO messages (id, report_id, author, created_at, seq, nonce, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const attachment = sqlite.prepare(`INSERT INTO attachments (id, report_id, size, received, complete, meta_nonce, meta_ciphertext, created_at, seq)
    VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`);
  const assignee = sqlite.prepare('INSERT INTO report_assignees (report_id, user_id, seq) VALUES (?, ?, ?)');
  const counter = sqlite.prepare("INSERT INTO counters (name, value) VALUES ('seq', ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value RETURNING value");

  return {
    /** Inserts reports with their keys, messages, attachments and assignees in one transaction. */
    insertReports(rows: readonly BulkReport[]): void {
      transaction(() => {
        const needed = rows.reduce((n, r) => n + 1 + r.messages.length + r.attachments.length, 0);
        // Reserve a block of sequence numbers at once.
        let seq = (counter.get(needed) as { value: number }).value - needed;
        for (const r of rows) {
          const reportSeq = ++seq;
          let lastReporterSeq = reportSeq;
          const later: (() => void)[] = [];
          for (const m of r.messages) {
            const s = ++seq;
            if (m.author === 'reporter') lastReporterSeq = s;
            later.push(() => message.run(m.id, r.id, m.author, m.createdAt, s, m.nonce, m.ciphertext));
          }
          for (const a of r.attachments) {
            const s = ++seq;
            lastReporterSeq = s;
            later.push(() => attachment.run(a.id, r.id, a.size, a.size, a.metaNonce, a.metaCiphertext, a.createdAt, s));
          }
          report.run(r.id, r.channelId, r.receiptTag, r.reporterPublicKey, r.reporterSealedKey,
            r.status, r.severity, r.category, r.office, r.process, r.outcome, r.receivedAt, reportSeq, r.acknowledgedAt, r.closedAt,
            acknowledgeBy(r.receivedAt), feedbackBy(r.receivedAt, r.acknowledgedAt), lastReporterSeq, r.closedAt ?? r.acknowledgedAt ?? r.receivedAt);
          content.run(r.id, r.contentNonce, r.contentCiphertext);
          for (const k of r.keys) key.run(r.id, k.keyId, k.sealedKey);
          for (const u of r.assignees) assignee.run(r.id, u, reportSeq);
          for (const run of later) run();
        }
      });
    },
  };
}

export type BulkRepository = ReturnType<typeof createBulkRepository>;
