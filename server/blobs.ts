// Encrypted attachment streams on disk, data/blobs/<attachmentId>: written as they arrive, never
// held whole in memory, synced before an upload is acknowledged, overwritten before removal.
import { createReadStream, type ReadStream } from 'node:fs';
import { open, readdir, rename, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { HttpError } from './errors.js';

/** Attachment ids are base64url of 16 bytes: nothing else may become a file name. */
const ID = /^[A-Za-z0-9_-]{22}$/;
/** A blob renamed by remove() after it was zeroed. */
const REMOVED = /^[A-Za-z0-9_-]{22}\.deleted$/;

/** A blob opened for reading (BlobStore.openRead). */
export interface OpenBlob {
  /** Bytes in the file as it was opened. */
  size: number;
  /** The file's bytes; the stream closes the file when it ends or is destroyed. */
  stream(): ReadStream;
  /** Closes the file without reading it. */
  close(): Promise<void>;
}

export class BlobStore {
  constructor(readonly dir: string) {}

  path(id: string): string {
    // Prevents path traversal: the id was validated by the route schema, and is checked again here.
    if (!ID.test(id)) throw new HttpError(400, 'SBX_INVALID_REQUEST', 'attachment id is invalid');
    return join(this.dir, id);
  }

  /**
   * Appends the body to the blob at `offset` (the bytes already received). Accepts at most
   * `maxBytes`; more is an error that leaves the blob as it was. Returns the bytes written.
   *
   * The body is read but never destroyed here: on a refusal (too many bytes, a full disk) the
   * rest of it is read and dropped, so that the client sees the 4xx or 507 instead of a reset.
   */
  async append(id: string, offset: number, body: Readable, maxBytes: number): Promise<number> {
    const file = this.path(id);
    // A crash between a write and its database update can leave bytes past `offset`: cut them.
    await this.ensureLength(file, offset);
    const handle = await open(file, 'r+');
    let written = 0;
    try {
      for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (written + bytes.length > maxBytes) throw new HttpError(413, 'SBX_TOO_LARGE', 'the piece goes past the declared size');
        await writeAll(handle, bytes, offset + written);
        written += bytes.length;
      }
      await handle.sync();
      return written;
    } catch (error) {
      // What is left of a refused body is read and dropped, so that the answer can still be sent.
      if (!body.destroyed) body.resume();
      await handle.truncate(offset).catch(() => undefined);
      throw mapWriteError(error);
    } finally {
      await handle.close();
    }
  }

  /** Cuts the blob back to `length` bytes (an upload refused after some bytes were written). */
  async truncateTo(id: string, length: number): Promise<void> {
    await truncate(this.path(id), length);
  }

  async size(id: string): Promise<number> {
    try {
      return (await stat(this.path(id))).size;
    } catch {
      return 0;
    }
  }

  read(id: string): ReadStream {
    return createReadStream(this.path(id));
  }

  /**
   * Opens a blob for reading: its length as stored and a stream over that same open file, so that
   * the length checked is the length sent. Undefined when the file is missing.
   */
  async openRead(id: string): Promise<OpenBlob | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.path(id), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      return { size, stream: () => handle.createReadStream(), close: () => handle.close() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Removes what a crash in remove() can leave: a file already zeroed and renamed, whose unlink did
   * not happen. Returns how many went.
   */
  async sweepRemoved(): Promise<number> {
    const leftovers = (await readdir(this.dir)).filter((name) => REMOVED.test(name));
    for (const name of leftovers) await unlink(join(this.dir, name));
    return leftovers.length;
  }

  async exists(id: string): Promise<boolean> {
    return stat(this.path(id)).then(() => true, () => false);
  }

  /** Overwrites the blob with zeros, syncs, then unlinks it, so its bytes do not linger on disk. */
  async remove(id: string): Promise<void> {
    const file = this.path(id);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      return;
    }
    const handle = await open(file, 'r+');
    try {
      const zeros = Buffer.alloc(Math.min(size, 1 << 20));
      for (let at = 0; at < size; at += zeros.length) await handle.write(zeros, 0, Math.min(zeros.length, size - at), at);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Renamed before unlinking, so a crash in between leaves a zeroed file that no row names.
    const doomed = `${file}.deleted`;
    await rename(file, doomed);
    await unlink(doomed);
  }

  private async ensureLength(file: string, length: number): Promise<void> {
    const handle = await open(file, 'a');
    try {
      const { size } = await handle.stat();
      if (size !== length) await handle.truncate(length);
    } finally {
      await handle.close();
    }
  }
}

/** Writes every byte of `bytes` at `position` (a positional write may be partial). */
async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

function mapWriteError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new HttpError(507, 'SBX_INSUFFICIENT_STORAGE', 'The server is out of storage; nothing of this piece was kept. Try again later.');
  }
  if (error instanceof HttpError) return error;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as Error).name === 'AbortError') {
    return new HttpError(400, 'SBX_UPLOAD_ABORTED', 'The upload was interrupted; ask for the offset and go on from there');
  }
  return error;
}
