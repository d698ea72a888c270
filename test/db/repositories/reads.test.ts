import t from 'tap';
import { makeChannel, makeUser, openTestDb, reportInput } from '../fixtures.js';

t.test('read markers only move forward', (t) => {
  const { repos, db } = openTestDb(t);
  makeChannel(repos, 'staff');
  const amal = makeUser(repos, 'amal');
  const created = repos.reports.create(reportInput('staff'), []);
  if (!created.ok) throw new Error('expected a report');
  const id = created.report.id;
  const lastSeq = (): unknown =>
    db.sqlite.prepare('SELECT last_seq FROM report_reads WHERE user_id = ? AND report_id = ?').pluck().get(amal.id, id);

  t.equal(lastSeq(), undefined);
  repos.reads.markRead(amal.id, id, 5);
  t.equal(lastSeq(), 5);
  repos.reads.markRead(amal.id, id, 3);
  t.equal(lastSeq(), 5, 'an older page saved late does not move the marker back');
  repos.reads.markRead(amal.id, id, 8);
  t.equal(lastSeq(), 8);
  t.end();
});

t.test('lastSeq reads one user\'s marker on one report', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const amal = makeUser(repos, 'amal');
  const zoe = makeUser(repos, 'zoe');
  const created = repos.reports.create(reportInput('staff'), []);
  if (!created.ok) throw new Error('expected a report');
  const id = created.report.id;
  t.equal(repos.reads.lastSeq(amal.id, id), undefined, 'never opened');
  repos.reads.markRead(amal.id, id, 7);
  t.equal(repos.reads.lastSeq(amal.id, id), 7);
  t.equal(repos.reads.lastSeq(zoe.id, id), undefined, 'another user\'s marker is their own');
  t.end();
});
