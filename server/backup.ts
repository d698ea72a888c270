// `sealbox backup FILE` and `sealbox restore FILE --data-dir DIR`: one archive holding a
// consistent copy of an instance, taken while the server runs, checked whole before it is restored.
//
// The archive is a POSIX tar file (ustar, written by tar-stream) with these entries, in order:
//
//   sealbox-backup.json   {"format":"sealbox-backup","version":1,"createdAt":ISO 8601}
//   sealbox.db            the database, copied with SQLite's online backup API
//   server-secret         the 32-byte server secret (receipt tags, sign-in verifiers, TOTP keys)
//   blobs/<attachmentId>  each encrypted attachment stream the database copy refers to; for an
//                         upload still in progress, the bytes received by then
//   manifest.json         {"entries":[{"name","size","sha256"}, …]}: every entry above, in order,
//                         with its size and the SHA-256 of its contents in hex
//
// With a passphrase the whole tar file is encrypted (crypto/backup-stream.ts). Restore writes
// nothing into the target until every entry matched the manifest, the tar's padding was checked,
// and the database copy passed SQLite's integrity check. The manifest finds damage, not forgery:
// whoever can rewrite a plain archive can rewrite its manifest; an encrypted one is authenticated.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, cp, link, mkdir, mkdtemp, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract, pack, type Extract, type Pack } from 'tar-stream';
import { z } from 'zod';
import { decryptBackup, encryptBackup, isEncryptedBackup, BACKUP_MAGIC } from '../crypto/backup-stream.js';
import { SealboxCryptoError, randomBytes } from '../crypto/index.js';
import { checkDatabaseFile, snapshotDatabase } from '../db/backup.js';
import { openDatabase } from '../db/connection.js';
import { createAttachmentsRepository } from '../db/repositories/attachments.js';
import { createAuditRepository, type AuditVerifyResult } from '../db/repositories/audit.js';
import { dataPaths, readServerSecret } from './instance.js';
import type { Services } from './services.js';
import { iso, systemClock, type Clock } from './time.js';

export const BACKUP_FORMAT = 'sealbox-backup';
export const BACKUP_VERSION = 1;

const HEADER_ENTRY = 'sealbox-backup.json';
const DATABASE_ENTRY = 'sealbox.db';
const SECRET_ENTRY = 'server-secret';
const MANIFEST_ENTRY = 'manifest.json';
/** Attachment ids are base64url of 16 bytes: nothing else may become a file name on restore. */
const BLOB_ENTRY = /^blobs\/([A-Za-z0-9_-]{22})$/;
const TAR_BLOCK = 512;
/** Small entries are read into memory; these bound what a damaged or hostile file can make us hold. */
const MAX_HEADER_BYTES = 4096;
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
/** Attachment rows read per query while copying blobs. */
const BLOB_PAGE = 500;

/** A failure to tell the operator as it is: the CLI prints the message, without a stack trace. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface ManifestEntry {
  name: string;
  size: number;
  sha256: string;
}

export interface BackupResult {
  file: string;
  createdAt: string;
  encrypted: boolean;
  attachments: number;
  /** Size and SHA-256 of the archive file, to compare with a copy kept elsewhere. */
  bytes: number;
  sha256: string;
}

export interface RestoreResult {
  dataDir: string;
  createdAt: string;
  encrypted: boolean;
  attachments: number;
  /** The restored audit trail, checked before the restore event was added to it. */
  audit: AuditVerifyResult;
}

