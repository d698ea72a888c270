// The blob store: appends at an offset, cuts back on any error, refuses more than allowed, maps a
// full disk to 507, keeps ids to file names inside its folder, and overwrites before it unlinks.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { BlobStore } from '../../server/blobs.js';
import { HttpError } from '../../server/errors.js';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const ID2 = 'BBBBBBBBBBBBBBBBBBBBBg';

function store(t: Test) {
  const dir = join(t.testdir(), 'blobs');
  mkdirSync(dir, { recursive: true });
  return { dir, blobs: new BlobStore(dir), file: (id = ID) => join(dir, id) };
}

const bytes = (n: number, fill = 7) => Buffer.alloc(n, fill);
/** A stream of `pieces`, then an error with `code` (raised only once someone reads, so never unheard). */
function failing(pieces: Buffer[], code?: string, name = 'Error'): Readable {
  let next = 0;
  return new Readable({
    read() {
      if (next < pieces.length) this.push(pieces[next++]);
      else this.destroy(code === undefined ? undefined : Object.assign(new Error(`failure ${code}`), { code, name }));
    },
  });
}

t.test('path: only 16-byte base64url ids name a file, inside the folder', async (t) => {
  const { blobs, dir } = store(t);
  t.equal(blobs.path(ID), join(dir, ID));
  for (const bad of ['', '..', '../../etc/passwd', `${ID}/..`, `${ID.slice(1)}`, `${ID}A`, 'AAAAAAAAAAAAAAAAAAAAA=', 'AAAAAAAAAAAAAAAAAAAA/A', 'AAAAAAAAAAAAAAAAAAAA\0A', `${ID}\n`]) {
    t.throws(() => blobs.path(bad), { statusCode: 400, code: 'SBX_INVALID_REQUEST' }, JSON.stringify(bad));
  }
  await t.rejects(blobs.append('../x', 0, Readable.from([]), 10), { statusCode: 400, code: 'SBX_INVALID_REQUEST' });
  await t.rejects(blobs.remove('../../etc/passwd'), { statusCode: 400, code: 'SBX_INVALID_REQUEST' });
  t.throws(() => blobs.read('..'), { statusCode: 400, code: 'SBX_INVALID_REQUEST' });
});

t.test('append: writes at the offset, returns the bytes written, accumulates', async (t) => {
  const { blobs, file } = store(t);
  t.equal(await blobs.size(ID), 0, 'a missing blob has size 0');
  t.equal(await blobs.exists(ID), false);
  t.equal(await blobs.append(ID, 0, Readable.from([bytes(10, 1), bytes(5, 2)]), 100), 15);
  t.equal(await blobs.exists(ID), true);
  t.equal(await blobs.append(ID, 15, Readable.from([bytes(20, 3)]), 20), 20, 'exactly the maximum is fine');
  t.equal(await blobs.size(ID), 35);
  t.same(readFileSync(file()), Buffer.concat([bytes(10, 1), bytes(5, 2), bytes(20, 3)]));
  t.equal(await blobs.append(ID, 35, Readable.from([]), 10), 0, 'an empty piece');
  t.equal(await blobs.append(ID, 35, Readable.from(['te', 'xt']), 10), 4, 'string chunks are bytes too');
  t.same(readFileSync(file()).subarray(35), Buffer.from('text'));
  // Reading back as a stream.
  const chunks: Buffer[] = [];
  for await (const c of blobs.read(ID)) chunks.push(c as Buffer);
  t.equal(Buffer.concat(chunks).length, 39);
});

t.test('append: bytes past the offset (a crash after a write, before its database update) are cut first', async (t) => {
  const { blobs, file } = store(t);
  writeFileSync(file(), Buffer.concat([bytes(10, 1), bytes(90, 9)]));
  t.equal(await blobs.append(ID, 10, Readable.from([bytes(5, 2)]), 100), 5);
  t.same(readFileSync(file()), Buffer.concat([bytes(10, 1), bytes(5, 2)]));
});

