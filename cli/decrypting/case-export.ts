// DECRYPTS: the report behind `sealbox export` (export.ts).
//
// Secrets held here: a reviewer's private keys (opened from their passphrase by export.ts), the
// report's key and internal key opened with them, and the whole report in plaintext: its answers,
// messages, notes and attachment files, which it writes under --out as it decrypts them.
// Why it is here: the server stores and routes reports and never reads them. Outside a browser,
// only the operator's CLI, run by someone who holds a reviewer's passphrase or the recovery secret,
// may decrypt, so the code that does lives in cli/decrypting/ and nowhere else.
// Nothing under server/ may import this file.
//
// `sealbox export REPORT_ID --user NAME --passphrase-stdin [--out DIR]`: decrypts a report with a
// reviewer's keys, on this machine, and returns the document PROTOCOL.md §7 describes. With
// `--out`, writes the same files as the console's "Export case" ZIP: transcript.html (built by the
// same code, client/shared/case-transcript.ts, in English), SHA256SUMS and files/…; each file is
// written under a temporary name and renamed only once its whole stream has decrypted.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { en } from '../../client/console/i18n/en.js';
import {
  caseFilePath, caseTranscript, CHECKSUMS_FILE, FILES_DIR, sha256Sums, TRANSCRIPT_FILE, type CaseFile, type CaseRecord,
} from '../../domain/case-transcript.js';
import {
  decryptAttachment, decryptAttachmentMeta, openConversation, decryptNote, SealboxCryptoError, decryptReportContent, fromB64u, openSealedKey, toB64u,
  type ReportContent, type UserSecrets,
} from '../../crypto/index.js';
import type { Questionnaire } from '../../domain/questionnaire.js';
import type { Services } from '../../server/services.js';
import { iso } from '../../server/time.js';

/** Why an export cannot be made, said to the operator. */
export class CaseExportError extends Error {}

export interface ExportingUser {
  id: string;
  username: string;
  keyId: string;
  secrets: UserSecrets;
}

export interface ExportedReport {
  reportId: string;
  channelId: string;
  status: string;
  receivedAt: string;
  content: ReportContent | null;
  messages: Array<{ author: 'reporter' | 'reviewer'; createdAt: string; text: string | null }>;
  attachments: Array<{ id: string; name: string | null; type: string | null; size: number | null; sha256: string | null; complete?: false; damaged?: true }>;
}

