// SIGKILL during uploads: a real server process is killed while three attachments stream in (a
// PATCH piece of a resumable upload, and two whole PUTs). After a restart none of them shows as
// complete, to the reporter or to a reviewer; the PATCH upload resumes from the last piece the
// server acknowledged, one PUT starts again from zero, and both then decrypt to the original
// files; the third, abandoned, is removed with its blob by the purge of incomplete uploads.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { randomBytes } from '../../crypto/index.js';
import { loadConfig } from '../../server/config.js';
import { runMaintenance } from '../../server/maintenance.js';
import { MAX_PIECE } from '../../server/routes/reporter/attachments.js';
import { createServices } from '../../server/services.js';
import { TestClock } from '../helpers/instance.js';
import { httpClient, startServerProcess } from '../helpers/process.js';
import { TestReporter } from '../helpers/reporter.js';
import { waitFor } from '../helpers/wait.js';
import { fileSize, processInstance, PROCESS_ENV, reviewerView, sameBytes, streamingRequest } from './fixtures.js';

const OFFSET = 'application/offset+octet-stream';
const OCTET = 'application/octet-stream';

t.test('an upload cut by SIGKILL is never complete, resumes or restarts, and is purged if abandoned', async (t) => {
  const { dir, blobs, amina } = await processInstance(t, 'kill-upload');
  const server = await startServerProcess(dir, PROCESS_ENV);
  t.teardown(() => server.stop('SIGKILL'));
  const reporter = new TestReporter(httpClient(server.reporterUrl));
  t.equal((await reporter.submit('public', { category: 'SMUGGLING', description: 'files follow' })).statusCode, 201);

  // A: 20 MB in PATCH pieces of 8 MiB; B and C: 3 MB, each as one PUT.
  const files = { a: randomBytes(20_000_000), b: randomBytes(3_000_000), c: randomBytes(3_000_000) };
  const a = await reporter.declareAttachment('manifest.pdf', 'application/pdf', files.a);
  const b = await reporter.declareAttachment('photo.jpg', 'image/jpeg', files.b);
  const c = await reporter.declareAttachment('abandoned.bin', OCTET, files.c);
  t.same([a.res.statusCode, b.res.statusCode, c.res.statusCode], [201, 201, 201], 'three attachments declared');
  const blob = (id: string) => join(blobs, id);

  const first = await reporter.app.inject({
    method: 'PATCH', url: `/api/followup/attachments/${a.attachmentId}`,
    headers: { ...reporter.auth, 'content-type': OFFSET, 'upload-offset': '0' }, payload: a.stream.subarray(0, MAX_PIECE),
  });
  t.equal(first.statusCode, 204, 'the first piece of A is acknowledged');
  t.equal(first.headers['upload-offset'], String(MAX_PIECE));

  // The second piece of A and both PUTs are in flight, each part-way through its body, when the
  // server dies: the kill waits until the server has written some of each to disk.
  const url = (id: string) => `/api/followup/attachments/${id}`;
  const inFlight = [
    streamingRequest(server.reporterUrl, 'PATCH', url(a.attachmentId), { ...reporter.auth, 'content-type': OFFSET, 'upload-offset': String(MAX_PIECE) }, MAX_PIECE, a.stream.subarray(MAX_PIECE, MAX_PIECE + (3 << 20))),
    streamingRequest(server.reporterUrl, 'PUT', url(b.attachmentId), { ...reporter.auth, 'content-type': OCTET }, b.stream.length, b.stream.subarray(0, 1 << 20)),
    streamingRequest(server.reporterUrl, 'PUT', url(c.attachmentId), { ...reporter.auth, 'content-type': OCTET }, c.stream.length, c.stream.subarray(0, 1 << 20)),
  ];
  await waitFor(() => fileSize(blob(a.attachmentId)) > MAX_PIECE && fileSize(blob(b.attachmentId)) > 0 && fileSize(blob(c.attachmentId)) > 0, { what: 'the pieces in flight to reach the disk', timeoutMs: 60_000 });
  await server.stop('SIGKILL');
  const outcomes = await Promise.all(inFlight.map((r) => r.done));
  t.ok(outcomes.every((o) => 'error' in o), 'no upload in flight got an answer: the server died under them');

  // On disk, before the restart: the rows count only what was acknowledged; the blobs hold more.
  const dead = createServices(loadConfig({ SEALBOX_DATA_DIR: dir }));
  const rows = [a, b, c].map((x) => dead.repos.attachments.get(x.attachmentId)!);
  dead.close();
  t.same(rows.map((r) => [r.received, r.complete]), [[MAX_PIECE, false], [0, false], [0, false]], 'rows: A has its first piece, B and C nothing, none complete');
  t.ok(fileSize(blob(a.attachmentId)) > MAX_PIECE, `A's blob holds ${fileSize(blob(a.attachmentId))} bytes, part of the cut piece, which no row counts`);

  const again = await startServerProcess(dir, PROCESS_ENV);
  t.teardown(() => again.stop());
  const after = new TestReporter(httpClient(again.reporterUrl), reporter.code);
  const listed = (await after.followup()).json().attachments as { id: string; complete: boolean }[];
  t.same(listed.map((x) => x.complete), [false, false, false], 'the reporter sees all three as incomplete');
  const offset = async (id: string) => (await after.app.inject({ method: 'HEAD', url: url(id), headers: after.auth })).headers['upload-offset'];
  t.same([await offset(a.attachmentId), await offset(b.attachmentId), await offset(c.attachmentId)], [String(MAX_PIECE), '0', '0'], 'HEAD: go on from the acknowledged bytes');

  const view = await reviewerView(dir, amina);
  t.teardown(() => view.close());
  const before = await view.report(reporter.reportId);
  t.same(before.doc.attachments.map((x) => x.complete), [false, false, false], 'the reviewer sees none as complete');
  for (const x of [a, b, c]) t.match(await view.download(reporter.reportId, x.attachmentId), { status: 409, code: 'SBX_INCOMPLETE' }, 'and cannot download a partial file');

  // A resumes from its offset; B starts again with the whole PUT.
  for (let at = MAX_PIECE; at < a.stream.length; at += MAX_PIECE) {
    const res = await after.app.inject({
      method: 'PATCH', url: url(a.attachmentId), headers: { ...after.auth, 'content-type': OFFSET, 'upload-offset': String(at) },
      payload: a.stream.subarray(at, Math.min(at + MAX_PIECE, a.stream.length)),
    });
    t.equal(res.statusCode, 204, `A: the piece at ${at}`);
  }
  const put = await after.app.inject({ method: 'PUT', url: url(b.attachmentId), headers: { ...after.auth, 'content-type': OCTET }, payload: b.stream });
  t.equal(put.statusCode, 204, 'B: the whole PUT again');
  t.same((await view.report(reporter.reportId)).doc.attachments.map((x) => x.complete), [true, true, false], 'A and B are complete, C is not');
  t.ok(sameBytes((await view.download(reporter.reportId, a.attachmentId)).file, files.a), 'A decrypts to the original 20 MB');
  t.ok(sameBytes((await view.download(reporter.reportId, b.attachmentId)).file, files.b), 'B decrypts to the original');
  t.equal(fileSize(blob(a.attachmentId)), a.stream.length, 'A\'s blob is exactly its stream: the cut piece was cut off');

  // C is left. A day later the purge removes it, its blob too; a file a crash left half-deleted
  // (zeroed and renamed, not yet unlinked) goes as well.
  const leftover = join(blobs, `${'Z'.repeat(22)}.deleted`);
  writeFileSync(leftover, Buffer.alloc(4096));
  const later = createServices(loadConfig({ SEALBOX_DATA_DIR: dir }), new TestClock(Date.now() + 25 * 60 * 60 * 1000));
  t.teardown(() => later.close());
  const purged = await runMaintenance(later);
  t.equal(purged.uploads, 1, 'one incomplete upload purged');
  t.notOk(later.repos.attachments.get(c.attachmentId), 'C\'s row is gone');
  t.equal(fileSize(blob(c.attachmentId)), -1, 'C\'s blob is gone');
  t.equal(fileSize(leftover), -1, 'the half-deleted leftover is gone');
  t.equal(fileSize(blob(a.attachmentId)), a.stream.length, 'A stays');
  t.equal(fileSize(blob(b.attachmentId)), b.stream.length, 'B stays');
  t.same(((await after.followup()).json().attachments as { id: string }[]).map((x) => x.id), [a.attachmentId, b.attachmentId], 'the reporter sees A and B only');
  t.ok(later.repos.audit.verify().ok, 'the audit chain holds');
  await again.stop();
});