t.test('append: more than maxBytes is 413 and the blob is as it was', async (t) => {
  const { blobs, file } = store(t);
  await blobs.append(ID, 0, Readable.from([bytes(10, 1)]), 10);
  const body = Readable.from([bytes(6, 2), bytes(6, 3), bytes(100, 4)]);
  await t.rejects(blobs.append(ID, 10, body, 11), { statusCode: 413, code: 'SBX_TOO_LARGE' });
  t.same(readFileSync(file()), bytes(10, 1), 'the blob keeps exactly its 10 bytes');
  t.equal(body.destroyed && !body.readableEnded, false, 'the body is not destroyed: the answer can still reach the client');
  // A single chunk over the limit.
  await t.rejects(blobs.append(ID, 10, Readable.from([bytes(12)]), 11), { statusCode: 413, code: 'SBX_TOO_LARGE' });
  t.equal(statSync(file()).size, 10);
  // The rest of a refused body is read and dropped.
  const rest = new PassThrough();
  const p = blobs.append(ID, 10, rest, 4);
  rest.write(bytes(5));
  await t.rejects(p, { statusCode: 413, code: 'SBX_TOO_LARGE' });
  let drained = 0;
  rest.on('data', (c: Buffer) => (drained += c.length));
  rest.end(bytes(1000));
  await new Promise((resolve) => rest.once('end', resolve));
  t.ok(rest.readableEnded, 'the refused body was read to its end');
});

t.test('append: an interrupted body is 400 SBX_UPLOAD_ABORTED and leaves nothing of itself', async (t) => {
  const { blobs, file } = store(t);
  await blobs.append(ID, 0, Readable.from([bytes(10, 1)]), 100);
  for (const [code, name] of [['ECONNRESET', 'Error'], ['ERR_STREAM_PREMATURE_CLOSE', 'Error'], ['ABORT_ERR', 'AbortError']] as const) {
    await t.rejects(blobs.append(ID, 10, failing([bytes(30, 2)], code, name), 100), { statusCode: 400, code: 'SBX_UPLOAD_ABORTED' }, code);
    t.same(readFileSync(file()), bytes(10, 1), `${code}: the blob is cut back to its 10 bytes`);
  }
  // A stream that just stops without ending.
  await t.rejects(blobs.append(ID, 10, failing([bytes(7)]), 100), { statusCode: 400, code: 'SBX_UPLOAD_ABORTED' }, 'a premature close');
  t.equal(statSync(file()).size, 10);
});

t.test('append: a full disk (ENOSPC, EDQUOT) is 507 and nothing of the piece is kept', async (t) => {
  const { blobs, file } = store(t);
  await blobs.append(ID, 0, Readable.from([bytes(10, 1)]), 100);
  for (const code of ['ENOSPC', 'EDQUOT']) {
    const err = await blobs.append(ID, 10, failing([bytes(20, 2), bytes(20, 3)], code), 100).catch((e: unknown) => e);
    t.type(err, HttpError);
    t.match(err, { statusCode: 507, code: 'SBX_INSUFFICIENT_STORAGE' }, code);
    t.same(readFileSync(file()), bytes(10, 1), `${code}: cut back`);
  }
});

t.test('append: a write that fails on the disk itself is 507 and cut back', async (t) => {
  const { blobs, file } = store(t);
  await blobs.append(ID, 0, Readable.from([bytes(10, 1)]), 100);
  // The file handle's write fails as a full disk would make it fail.
  const open = fsPromises.open;
  let failed = 0;
  const { BlobStore: Mocked } = await t.mockImport<typeof import('../../server/blobs.js')>('../../server/blobs.js', {
    'node:fs/promises': {
      ...fsPromises,
      open: async (...args: Parameters<typeof open>) => {
        const handle = await open(...args);
        if (args[1] !== 'r+') return handle;
        const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<unknown>;
        let calls = 0;
        return Object.assign(handle, {
          write: async (...a: unknown[]) => {
            if (++calls === 2) {
              failed++;
              throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
            }
            return write(...a);
          },
        });
      },
    },
  });
  const mocked = new Mocked(blobs.dir);
  await t.rejects(mocked.append(ID, 10, Readable.from([bytes(20, 2), bytes(20, 3)]), 100), { statusCode: 507, code: 'SBX_INSUFFICIENT_STORAGE' });
  t.equal(failed, 1);
  t.same(readFileSync(file()), bytes(10, 1), 'the first chunk, already on disk, is cut back off');
});