const HISTORY_PAGE = 1000;
const REPORT_ACTION = /^(report|attachment)\./;

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** Decrypts report `reportId` with `user`'s keys; with `out`, writes the case export there too. */
export async function exportReport(services: Services, user: ExportingUser, reportId: string, out?: string): Promise<ExportedReport> {
  const { repos } = services;
  const report = repos.reports.byId(reportId);
  // A member the reporter left out is told nothing more than about a report that does not exist.
  if (!report || !repos.channels.channelIdsOf(user.id).includes(report.channelId) || repos.reports.excludes(reportId, user.id)) {
    throw new CaseExportError(`no report ${reportId} in ${user.username}'s channels`);
  }
  const envelope = repos.reports.key(reportId, user.keyId);
  if (!envelope) throw new CaseExportError(`${user.username} holds no key for report ${reportId} yet; another member must grant it`);
  const key = openSealedKey(toB64u(envelope.sealedKey), user.secrets.box);
  const internalKey = envelope.sealedInternalKey ? attempt(() => openSealedKey(toB64u(envelope.sealedInternalKey!), user.secrets.box)) : null;
  const exportedAt = iso(services.clock.now());
  services.audit({ actor: `user:${user.id}`, action: 'report.export', target: reportId, details: { via: 'cli', files: out !== undefined } });

  try {
    // The whole report must open: a CLI export of a report whose content fails is an error.
    const content = decryptReportContent(key, reportId, { nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext) });
    const conversation = openConversation(key, reportId, repos.messages.listForReport(reportId).map((m) => ({
      id: m.id, author: m.author, createdAt: m.createdAt, version: m.version, nonce: toB64u(m.nonce), ciphertext: toB64u(m.ciphertext),
    })));
    const messages = conversation.messages.map((m) => {
      if (m.text === null) throw new SealboxCryptoError('SBX_DECRYPT_FAILED', `message ${m.id} does not open`);
      return { author: m.author, createdAt: m.createdAt, text: m.text as string | null, missingBefore: m.missingBefore };
    });
    if (out !== undefined) await mkdir(join(out, FILES_DIR), { recursive: true, mode: 0o700 });

    const files: CaseFile[] = [];
    const attachments: ExportedReport['attachments'] = [];
    for (const a of repos.attachments.listForReport(reportId)) {
      const meta = decryptAttachmentMeta(key, reportId, a.id, { nonce: toB64u(a.metaNonce), ciphertext: toB64u(a.metaCiphertext) });
      const base = { id: a.id, name: meta.name, type: meta.type, size: meta.size };
      if (!a.complete) {
        attachments.push({ ...base, sha256: null, complete: false });
        files.push({ ...base, state: 'incomplete', path: null, sha256: null });
        continue;
      }
      const path = caseFilePath(a.id, meta.name);
      const sha256 = await decryptFile(services, a.id, fromB64u(meta.key, 32, 'attachment key'), meta.size, out === undefined ? undefined : join(out, path));
      if (sha256 === null) {
        attachments.push({ ...base, sha256: null, damaged: true });
        files.push({ ...base, state: 'damaged', path: null, sha256: null });
      } else {
        attachments.push({ ...base, sha256 });
        files.push({ ...base, state: 'ok', path, sha256 });
      }
    }

    if (out !== undefined) {
      const channel = repos.channels.get(report.channelId);
      const names = new Map<string, string | null>();
      const nameOf = (userId: string) => {
        if (!names.has(userId)) names.set(userId, repos.users.byId(userId)?.username ?? null);
        return names.get(userId)!;
      };
      const history: CaseRecord['history'] = [];
      for (let after = 0; ;) {
        const page = repos.audit.list({ target: reportId, afterSeq: after, limit: HISTORY_PAGE });
        for (const e of page) {
          if (REPORT_ACTION.test(e.action)) {
            history.push({ seq: e.seq, at: e.at, actor: e.actor, actorName: e.actor.startsWith('user:') ? nameOf(e.actor.slice(5)) : null, action: e.action, details: e.details });
          }
        }
        if (page.length < HISTORY_PAGE) break;
        after = page.at(-1)!.seq;
      }
      const notes = repos.notes.listForReport(reportId);
      const record: CaseRecord = {
        report: {
          id: reportId, channelId: report.channelId, status: report.status, severity: report.severity, category: report.category, office: report.office,
          process: report.process, outcome: report.outcome, receivedAt: report.receivedAt, acknowledgedAt: report.acknowledgedAt, closedAt: report.closedAt,
          acknowledgeBy: report.acknowledgeBy, feedbackBy: report.feedbackBy,
        },
        channelTitle: channel?.title.en ?? Object.values(channel?.title ?? {})[0] ?? report.channelId,
        questionnaire: channel?.questionnaire as Questionnaire | undefined,
        content: { locale: content.locale, questionnaire: content.questionnaire, answers: content.answers },
        messages,
        notes: internalKey
          ? notes.map((n) => ({ author: nameOf(n.authorUserId), createdAt: n.createdAt, text: attempt(() => decryptNote(internalKey, reportId, { nonce: toB64u(n.nonce), ciphertext: toB64u(n.ciphertext) })) }))
          : notes.length === 0 ? [] : null,
        history,
        files,
        exportedBy: user.username,
        exportedAt,
      };
      const transcript = caseTranscript(record, en, 'en');
      await writeFile(join(out, TRANSCRIPT_FILE), transcript, { mode: 0o600 });
      const sums = [{ path: TRANSCRIPT_FILE, sha256: createHash('sha256').update(transcript, 'utf8').digest('hex') },
        ...files.flatMap((f) => (f.path && f.sha256 ? [{ path: f.path, sha256: f.sha256 }] : []))];
      await writeFile(join(out, CHECKSUMS_FILE), sha256Sums(sums), { mode: 0o600 });
    }
    return { reportId, channelId: report.channelId, status: report.status, receivedAt: report.receivedAt, content, messages, attachments };
  } finally {
    key.fill(0);
    internalKey?.fill(0);
  }
}

/**
 * Decrypts one stored attachment chunk by chunk, hashing it, and writing it to `target` when one
 * is given. Returns the SHA-256 in hex, or null (and nothing left on disk) when the stream is
 * damaged, cut short or of another size than its metadata says.
 */
async function decryptFile(services: Services, attachmentId: string, fileKey: Uint8Array, size: number, target: string | undefined): Promise<string | null> {
  const hash = createHash('sha256');
  const partial = target === undefined ? undefined : `${target}.part`;
  const sink = partial === undefined ? undefined : createWriteStream(partial, { mode: 0o600 });
  let written = 0;
  try {
    for await (const chunk of decryptAttachment(fileKey, services.blobs.read(attachmentId))) {
      hash.update(chunk);
      written += chunk.length;
      if (sink && !sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
    }
    if (written !== size) throw new Error('size mismatch');
    if (sink) {
      sink.end();
      await finished(sink);
      await rename(partial!, target!);
    }
    return hash.digest('hex');
  } catch {
    sink?.destroy();
    if (partial) await rm(partial, { force: true });
    return null;
  } finally {
    fileKey.fill(0);
  }
}
