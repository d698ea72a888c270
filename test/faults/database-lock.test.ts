// The database locked by a backup or another process, against a real server process. A long read
// transaction and an online backup (better-sqlite3's db.backup()) hold read locks only: in WAL
// mode the server's writes go on. A write lock (BEGIN IMMEDIATE) held for a moment makes writes
// wait (busy_timeout) and then succeed; held longer than busy_timeout, each write gets a clear
// 503 SBX_DATABASE_BUSY with Retry-After, never a 500, leaves nothing half-written (no report, no
// uncounted upload bytes), reads are served meanwhile, and the same requests succeed once the
// lock is released.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { randomBytes } from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { dataPaths } from '../../server/instance.js';
import { BUSY_RETRY_AFTER_SECONDS } from '../../server/operational-errors.js';
import { LogCapture } from '../helpers/instance.js';
import { httpClient, startServerProcess } from '../helpers/process.js';
import { TestReporter } from '../helpers/reporter.js';
import { fileSize, processInstance, PROCESS_ENV, reviewerView } from './fixtures.js';

const OCTET = 'application/octet-stream';
const OFFSET = 'application/offset+octet-stream';

const { dir, blobs, amina } = await processInstance(t, 'lock');
const server = await startServerProcess(dir, PROCESS_ENV);
t.teardown(() => server.stop());
const client = httpClient(server.reporterUrl);
/** Another process's connection to the same database: the backup tool, an operator's sqlite3 shell. */
const other = new Database(dataPaths(dir).database);
t.teardown(() => other.close());
const countReports = () => (other.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;

const reporter = new TestReporter(client);
t.equal((await reporter.submit('public', { category: 'BRIBERY', description: 'before any lock' })).statusCode, 201);
const url = (id: string) => `/api/followup/attachments/${id}`;
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const value = await fn();
  return [value, Math.round(performance.now() - start)];
};

t.test('a long read transaction (a backup reading its snapshot): writes proceed', async (t) => {
  other.exec('BEGIN');
  const seen = countReports();
  const [submitted, ms] = await timed(() => new TestReporter(client).submit('staff', { category: 'BRIBERY', description: 'during a read lock' }));
  t.equal(submitted.statusCode, 201, `a submission is stored (${ms} ms)`);
  t.equal((await reporter.sendMessage('a message during the read lock')).statusCode, 201, 'a message is stored');
  const file = await reporter.declareAttachment('a.txt', 'text/plain', randomBytes(5000));
  const put = await client.inject({ method: 'PUT', url: url(file.attachmentId), headers: { ...reporter.auth, 'content-type': OCTET }, payload: file.stream });
  t.equal(put.statusCode, 204, 'an upload completes');
  t.equal(countReports(), seen, 'the reader still sees its snapshot: the read lock was held throughout');
  other.exec('COMMIT');
  t.equal(countReports(), seen + 1, 'and sees the new report once it ends');
});

t.test('an online backup while reports arrive: both succeed, the copy is consistent', async (t) => {
  const copy = join(t.testdir(), 'backup.db');
  const atStart = countReports();
  let submitting = true;
  let finished = false;
  // The backup steps through the database while the submissions run (no pages per step until
  // they are done, so that it surely spans them; each foreign write makes it start over), then
  // copies the rest.
  const backup = other.backup(copy, { progress: () => (submitting ? 0 : 100) }).finally(() => (finished = true));
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    statuses.push((await new TestReporter(client).submit('public', { category: 'SMUGGLING', description: `during the backup ${i}` })).statusCode);
  }
  t.notOk(finished, 'the backup was still running after the last submission');
  submitting = false;
  await backup;
  t.same(statuses, [201, 201, 201, 201, 201], 'every submission made during the backup is stored');
  const restored = new Database(copy, { readonly: true });
  t.teardown(() => restored.close());
  t.equal(restored.pragma('integrity_check', { simple: true }), 'ok', 'the copy is intact');
  const inCopy = (restored.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
  t.equal(inCopy, atStart + 5, 'the copy holds every report');
  t.equal((restored.prepare('SELECT count(*) AS n FROM reports WHERE id NOT IN (SELECT report_id FROM report_contents)').get() as { n: number }).n, 0, 'no report without its content in the copy');
});

t.test('a write lock held briefly: writes wait for it, then succeed', async (t) => {
  other.exec('BEGIN IMMEDIATE');
  const held = 1000;
  const release = setTimeout(() => other.exec('COMMIT'), held);
  t.teardown(() => clearTimeout(release));
  const [res, ms] = await timed(() => reporter.sendMessage('sent while a write lock was held for a second'));
  t.equal(res.statusCode, 201, `the message is stored after waiting ${ms} ms`);
  t.ok(ms >= held * 0.9, 'it waited for the lock');
  t.notOk(other.inTransaction, 'the lock was released');
});

