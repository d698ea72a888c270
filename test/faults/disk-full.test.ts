// The disk filling up, for real: the whole data folder (database, WAL, blobs) sits on a small
// tmpfs mounted by the test (root only; skipped with the reason otherwise). An upload that meets
// the full disk gets 507 SBX_INSUFFICIENT_STORAGE and keeps nothing of the piece (blob and row
// agree on the acknowledged bytes), the server goes on answering, and once the disk is grown the
// upload resumes and decrypts. A submission that SQLite cannot write is 507 too, never a 500,
// and leaves no trace. (An injected ENOSPC is tested in test/server/blobs.test.ts.)
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { randomBytes, ready } from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { initInstance } from '../../server/init.js';
import { createServices } from '../../server/services.js';
import { addUser, LogCapture, TestClock, knowRecoverySecret } from '../helpers/instance.js';
import { TestReporter } from '../helpers/reporter.js';
import { fileSize, reviewerView, sameBytes } from './fixtures.js';

await ready;
const PIECE = 2 << 20;
const OFFSET = 'application/offset+octet-stream';

/** Mounts a tmpfs of `size` at a new folder; undefined (with the reason) where that is not allowed. */
function mountTmpfs(size: string): { dir: string } | { reason: string } {
  if (process.getuid?.() !== 0) return { reason: 'mounting a tmpfs needs root' };
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { reason: `mount -t tmpfs is not permitted here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})` };
  }
}