const backupHeader = z.object({ format: z.literal(BACKUP_FORMAT), version: z.number().int(), createdAt: z.iso.datetime() }).strict();
const manifestSchema = z.object({
  entries: z.array(z.object({ name: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict()),
}).strict();

// ---------------------------------------------------------------------------------------------
// Backup

/**
 * Writes a backup of the running instance to `file`, which must not exist yet. The database is
 * copied first; then the blobs that copy refers to (blobs written later belong to reports the
 * copy does not have). The archive is written beside `file` and renamed only once complete.
 */
export async function createBackup(services: Services, file: string, options: { passphrase?: string } = {}): Promise<BackupResult> {
  const target = resolve(file);
  const encrypted = options.passphrase !== undefined;
  if (await exists(target)) throw new BackupError(`${target} already exists; give a new file name`);
  if (!(await isDirectory(dirname(target)))) throw new BackupError(`the folder ${dirname(target)} does not exist`);
  const createdAt = iso(services.clock.now());
  // The database copy is not encrypted: it is made inside the data folder, beside the original,
  // never beside the archive (which may be on a removable disk).
  const work = await mkdtemp(join(services.paths.dir, '.backup-')).catch((error: Error) => {
    throw new BackupError(`cannot write the database copy in ${services.paths.dir}: ${error.message}`);
  });
  const partial = `${target}.${Buffer.from(randomBytes(6)).toString('hex')}.partial`;
  try {
    const snapshot = join(work, DATABASE_ENTRY);
    await snapshotDatabase(services.db, snapshot);
    const problems = checkDatabaseFile(snapshot);
    if (problems.length > 0) throw new BackupError(`the copy of the database failed SQLite's integrity check: ${problems.slice(0, 3).join('; ')}`);

    const packer = pack();
    const fileHash = createHash('sha256');
    let bytes = 0;
    async function* measured(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of source) {
        fileHash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    }
    // streamx streams are async iterables at run time; its types do not say so.
    const archive = packer as unknown as AsyncIterable<Uint8Array>;
    const body: AsyncIterable<Uint8Array> = encrypted ? encryptBackup(options.passphrase!, archive) : archive;
    const writing = pipeline(measured(body), createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    // A failed write (a full disk) must also stop the side that fills the archive.
    const failed = writing.then(() => new Promise<never>(() => undefined));
    failed.catch(() => undefined);
    const step = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, failed]);

    let attachments = 0;
    try {
      const entries: ManifestEntry[] = [];
      const mtime = new Date(createdAt);
      const put = async (name: string, size: number, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) => {
        entries.push(await step(addEntry(packer, { name, size, mtime }, chunks, step)));
      };
      const header = Buffer.from(JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt }));
      await put(HEADER_ENTRY, header.length, [header]);
      await put(DATABASE_ENTRY, (await stat(snapshot)).size, createReadStream(snapshot));
      const secret = readServerSecret(services.paths);
      await put(SECRET_ENTRY, secret.length, [secret]);
      attachments = await copyBlobs(snapshot, services.paths.blobs, put);
      const manifest = Buffer.from(JSON.stringify({ entries }));
      await step(addEntry(packer, { name: MANIFEST_ENTRY, size: manifest.length, mtime }, [manifest], step));
      packer.finalize();
      await writing;
    } catch (error) {
      packer.destroy(error as Error);
      await writing.catch(() => undefined);
      throw writeError(error);
    }
    await syncFile(partial);
    // link() refuses an existing name, so a file that appeared meanwhile is never replaced.
    await link(partial, target).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? new BackupError(`${target} already exists; give a new file name`) : error;
    });
    await syncFile(dirname(target));
    services.audit({ actor: 'system', action: 'instance.backup', details: { encrypted, attachments, bytes, via: 'cli' } });
    return { file: target, createdAt, encrypted, attachments, bytes, sha256: fileHash.digest('hex') };
  } finally {
    await unlink(partial).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

function writeError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new BackupError('the disk is full: the backup was not written');
  return error;
}

/** Adds one entry of `size` bytes to the archive, hashing it on the way; streams, with backpressure. */
async function addEntry(
  packer: Pack,
  header: { name: string; size: number; mtime: Date },
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  step: <T>(p: Promise<T>) => Promise<T>,
): Promise<ManifestEntry> {
  const hash = createHash('sha256');
  let written = 0;
  let sink!: ReturnType<Pack['entry']>;
  const done = new Promise<void>((resolveDone, reject) => {
    sink = packer.entry({ ...header, mode: 0o600, type: 'file' }, (error) => (error ? reject(error) : resolveDone()));
  });
  done.catch(() => undefined);
  for await (const chunk of chunks) {
    hash.update(chunk);
    written += chunk.length;
    if (!sink.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) await step(drained(sink));
  }
  if (written !== header.size) throw new BackupError(`${header.name} has ${written} bytes where ${header.size} were expected`);
  sink.end(undefined);
  await step(done);
  return { name: header.name, size: written, sha256: hash.digest('hex') };
}

