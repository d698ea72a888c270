import t from 'tap';
import { bytes, makeChannel, makeUser, openTestDb, reportInput } from '../fixtures.js';

t.test('messages: add and list in order; reporter messages are reporter events', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const amal = makeUser(repos, 'amal');
  const created = repos.reports.create(reportInput('staff'), []);
  if (!created.ok) throw new Error('expected a report');
  const reportId = created.report.id;
  t.same(repos.messages.listForReport(reportId), []);

  const fromReporter = repos.messages.add({
    reportId,
    author: 'reporter',
    createdAt: '2026-11-28T16:00:00.000Z',
    nonce: bytes(24),
    ciphertext: bytes(528),
  })!;
  t.match(fromReporter, { reportId, author: 'reporter', authorUserId: null, createdAt: '2026-11-28T16:00:00.000Z', version: 1 });
  t.match(fromReporter.id, /^[A-Za-z0-9_-]{22}$/);
  t.ok(fromReporter.seq > created.report.seq);
  t.equal(repos.reports.byId(reportId)?.lastReporterSeq, fromReporter.seq);

  const fromReviewer = repos.messages.add({
    reportId,
    author: 'reviewer',
    authorUserId: amal.id,
    createdAt: '2026-11-28T16:42:13.512Z',
    nonce: bytes(24),
    ciphertext: bytes(528),
  })!;
  t.ok(fromReviewer.seq > fromReporter.seq);
  t.equal(repos.reports.byId(reportId)?.lastReporterSeq, fromReporter.seq, 'a reviewer reply is not a reporter event');
  t.equal(repos.reports.byId(reportId)?.updatedAt, created.report.updatedAt, 'no exact time leaks into the report');

  t.same(repos.messages.listForReport(reportId), [fromReporter, fromReviewer]);
  t.same(repos.messages.listForReport('nope'), []);
  t.end();
});

t.test('messages: refused for an unknown report, a bad author or a bad nonce', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const created = repos.reports.create(reportInput('staff'), []);
  if (!created.ok) throw new Error('expected a report');
  const base = { reportId: created.report.id, createdAt: '2026-11-28T16:00:00.000Z', nonce: bytes(24), ciphertext: bytes(528) };
  t.throws(() => repos.messages.add({ ...base, author: 'reporter', reportId: 'nope' }), /FOREIGN KEY/);
  t.throws(() => repos.messages.add({ ...base, author: 'admin' as 'reviewer' }), /messages_author_valid/);
  t.throws(() => repos.messages.add({ ...base, author: 'reporter', nonce: bytes(12) }), /messages_nonce_length/);
  t.same(repos.messages.listForReport(created.report.id), []);
  t.end();
});

t.test('messages: a version 2 message keeps the id its sender chose; a taken id stores nothing and draws no seq', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const created = repos.reports.create(reportInput('staff'), []);
  if (!created.ok) throw new Error('expected a report');
  const base = { reportId: created.report.id, author: 'reporter' as const, createdAt: '2026-11-28T16:00:00.000Z', nonce: bytes(24), ciphertext: bytes(528) };
  const id = 'AAAAAAAAAAAAAAAAAAAAAA';
  const first = repos.messages.add({ ...base, id });
  t.match(first, { id, version: 2 });
  t.equal(repos.messages.add({ ...base, id, ciphertext: bytes(1040) }), undefined, 'the same id again');
  const next = repos.messages.add(base)!;
  t.equal(next.version, 1);
  t.equal(next.seq, first!.seq + 1, 'the refused message drew no seq');
  t.same(repos.messages.listForReport(created.report.id).map((m) => m.id), [id, next.id]);
  t.end();
});