/** Writes zeros to `file` until the file system is full; returns the bytes written. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

const mount = mountTmpfs('8m');
if ('reason' in mount) {
  t.test('the disk filling up, for real', { skip: `skipped: ${mount.reason}` }, async () => undefined);
} else {
  const dataDir = join(mount.dir, 'data');
  const init = initInstance(dataDir, { recoveryKey: true });
  const clock = new TestClock(Date.now());
  const services = knowRecoverySecret(createServices(loadConfig({ SEALBOX_DATA_DIR: dataDir, SEALBOX_POW_BITS: '0', SEALBOX_LOG_LEVEL: 'warn' }), clock), init.recoverySecret);
  const amina = addUser(services, 'amina', ['reviewer'], ['public', 'staff']);
  const log = new LogCapture();
  const app = await buildApp('reporter', services, { logStream: log });
  t.teardown(async () => {
    await app.close();
    services.close();
    execFileSync('umount', [mount.dir]);
    rmSync(mount.dir, { recursive: true, force: true });
  });
  const free = () => {
    const s = statfsSync(mount.dir);
    return s.bavail * s.bsize;
  };

  const reporter = new TestReporter(app);
  t.equal((await reporter.submit('public', { category: 'SMUGGLING', description: 'the scanner logs follow' })).statusCode, 201);
  const url = (id: string) => `/api/followup/attachments/${id}`;
  const offsetOf = async (id: string) => Number((await app.inject({ method: 'HEAD', url: url(id), headers: reporter.auth })).headers['upload-offset']);

  t.test('an upload that fills the disk: 507, nothing of the piece kept, the server serves on, the upload resumes', async (t) => {
    const file = randomBytes(12_000_000);
    const { attachmentId, stream } = await reporter.declareAttachment('scanner-logs.zip', 'application/zip', file);
    const blob = services.blobs.path(attachmentId);
    let acknowledged = 0;
    let refused: Awaited<ReturnType<typeof app.inject>> | undefined;
    t.comment(`${free()} bytes free on the tmpfs before the upload; the stream is ${stream.length} bytes`);
    while (acknowledged < stream.length) {
      const res = await app.inject({
        method: 'PATCH', url: url(attachmentId), headers: { ...reporter.auth, 'content-type': OFFSET, 'upload-offset': String(acknowledged) },
        payload: Buffer.from(stream.subarray(acknowledged, acknowledged + PIECE)),
      });
      if (res.statusCode !== 204) {
        refused = res;
        break;
      }
      acknowledged = Number(res.headers['upload-offset']);
    }
    t.ok(refused, `the disk filled up after ${acknowledged} bytes`);
    t.equal(refused!.statusCode, 507);
    t.match(refused!.json(), {
      statusCode: 507, code: 'SBX_INSUFFICIENT_STORAGE', error: 'Insufficient Storage',
      message: /^The server is out of storage; nothing of this (piece|request) was kept\. Try again later\.$/,
    }, 'a clear error code and message');
    t.ok(acknowledged > 0 && acknowledged % PIECE === 0, 'the pieces before it were acknowledged whole');

    // Nothing half-written: the blob, the row and HEAD agree on the acknowledged bytes.
    t.equal(fileSize(blob), acknowledged, 'the blob holds exactly the acknowledged pieces');
    t.match(services.repos.attachments.get(attachmentId), { received: acknowledged, complete: false }, 'the row counts them and no more');
    t.equal(await offsetOf(attachmentId), acknowledged, 'HEAD says to go on from there');
    t.match(log.text, /"code":"SBX_INSUFFICIENT_STORAGE","msg":"operational error"/, 'the operator sees it in the log');

    // The server keeps serving: a read and a small write.
    t.equal((await reporter.followup()).statusCode, 200, 'the follow-up reads');
    t.equal((await reporter.sendMessage('the rest of the logs will come later')).statusCode, 201, 'a small message is stored');
    const follow = (await reporter.read());
    t.same(follow.messages.map((m: { text: string }) => m.text), ['the rest of the logs will come later']);
    t.same(follow.doc.attachments.map((a: { complete: boolean }) => a.complete), [false], 'the file shows as incomplete');

    // The operator grows the disk; the upload goes on from the offset and completes.
    execFileSync('mount', ['-o', 'remount,size=64m', mount.dir]);
    for (let at = await offsetOf(attachmentId); at < stream.length; at += PIECE) {
      const res = await app.inject({
        method: 'PATCH', url: url(attachmentId), headers: { ...reporter.auth, 'content-type': OFFSET, 'upload-offset': String(at) },
        payload: Buffer.from(stream.subarray(at, at + PIECE)),
      });
      t.equal(res.statusCode, 204, `the piece at ${at}, after the disk grew`);
    }
    const view = await reviewerView(dataDir, amina, clock);
    t.teardown(() => view.close());
    t.ok(sameBytes((await view.download(reporter.reportId, attachmentId)).file, file), 'the file decrypts whole');
  });

  t.test('a submission SQLite cannot write for lack of space: 507, no trace, accepted once there is room', async (t) => {
    const before = services.db.sqlite.prepare('SELECT count(*) AS n FROM reports').get() as { n: number };
    const filler = join(mount.dir, 'filler');
    // The proof-of-work challenge is taken while there is room; then the disk fills up.
    const big = new TestReporter(app);
    const { channels, recoveryKey } = await big.channels();
    const { res: challenge, body: ch } = await big.challenge('public');
    t.equal(challenge.statusCode, 201);
    const small = await reporter.declareAttachment('note.txt', 'text/plain', randomBytes(100_000));
    t.equal(small.res.statusCode, 201);
    t.comment(`filled ${fillDisk(filler)} bytes`);
    const another = await new TestReporter(app).challenge('public');
    t.match({ status: another.res.statusCode, body: another.res.json() }, { status: 507, body: { code: 'SBX_INSUFFICIENT_STORAGE' } }, 'a new challenge cannot be stored either: 507');
    // About 700 KB of answers: a 1 MiB padded ciphertext that the WAL has no room for.
    const recipients = [...channels.find((c) => c.id === 'public')!.recipients, recoveryKey!];
    const payload = big.buildReport('public', ch.reportId, 0, { category: 'BRIBERY', description: 'x'.repeat(700_000) }, recipients);
    const res = await app.inject({ method: 'POST', url: '/api/reports', payload });
    t.equal(res.statusCode, 507, res.body);
    t.match(res.json(), { code: 'SBX_INSUFFICIENT_STORAGE', message: /nothing of this request was kept/ });
    t.same(services.db.sqlite.prepare('SELECT count(*) AS n FROM reports').get(), before, 'no report was stored');
    t.equal((await big.followup()).statusCode, 404, 'the receipt leads nowhere');
    // A file declared while there was room, uploaded once there is none.
    const put = await app.inject({ method: 'PUT', url: url(small.attachmentId), headers: { ...reporter.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(small.stream) });
    t.match({ status: put.statusCode, body: put.json() }, { status: 507, body: { code: 'SBX_INSUFFICIENT_STORAGE' } }, 'a whole upload is 507 as well');
    t.equal(fileSize(services.blobs.path(small.attachmentId)), 0, 'and keeps nothing of it');
    t.match(services.repos.attachments.get(small.attachmentId), { received: 0, complete: false });

    unlinkSync(filler);
    const again = await app.inject({ method: 'POST', url: '/api/reports', payload });
    t.equal(again.statusCode, 201, 'with room again, the same submission is accepted (its challenge was not used up)');
    const retried = await app.inject({ method: 'PUT', url: url(small.attachmentId), headers: { ...reporter.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(small.stream) });
    t.equal(retried.statusCode, 204, 'and the upload goes through');
    t.equal(String((await big.read()).content.answers.description).length, 700_000, 'and reads back whole');
    t.equal(services.db.sqlite.pragma('integrity_check', { simple: true }), 'ok', 'the database is intact');
    t.ok(services.repos.audit.verify().ok, 'the audit chain holds');
  });
}
