import { existsSync } from 'node:fs';
import t from 'tap';
import { runMaintenance, scheduleMaintenance } from '../../server/maintenance.js';
import { addUser, makeInstance } from '../helpers/instance.js';
import { TestReporter } from '../helpers/reporter.js';
import { waitFor } from '../helpers/wait.js';

const inst = await makeInstance();
t.teardown(() => inst.close());
addUser(inst.services, 'amina', ['reviewer'], ['public']);
const app = await inst.app('reporter');
const { repos, blobs } = inst.services;

t.test('an upload that never completes is purged after 24 hours, its blob overwritten and removed', async (t) => {
  const reporter = new TestReporter(app);
  t.equal((await reporter.submit('public', { description: 'x' })).statusCode, 201);
  const done = await reporter.declareAttachment('a.txt', 'text/plain', Buffer.from('complete file'));
  const put = await app.inject({ method: 'PUT', url: `/api/followup/attachments/${done.attachmentId}`, headers: { ...reporter.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(done.stream) });
  t.equal(put.statusCode, 204);
  const half = await reporter.declareAttachment('b.bin', 'application/octet-stream', Buffer.alloc(200_000, 1));
  const piece = Buffer.from(half.stream.subarray(0, 70_000));
  const patch = await app.inject({ method: 'PATCH', url: `/api/followup/attachments/${half.attachmentId}`, headers: { ...reporter.auth, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: piece });
  t.equal(patch.statusCode, 204, patch.body);
  t.ok(existsSync(blobs.path(half.attachmentId)));

  inst.clock.advance(23 * 60 * 60 * 1000);
  t.same((await runMaintenance(inst.services)).uploads, 0, 'not yet: 23 hours');
  inst.clock.advance(2 * 60 * 60 * 1000);
  const result = await runMaintenance(inst.services);
  t.equal(result.uploads, 1);
  t.notOk(repos.attachments.get(half.attachmentId), 'row gone');
  t.notOk(existsSync(blobs.path(half.attachmentId)), 'blob gone');
  t.ok(repos.attachments.get(done.attachmentId), 'the complete one stays');
  t.ok(existsSync(blobs.path(done.attachmentId)));
  const events = repos.audit.list({ action: 'attachment.purge_incomplete', limit: 5 });
  t.equal(events.length, 1);
  t.ok(repos.audit.verify().ok);
});

t.test('expired challenges go; fresh ones stay', async (t) => {
  const reporter = new TestReporter(app);
  const { body } = await reporter.challenge('public');
  t.ok(repos.challenges.get(body.reportId));
  t.equal((await runMaintenance(inst.services)).challenges, 0);
  inst.clock.advance(inst.services.config.challengeTtlMs + 1000);
  t.ok((await runMaintenance(inst.services)).challenges >= 1);
  t.notOk(repos.challenges.get(body.reportId));
});

t.test('scheduling runs at once and reports failures without throwing', async (t) => {
  const errors: unknown[] = [];
  const broken = { ...inst.services, repos: { ...inst.services.repos, challenges: { deleteExpired: () => { throw new Error('boom'); } } } } as unknown as typeof inst.services;
  const stop = scheduleMaintenance(broken, (e) => errors.push(e), 10);
  await waitFor(() => errors.length >= 2, { what: 'the first two (failing) runs to report their errors' });
  stop();
  t.match((errors[0] as Error).message, 'boom');
  const ok = scheduleMaintenance(inst.services, (e) => errors.push(e));
  ok();
});

t.test('removing a missing blob is not an error', async (t) => {
  await blobs.remove('AAAAAAAAAAAAAAAAAAAAAA');
  t.pass();
});