t.test('append: any other error passes through unchanged (a 500, logged by the error handler)', async (t) => {
  const { blobs, file } = store(t);
  const err = await blobs.append(ID, 0, failing([bytes(5)], 'EIO'), 100).catch((e: unknown) => e);
  t.notOk(err instanceof HttpError);
  t.match(err, { code: 'EIO' });
  t.equal(statSync(file()).size, 0);
});

t.test('truncateTo cuts a blob back', async (t) => {
  const { blobs, file } = store(t);
  await blobs.append(ID, 0, Readable.from([bytes(50)]), 100);
  await blobs.truncateTo(ID, 20);
  t.equal(statSync(file()).size, 20);
});

t.test('remove: overwrites with zeros, syncs, renames, unlinks', async (t) => {
  const { blobs, dir, file } = store(t);
  const big = Buffer.alloc((1 << 20) * 2 + 123, 0xab);
  writeFileSync(file(), big);
  writeFileSync(file(ID2), bytes(10));
  // Watch the bytes as they are overwritten: the file is read just before it is renamed.
  const rename = fsPromises.rename;
  let seen: Buffer | undefined;
  const { BlobStore: Mocked } = await t.mockImport<typeof import('../../server/blobs.js')>('../../server/blobs.js', {
    'node:fs/promises': {
      ...fsPromises,
      rename: async (from: string, to: string) => {
        seen = readFileSync(from);
        t.equal(to, `${from}.deleted`, 'renamed before the unlink');
        return rename(from, to);
      },
    },
  });
  await new Mocked(dir).remove(ID);
  t.ok(seen, 'the file was renamed');
  t.equal(seen!.length, big.length, 'the whole length was overwritten');
  t.equal(seen!.indexOf(0xab), -1, 'with zeros, every byte');
  t.notOk(existsSync(file()), 'gone');
  t.same(readdirSync(dir), [ID2], 'nothing else touched, no .deleted file left');
  await blobs.remove(ID);
  t.pass('removing a missing blob is a no-op');
  // An empty blob is removed too.
  writeFileSync(file(), Buffer.alloc(0));
  await blobs.remove(ID);
  t.notOk(existsSync(file()));
});

t.test('openRead: the stored length and a stream of that same file; undefined when missing', async (t) => {
  const { blobs, file } = store(t);
  t.equal(await blobs.openRead(ID), undefined, 'a missing blob');
  writeFileSync(file(), bytes(1000, 5));
  const opened = (await blobs.openRead(ID))!;
  t.equal(opened.size, 1000);
  // Replaced after opening: the open file is still the one measured and sent.
  writeFileSync(file(ID2), bytes(10, 6));
  await fsPromises.rename(file(ID2), file());
  const chunks: Buffer[] = [];
  for await (const c of opened.stream()) chunks.push(c as Buffer);
  t.same(Buffer.concat(chunks), bytes(1000, 5), 'the bytes of the file as opened');
  const unread = (await blobs.openRead(ID))!;
  await unread.close();
  t.pass('a blob opened and not sent is closed');
  await t.rejects(blobs.openRead('../x'), { statusCode: 400, code: 'SBX_INVALID_REQUEST' });
  // A folder where the file should be is an I/O fault, not a missing file.
  const { BlobStore: Mocked } = await t.mockImport<typeof import('../../server/blobs.js')>('../../server/blobs.js', {
    'node:fs/promises': {
      ...fsPromises,
      open: async () => {
        throw Object.assign(new Error('input/output error'), { code: 'EIO' });
      },
    },
  });
  await t.rejects(new Mocked(blobs.dir).openRead(ID), { code: 'EIO' }, 'other errors pass through');
});

t.test('sweepRemoved: unlinks what a crash in remove() left renamed, and nothing else', async (t) => {
  const { blobs, dir, file } = store(t);
  writeFileSync(file(), bytes(10));
  writeFileSync(`${file(ID2)}.deleted`, Buffer.alloc(10));
  writeFileSync(join(dir, 'notes.deleted'), bytes(1));
  t.equal(await blobs.sweepRemoved(), 1);
  t.same(readdirSync(dir).sort(), [ID, 'notes.deleted'], 'the blob and a file that is not a blob stay');
  t.equal(await blobs.sweepRemoved(), 0, 'nothing left to sweep');
});
