import t from 'tap';
import { bytes, makeChannel, makeUser, openTestDb, reportInput } from '../fixtures.js';

t.test('notes: add and list in order, without touching the reporter markers', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const amal = makeUser(repos, 'amal');
  const created = repos.reports.create(reportInput('staff'), []);
  if (!created.ok) throw new Error('expected a report');
  const reportId = created.report.id;
  t.same(repos.notes.listForReport(reportId), []);

  const first = repos.notes.add({ reportId, authorUserId: amal.id, nonce: bytes(24), ciphertext: bytes(528) });
  t.match(first, { reportId, authorUserId: amal.id });
  t.match(first.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'defaults to now');
  const second = repos.notes.add({
    reportId,
    authorUserId: amal.id,
    createdAt: '2026-11-28T17:00:00.000Z',
    nonce: bytes(24),
    ciphertext: bytes(1024),
  });
  t.ok(second.seq > first.seq);
  t.equal(second.createdAt, '2026-11-28T17:00:00.000Z');
  t.same(repos.notes.listForReport(reportId), [first, second]);
  t.equal(repos.reports.byId(reportId)?.lastReporterSeq, created.report.seq);
  t.throws(() => repos.notes.add({ reportId, authorUserId: 'nobody', nonce: bytes(24), ciphertext: bytes(528) }), /FOREIGN KEY/);
  t.end();
});
