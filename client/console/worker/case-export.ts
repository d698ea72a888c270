// "Export case", run in the console's worker with the open report's keys: records the export,
// reads the report afresh, decrypts everything, and builds a ZIP (fflate) holding the transcript
// (client/shared/case-transcript.ts), the decrypted files and SHA256SUMS. Files are decrypted one
// at a time, chunk by chunk; a file goes into the archive only once its whole stream has
// decrypted (never a partial file), and what is done so far is kept as a Blob, which the browser
// may hold on disk, rather than as bytes in the worker's memory.
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import {
  decryptAttachment, decryptAttachmentMeta, openConversation, decryptNote, decryptReportContent, fromB64u, openSealedKey, Sha256, utf8,
  type UserSecrets,
} from '../../../crypto/index.js';
import {
  caseArchiveName, caseFilePath, caseTranscript, CHECKSUMS_FILE, sha256Sums, TRANSCRIPT_FILE, type CaseFile, type CaseRecord, type TranscriptLabels,
} from '../../../domain/case-transcript.js';
import { api, send, type Http } from '../api.js';
import type { Questionnaire, ReportDoc } from '../types.js';

/** What the page adds: the words of its language, and what it knows of the channel and the user. */
export interface CaseExportOptions {
  labels: TranscriptLabels;
  locale: string;
  questionnaire: Questionnaire | undefined;
  channelTitle: string;
  exportedBy: string;
}

export interface CaseExportProgress {
  /** Files decrypted so far, of `total`. */
  done: number;
  total: number;
}

export interface CaseArchive {
  blob: Blob;
  name: string;
  files: number;
}

type HistoryEvent = CaseRecord['history'][number];

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** Every event of the report's history, page by page. */
async function history(http: Http, id: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let after: string | null = null;
  do {
    const page: { events: HistoryEvent[]; nextAfterSeq: string | null } =
      await api(http, 'GET', `/api/reports/${encodeURIComponent(id)}/history${after ? `?afterSeq=${after}` : ''}`);
    events.push(...page.events);
    after = page.nextAfterSeq;
  } while (after);
  return events;
}

/** A streaming ZIP whose output is gathered into Blobs as it comes. */
class Archive {
  private readonly zip: Zip;
  private parts: BlobPart[] = [];
  private error: Error | null = null;
  private finished = false;

  constructor(private readonly mtime: Date) {
    this.zip = new Zip((err, chunk, final) => {
      if (err) this.error = err;
      else this.parts.push(chunk as Uint8Array<ArrayBuffer>);
      if (final) this.finished = true;
    });
  }

  /** Adds a file held as pieces (a decrypted attachment: stored as it is, most are compressed already). */
  store(path: string, pieces: Uint8Array[]): void {
    const entry = new ZipPassThrough(path);
    entry.mtime = this.mtime;
    this.zip.add(entry);
    if (pieces.length === 0) entry.push(new Uint8Array(0), true);
    pieces.forEach((piece, i) => entry.push(piece, i === pieces.length - 1));
    // Hands what the archive holds so far to a Blob, so that the bytes can leave the worker's heap.
    this.parts = [new Blob(this.parts)];
    this.check();
  }

  /** Adds a text file, compressed. */
  text(path: string, text: string): void {
    const entry = new ZipDeflate(path, { level: 6 });
    entry.mtime = this.mtime;
    this.zip.add(entry);
    entry.push(utf8(text), true);
    this.check();
  }

  close(): Blob {
    this.zip.end();
    this.check();
    if (!this.finished) throw new Error('the archive did not finish');
    return new Blob(this.parts, { type: 'application/zip' });
  }

  private check(): void {
    if (this.error) throw this.error;
  }
}

/**
 * The case of report `id` as a ZIP. `key` and `internalKey` are the report's keys, opened by the
 * caller; `box` opens the internal key should the fresh copy carry one the caller did not have.
 */
export async function exportCase(http: Http, id: string, keys: { key: Uint8Array; internalKey: Uint8Array | undefined; box: UserSecrets['box'] },
  options: CaseExportOptions, onProgress: (p: CaseExportProgress) => void = () => undefined): Promise<CaseArchive> {
  const path = `/api/reports/${encodeURIComponent(id)}`;
  // Recorded first: an export that fails halfway has still taken something out.
  const { at } = await api<{ at: string }>(http, 'POST', `${path}/exports`, {});
  const doc = await api<ReportDoc>(http, 'GET', path);
  const events = await history(http, id);
  // The fresh copy may carry an internal key this member received since opening the report.
  const opened = !keys.internalKey && doc.sealedInternalKey ? attempt(() => openSealedKey(doc.sealedInternalKey!, keys.box)) ?? undefined : undefined;
  try {
    return await build(http, id, doc, events, at, keys.key, keys.internalKey ?? opened, options, onProgress);
  } finally {
    opened?.fill(0);
  }
}