/** Copies every blob the database copy refers to; returns how many. */
async function copyBlobs(
  snapshot: string,
  blobsDir: string,
  put: (name: string, size: number, chunks: AsyncIterable<Uint8Array>) => Promise<void>,
): Promise<number> {
  const db = openDatabase(snapshot);
  let count = 0;
  try {
    const repo = createAttachmentsRepository(db);
    let after = '';
    for (;;) {
      const page = repo.listStored(after, BLOB_PAGE);
      for (const row of page) {
        const path = join(blobsDir, row.id);
        let handle: FileHandle;
        try {
          handle = await open(path, 'r');
        } catch {
          throw new BackupError(`the file of attachment ${row.id} is missing from ${blobsDir} (was its report deleted during the backup?); run the backup again`);
        }
        const { ino, size } = await handle.stat();
        if (size < row.received) {
          await handle.close();
          throw new BackupError(`the file of attachment ${row.id} is shorter than the database says (${size} < ${row.received} bytes)`);
        }
        // Only the bytes the copy counts: an upload in progress goes on from there after a restore.
        await put(`blobs/${row.id}`, row.received, handle.createReadStream({ start: 0, end: row.received - 1 }));
        // Deleted while it was read (retention overwrites a file before unlinking it): not a faithful copy.
        const now = await stat(path).catch(() => undefined);
        if (now?.ino !== ino) throw new BackupError(`attachment ${row.id} was deleted while it was copied; run the backup again`);
        count++;
      }
      if (page.length < BLOB_PAGE) return count;
      after = page.at(-1)!.id;
    }
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Restore

/**
 * Restores a backup into `dir`, which must be empty or not exist. Everything is unpacked into a
 * staging folder beside `dir` and checked there; only then is it moved in.
 */
export async function restoreBackup(file: string, dir: string, options: { passphrase?: string; clock?: Clock } = {}): Promise<RestoreResult> {
  const source = resolve(file);
  const target = resolve(dir);
  await refuseNonEmpty(target);
  let archive: FileHandle;
  try {
    archive = await open(source, 'r');
  } catch {
    throw new BackupError(`cannot read ${source}`);
  }
  let staging: string | undefined;
  let raw: ReturnType<FileHandle['createReadStream']> | undefined;
  try {
    const head = Buffer.alloc(BACKUP_MAGIC.length);
    await archive.read(head, 0, head.length, 0);
    const encrypted = isEncryptedBackup(head);
    if (encrypted && options.passphrase === undefined) {
      throw new BackupError('this backup is encrypted: give its passphrase on standard input with --passphrase-stdin');
    }
    // Prevents a swap: whoever expects an encrypted (authenticated) backup must not get a plain one.
    if (!encrypted && options.passphrase !== undefined) {
      throw new BackupError('this backup is not encrypted, yet a passphrase was given: check that it is the right file');
    }
    staging = await mkdir(dirname(target), { recursive: true })
      .then(() => mkdtemp(join(dirname(target), '.sealbox-restore-')))
      .catch((error: Error) => {
        throw new BackupError(`cannot make a staging folder beside ${target}: ${error.message}`);
      });
    await mkdir(join(staging, 'blobs'), { mode: 0o700 });

    raw = archive.createReadStream({ start: 0, autoClose: false });
    const plain: AsyncIterable<Uint8Array> = encrypted ? decryptBackup(options.passphrase!, raw) : raw;
    const unpacked = await unpack(plain, staging);
    verifyManifest(unpacked);
    // An encrypted archive is authenticated whole; a plain one has bytes no hash covers.
    if (!encrypted) await checkTarLayout(archive, unpacked.layout);

    const paths = dataPaths(staging);
    const problems = checkDatabaseFile(paths.database);
    if (problems.length > 0) throw damaged(`its database failed SQLite's integrity check: ${problems.slice(0, 3).join('; ')}`);
    const { audit, attachments } = await checkInstance(staging, unpacked, encrypted, options.clock ?? systemClock);

    await refuseNonEmpty(target);
    await mkdir(target, { recursive: true, mode: 0o700 });
    for (const name of await readdir(staging)) await move(join(staging, name), join(target, name));
    await chmod(target, 0o700);
    await syncFile(target);
    return { dataDir: target, createdAt: unpacked.createdAt, encrypted, attachments, audit };
  } catch (error) {
    throw restoreError(error);
  } finally {
    raw?.destroy();
    await archive.close();
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

interface Unpacked {
  createdAt: string;
  /** Entries as read, with the SHA-256 of what was written to the staging folder. */
  entries: ManifestEntry[];
  manifest: Buffer;
  /** Where each entry's header and data start in the tar file, to check the bytes around them. */
  layout: Array<{ header: number; data: number; size: number }>;
  blobs: Map<string, number>;
}

/** Reads the tar stream into `staging`, entry by entry, refusing anything a backup does not hold. */
async function unpack(plain: AsyncIterable<Uint8Array>, staging: string): Promise<Unpacked> {
  const extractor = extract();
  const feeding = feed(plain, extractor);
  feeding.catch(() => undefined);
  const result: Unpacked = { createdAt: '', entries: [], manifest: Buffer.alloc(0), layout: [], blobs: new Map() };
  let sawManifest = false;
  // The reader's own failure (a bad header, the data ending early, a chunk that failed to decrypt)
  // says more than the "destroyed" that the entry being read then reports.
  let cause: Error | undefined;
  extractor.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    for await (const source of extractor) {
      const { name, size, type } = source.header;
      const entry = source as unknown as AsyncIterable<Uint8Array>;
      if (sawManifest) throw damaged('it has data after its manifest');
      if (type !== 'file') throw damaged(`its entry ${JSON.stringify(name)} is not a file`);
      if (result.entries.length === 0 && name !== HEADER_ENTRY) throw new BackupError('this is not a Sealbox backup (it does not start with sealbox-backup.json)');
      if (result.entries.some((e) => e.name === name)) throw damaged(`it holds ${name} twice`);
      result.layout.push({ header: source.offset, data: (source.header as { byteOffset?: number }).byteOffset ?? -1, size });
      if (name === HEADER_ENTRY) {
        const text = await readSmall(entry, MAX_HEADER_BYTES, name);
        result.createdAt = readHeader(text.buffer);
        result.entries.push({ name, size, sha256: text.sha256 });
      } else if (name === MANIFEST_ENTRY) {
        result.manifest = (await readSmall(entry, MAX_MANIFEST_BYTES, name)).buffer;
        sawManifest = true;
      } else {
        const blob = BLOB_ENTRY.exec(name);
        if (name !== DATABASE_ENTRY && name !== SECRET_ENTRY && !blob) throw damaged(`it holds an unexpected entry ${JSON.stringify(name)}`);
        if (name === SECRET_ENTRY && size !== 32) throw damaged('its server secret is not 32 bytes');
        const sha256 = await writeStaged(entry, join(staging, name));
        if (blob) result.blobs.set(blob[1]!, size);
        result.entries.push({ name, size, sha256 });
      }
    }
    await feeding;
  } catch (error) {
    extractor.destroy();
    throw error instanceof BackupError ? error : (cause ?? error);
  }
  if (result.entries.length === 0) throw new BackupError('this is not a Sealbox backup (it holds no entry)');
  if (!sawManifest) throw damaged('it ends before its manifest');
  return result;
}

/** Writes the archive's bytes into the tar reader, waiting when it is full; stops if it is destroyed. */
async function feed(source: AsyncIterable<Uint8Array>, sink: Extract): Promise<void> {
  try {
    for await (const chunk of source) {
      if (sink.destroyed) return;
      if (!sink.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) await drained(sink);
    }
    sink.end(undefined);
  } catch (error) {
    sink.destroy(error as Error);
    throw error;
  }
}

/** Resolves when a stream can take more, or has closed (then the caller sees `destroyed`). */
function drained(stream: { once(event: string, fn: () => void): unknown; off(event: string, fn: () => void): unknown }): Promise<void> {
  return new Promise((resolveDrained) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolveDrained();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

async function readSmall(entry: AsyncIterable<Uint8Array>, max: number, name: string): Promise<{ buffer: Buffer; sha256: string }> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry) {
    size += chunk.length;
    if (size > max) throw damaged(`its ${name} is larger than ${max} bytes`);
    parts.push(Buffer.from(chunk));
  }
  const buffer = Buffer.concat(parts);
  return { buffer, sha256: createHash('sha256').update(buffer).digest('hex') };
}

function readHeader(bytes: Buffer): string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw damaged('its sealbox-backup.json is not JSON');
  }
  const header = backupHeader.safeParse(value);
  if (!header.success) throw new BackupError('this is not a Sealbox backup (sealbox-backup.json is not one)');
  if (header.data.version !== BACKUP_VERSION) {
    throw new BackupError(`this backup has format version ${header.data.version}; this Sealbox reads version ${BACKUP_VERSION} only`);
  }
  return header.data.createdAt;
}

/** Streams one entry to a new 0600 file, synced; returns the SHA-256 of what was written. */
async function writeStaged(entry: AsyncIterable<Uint8Array>, path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'wx', 0o600);
  try {
    for await (const chunk of entry) {
      hash.update(chunk);
      for (let done = 0; done < chunk.length;) done += (await handle.write(chunk, done, chunk.length - done)).bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** Every entry read must be in the manifest, in order, with its size and hash, and nothing else. */
function verifyManifest(unpacked: Unpacked): void {
  let value: unknown;
  try {
    value = JSON.parse(unpacked.manifest.toString('utf8'));
  } catch {
    throw damaged('its manifest is not JSON');
  }
  const parsed = manifestSchema.safeParse(value);
  // Written as exactly this JSON text: any other spelling (even a changed space) is damage.
  if (!parsed.success || JSON.stringify(parsed.data) !== unpacked.manifest.toString('utf8')) throw damaged('its manifest is malformed');
  const listed = parsed.data.entries;
  for (const [i, entry] of unpacked.entries.entries()) {
    const expected = listed[i];
    if (!expected || expected.name !== entry.name) throw damaged(`${entry.name} is not where the manifest lists it`);
    if (expected.size !== entry.size) throw damaged(`${entry.name} has ${entry.size} bytes; the manifest says ${expected.size}`);
    if (expected.sha256 !== entry.sha256) throw damaged(`the SHA-256 of ${entry.name} differs from the manifest`);
  }
  if (listed.length !== unpacked.entries.length) throw damaged(`the manifest lists ${listed.length} entries; the archive holds ${unpacked.entries.length}`);
  for (const required of [DATABASE_ENTRY, SECRET_ENTRY]) {
    if (!unpacked.entries.some((e) => e.name === required)) throw damaged(`it has no ${required}`);
  }
}

/**
 * Checks the bytes of a plain tar file that neither a hash nor a header checksum covers, so that
 * any altered byte is refused: the file must be exactly what the backup wrote, one 512-byte
 * header after another with nothing between them (no extension headers), each header's checksum
 * field spelled as tar-stream writes it, each entry's data padded with zeros to a block, and only zero
 * blocks after the last entry.
 */
async function checkTarLayout(archive: FileHandle, layout: Unpacked['layout']): Promise<void> {
  const buffer = Buffer.alloc(TAR_BLOCK);
  const read = async (position: number, length: number) => {
    const { bytesRead } = await archive.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  };
  const isZero = (bytes: Buffer) => bytes.every((b) => b === 0);
  let next = 0;
  for (const { header, data, size } of layout) {
    if (header !== next || data !== header + TAR_BLOCK) throw damaged(`it has unexpected blocks before the entry at byte ${header}`);
    // The checksum field is the one part of a header its checksum does not cover; the reader
    // also ignores spaces and NULs in it, so it must be exactly as written: six octal digits.
    if (!/^[0-7]{6} \0$/.test((await read(header + 148, 8)).toString('latin1'))) throw damaged(`the header at byte ${header} is altered`);
    const end = data + size;
    const padding = (TAR_BLOCK - (end % TAR_BLOCK)) % TAR_BLOCK;
    if (padding > 0) {
      const bytes = await read(end, padding);
      if (bytes.length !== padding || !isZero(bytes)) throw damaged(`the padding after the entry at byte ${header} is altered`);
    }
    next = end + padding;
  }
  const { size: total } = await archive.stat();
  if (total - next < 2 * TAR_BLOCK) throw damaged('it lacks the end-of-archive blocks');
  for (let at = next; at < total; at += TAR_BLOCK) {
    if (!isZero(await read(at, TAR_BLOCK))) throw damaged(`the end-of-archive block at byte ${at} is altered`);
  }
}

/**
 * Opens the staged database (bringing its schema up to date, as the server would), checks that
 * every attachment it refers to came with its bytes, verifies the audit trail, and records the
 * restore in it.
 */
async function checkInstance(staging: string, unpacked: Unpacked, encrypted: boolean, clock: Clock): Promise<{ audit: AuditVerifyResult; attachments: number }> {
  const paths = dataPaths(staging);
  const db = openDatabase(paths.database);
  try {
    const attachments = createAttachmentsRepository(db);
    const referenced = new Set<string>();
    let after = '';
    for (;;) {
      const page = attachments.listStored(after, BLOB_PAGE);
      for (const row of page) {
        if (unpacked.blobs.get(row.id) !== row.received) throw damaged(`it lacks the ${row.received} bytes of attachment ${row.id}`);
        referenced.add(row.id);
      }
      if (page.length < BLOB_PAGE) break;
      after = page.at(-1)!.id;
    }
    for (const id of unpacked.blobs.keys()) {
      if (!referenced.has(id)) throw damaged(`it holds blobs/${id}, which its database does not refer to`);
    }
    const audit = createAuditRepository(db);
    const verified = audit.verify();
    audit.append({ at: iso(clock.now()), actor: 'system', action: 'instance.restore', target: null, details: { backupCreatedAt: unpacked.createdAt, encrypted, via: 'cli' } });
    return { audit: verified, attachments: referenced.size };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const damaged = (what: string) => new BackupError(`the backup is damaged: ${what}; nothing was restored`);

/** Turns the tar reader's and the decryption's failures into sentences for the operator. */
function restoreError(error: unknown): unknown {
  if (error instanceof BackupError) return error;
  if (error instanceof SealboxCryptoError) {
    if (error.code === 'SBX_DECRYPT_FAILED' && /wrong passphrase/.test(error.message)) return new BackupError('wrong passphrase for this backup; nothing was restored');
    if (error.code === 'SBX_DECRYPT_FAILED') return damaged('a part of it failed authentication');
    if (error.code === 'SBX_STREAM_TRUNCATED') return damaged('it is cut short');
    return damaged(error.message);
  }
  const message = (error as Error).message ?? String(error);
  if (/tar header|Unexpected end of data|Invalid header|Header exceeds/i.test(message)) {
    return new BackupError(`this is not a Sealbox backup, or it is damaged (${message}); nothing was restored`);
  }
  return error;
}

async function refuseNonEmpty(target: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new BackupError(`${target} is not a folder`);
    throw error;
  }
  if (names.length > 0) throw new BackupError(`${target} is not empty; restore into an empty or new folder (nothing was written)`);
}

/**
 * A rename, or a copy when `to` is on another file system (an empty disk mounted as the data
 * folder, while the staging folder sits on its parent's). Exported for tests.
 */
export async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
    await syncTree(to);
    await rm(from, { recursive: true });
  }
}

/** fsyncs a file, or a folder and every file below it. */
async function syncTree(path: string): Promise<void> {
  if ((await stat(path)).isDirectory()) for (const name of await readdir(path)) await syncTree(join(path, name));
  await syncFile(path);
}

const exists = (path: string) => stat(path).then(() => true, () => false);
const isDirectory = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);

/** fsync: makes a file's bytes, or a folder's names, durable (any descriptor of the file will do). */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