t.test('a write lock held past busy_timeout: 503 with Retry-After, nothing half-written, then recovery', async (t) => {
  // Prepared while the database is free: a challenge for a submission, a file with half its stream uploaded.
  const late = new TestReporter(client);
  const { channels, recoveryKey } = await late.channels();
  const { body: ch } = await late.challenge('public');
  const payload = late.buildReport('public', ch.reportId, 0, { category: 'BRIBERY', description: 'submitted during a write lock' }, [...channels.find((c) => c.id === 'public')!.recipients, recoveryKey!]);
  const file = await reporter.declareAttachment('ledger.xlsx', OCTET, randomBytes(300_000));
  const half = Math.floor(file.stream.length / 2);
  const patch = (from: number, to: number) => client.inject({
    method: 'PATCH', url: url(file.attachmentId), headers: { ...reporter.auth, 'content-type': OFFSET, 'upload-offset': String(from) }, payload: file.stream.subarray(from, to),
  });
  t.equal((await patch(0, half)).statusCode, 204);
  const view = await reviewerView(dir, amina);
  t.teardown(() => view.close());
  const before = countReports();

  other.exec('BEGIN IMMEDIATE');
  t.teardown(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
  });
  const isBusy = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, what: string) => {
    t.equal(res.statusCode, 503, `${what}: 503`);
    t.equal(res.headers['retry-after'], String(BUSY_RETRY_AFTER_SECONDS), `${what}: Retry-After`);
    t.match(res.json(), { statusCode: 503, code: 'SBX_DATABASE_BUSY', error: 'Service Unavailable', message: /database is busy.*nothing was changed/ }, `${what}: the error`);
  };
  const [submission, ms] = await timed(() => client.inject({ method: 'POST', url: '/api/reports', payload }));
  isBusy(submission, `a submission (answered after ${ms} ms)`);
  t.equal(countReports(), before, 'no report was stored');

  const [read, readMs] = await timed(() => reporter.followup());
  t.equal(read.statusCode, 200, `a read is served during the lock (${readMs} ms)`);

  isBusy(await patch(half, file.stream.length), 'the rest of an upload');
  t.equal(fileSize(join(blobs, file.attachmentId)), half, 'the piece written before the database refused was cut off again');
  t.equal((await client.inject({ method: 'HEAD', url: url(file.attachmentId), headers: reporter.auth })).headers['upload-offset'], String(half), 'HEAD still says the first half');

  const triage = await view.reviewer.send('PATCH', `/api/reports/${reporter.reportId}`, { severity: 'high' });
  isBusy(triage, 'a reviewer\'s triage');
  t.match(view.services.repos.reports.byId(reporter.reportId), { severity: null }, 'the triage did not change');
  // The same refusal by an app in this process (a shorter busy_timeout keeps the test quick).
  view.services.db.sqlite.pragma('busy_timeout = 200');
  const local = await buildApp('reporter', view.services, { logStream: new LogCapture() });
  t.teardown(() => local.close());
  isBusy(await local.inject({
    method: 'PATCH', url: url(file.attachmentId), headers: { ...reporter.auth, 'content-type': OFFSET, 'upload-offset': String(half) }, payload: Buffer.from(file.stream.subarray(half)),
  }), 'the rest of an upload, in this process');
  t.equal(fileSize(join(blobs, file.attachmentId)), half, 'cut off again there too');
  t.match(server.output(), /"code":"SBX_DATABASE_BUSY".*"msg":"operational error"/, 'the operator sees it in the log');
  t.notMatch(server.output(), /unexpected error/, 'and no unexpected error');

  other.exec('ROLLBACK');
  t.equal((await client.inject({ method: 'POST', url: '/api/reports', payload })).statusCode, 201, 'once released, the same submission is stored (its challenge was not used up)');
  t.equal((await patch(half, file.stream.length)).statusCode, 204, 'the upload completes from where it was');
  t.match(view.services.repos.attachments.get(file.attachmentId), { received: file.stream.length, complete: true });
  t.equal((await view.reviewer.send('PATCH', `/api/reports/${reporter.reportId}`, { severity: 'high' })).statusCode, 200, 'the triage goes through');
  t.equal(other.pragma('integrity_check', { simple: true }), 'ok', 'the database is intact');
  t.ok(view.services.repos.audit.verify().ok, 'the audit chain holds');
});