async function build(http: Http, id: string, doc: ReportDoc, events: HistoryEvent[], at: string, key: Uint8Array, internalKey: Uint8Array | undefined,
  options: CaseExportOptions, onProgress: (p: CaseExportProgress) => void): Promise<CaseArchive> {
  const path = `/api/reports/${encodeURIComponent(id)}`;

  const names = new Map<string, string>(doc.members.map((m) => [m.id, m.username]));
  for (const e of events) if (e.actorName && e.actor.startsWith('user:')) names.set(e.actor.slice(5), e.actorName);
  const content = attempt(() => decryptReportContent(key, id, doc.content));

  const archive = new Archive(new Date(at));
  const files: CaseFile[] = [];
  const sums: { path: string; sha256: string }[] = [];
  const complete = doc.attachments.filter((a) => a.complete).length;
  for (const a of doc.attachments) {
    const meta = attempt(() => decryptAttachmentMeta(key, id, a.id, a.meta));
    const base = { id: a.id, name: meta?.name ?? null, type: meta?.type ?? null, size: meta?.size ?? null };
    if (!a.complete || !meta) {
      files.push({ ...base, state: a.complete ? 'damaged' : 'incomplete', path: null, sha256: null });
      continue;
    }
    onProgress({ done: sums.length, total: complete });
    const fileKey = fromB64u(meta.key, 32, 'attachment key');
    const pieces: Uint8Array[] = [];
    const hash = new Sha256();
    let size = 0;
    try {
      const res = await send(http, 'GET', `${path}/attachments/${encodeURIComponent(a.id)}`);
      const reader = res.body!.getReader();
      const source = (async function* () {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      })();
      for await (const plain of decryptAttachment(fileKey, source)) {
        hash.update(plain);
        pieces.push(plain);
        size += plain.length;
      }
      if (size !== meta.size) throw new Error('the file does not have the size its details give');
    } catch (error) {
      // A lost session ends the export; a damaged file is named in the transcript and left out.
      if ((error as { status?: number }).status === 401) throw error;
      files.push({ ...base, state: 'damaged', path: null, sha256: null });
      continue;
    } finally {
      fileKey.fill(0);
    }
    const file = caseFilePath(a.id, meta.name);
    const sha256 = hash.hex();
    archive.store(file, pieces);
    files.push({ ...base, state: 'ok', path: file, sha256 });
    sums.push({ path: file, sha256 });
  }
  onProgress({ done: sums.length, total: complete });

  const record: CaseRecord = {
    report: {
      id, channelId: doc.channelId, status: doc.status, severity: doc.severity, category: doc.category, office: doc.office, process: doc.process,
      outcome: doc.outcome, receivedAt: doc.receivedAt, acknowledgedAt: doc.acknowledgedAt, closedAt: doc.closedAt,
      acknowledgeBy: doc.acknowledgeBy, feedbackBy: doc.feedbackBy,
    },
    channelTitle: options.channelTitle,
    questionnaire: options.questionnaire,
    content: content ? { locale: content.locale, questionnaire: content.questionnaire, answers: content.answers } : null,
    messages: openConversation(key, id, doc.messages).messages.map((m) => ({ author: m.author, createdAt: m.createdAt, text: m.text, missingBefore: m.missingBefore })),
    notes: internalKey
      ? doc.notes.map((n) => ({ author: names.get(n.authorUserId) ?? null, createdAt: n.createdAt, text: attempt(() => decryptNote(internalKey, id, n)) }))
      : doc.notes.length === 0 ? [] : null,
    history: events,
    files,
    exportedBy: options.exportedBy,
    exportedAt: at,
  };
  const transcript = caseTranscript(record, options.labels, options.locale);
  archive.text(TRANSCRIPT_FILE, transcript);
  const all = [{ path: TRANSCRIPT_FILE, sha256: new Sha256().update(utf8(transcript)).hex() }, ...sums];
  archive.text(CHECKSUMS_FILE, sha256Sums(all));
  return { blob: archive.close(), name: caseArchiveName(id), files: sums.length };
}
