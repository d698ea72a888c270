import t from 'tap';
import { REPORT_STATUSES } from '../../../domain/vocabulary.js';
import { bytes, envelope, makeChannel, makeUser, openTestDb, reportInput } from '../fixtures.js';

t.test('reports: create stores the report, its keys and the deadlines in one go', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const input = reportInput('staff', { receivedAt: '2026-11-28T16:00:00.000Z' });
  const result = repos.reports.create(input, [envelope('k1'), envelope('recovery')]);
  if (!result.ok) throw new Error('expected a report');
  const { report } = result;
  t.match(report, {
    id: input.id,
    channelId: 'staff',
    status: 'new',
    severity: null,
    outcome: null,
    receivedAt: '2026-11-28T16:00:00.000Z',
    acknowledgeBy: '2026-12-05T16:00:00.000Z',
    feedbackBy: '2027-03-05T16:00:00.000Z',
    updatedAt: '2026-11-28T16:00:00.000Z',
    acknowledgedAt: null,
    closedAt: null,
    retainUntil: null,
  });
  t.equal(report.lastReporterSeq, report.seq, 'the submission is the first reporter event');
  t.same(report.receiptTag, input.receiptTag);
  t.same(report.contentCiphertext, input.contentCiphertext);
  t.same(
    repos.reports.keys(report.id).map((key) => key.keyId),
    ['k1', 'recovery'],
  );
  t.same(repos.reports.byId(report.id), report);
  t.same(repos.reports.byReceiptTag(input.receiptTag), report);

  const second = repos.reports.create(reportInput('staff'), []);
  t.ok(second.ok && second.report.seq > report.seq, 'seq increases');
  t.same(second.ok && repos.reports.keys(second.report.id), []);
  t.end();
});

t.test('reports: not found is undefined', (t) => {
  const { repos } = openTestDb(t);
  t.equal(repos.reports.byId('nope'), undefined);
  t.equal(repos.reports.byReceiptTag(bytes(32)), undefined);
  t.equal(repos.reports.key('nope', 'k1'), undefined);
  t.same(repos.reports.keys('nope'), []);
  t.same(repos.reports.assignees('nope'), []);
  t.equal(repos.reports.updateTriage('nope', { status: 'closed' }, '2026-11-28T17:00:00.000Z'), undefined);
  t.equal(repos.reports.delete('nope'), false);
  t.end();
});

t.test('reports: a receipt tag can be used once, and a refused submission leaves nothing', (t) => {
  const { repos, db } = openTestDb(t);
  makeChannel(repos, 'staff');
  const tag = bytes(32);
  const first = repos.reports.create(reportInput('staff', { receiptTag: tag }), [envelope('k1')]);
  t.ok(first.ok);
  const clash = reportInput('staff', { receiptTag: Buffer.from(tag) });
  t.same(repos.reports.create(clash, [envelope('k1')]), { ok: false, reason: 'receipt-taken' });
  t.equal(repos.reports.byId(clash.id), undefined);
  t.same(repos.reports.keys(clash.id), []);
  t.equal(db.sqlite.prepare('SELECT count(*) FROM reports').pluck().get(), 1);
  t.end();
});

t.test('reports: a failed key insert rolls the whole submission back', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const input = reportInput('staff');
  t.throws(() => repos.reports.create(input, [{ keyId: 'k1', sealedKey: bytes(79) }]), /report_keys_sealed_key_length/);
  t.equal(repos.reports.byId(input.id), undefined);
  t.end();
});

t.test('reports: constraints refuse malformed rows', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  t.throws(() => repos.reports.create(reportInput('nope'), []), /FOREIGN KEY/, 'unknown channel');
  t.throws(() => repos.reports.create(reportInput('staff', { receiptTag: bytes(16) }), []), /receipt_tag_length/);
  t.throws(() => repos.reports.create(reportInput('staff', { reporterSealedKey: bytes(48) }), []), /sealed_key_length/);
  const ok = repos.reports.create(reportInput('staff'), []);
  if (!ok.ok) throw new Error('expected a report');
  t.throws(
    () => repos.reports.updateTriage(ok.report.id, { status: 'bogus' as 'new' }, '2026-11-28T17:00:00.000Z'),
    /reports_status_valid/,
  );
  t.end();
});

t.test('reports: triage updates fields, updatedAt and the feedback deadline', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const created = repos.reports.create(reportInput('staff', { receivedAt: '2026-11-28T16:00:00.000Z' }), []);
  if (!created.ok) throw new Error('expected a report');
  const id = created.report.id;

  const triaged = repos.reports.updateTriage(
    id,
    { severity: 'high', category: 'BRIBERY', office: 'Port A', process: 'release' },
    '2026-11-29T10:11:12.000Z',
  );
  t.match(triaged, {
    severity: 'high',
    category: 'BRIBERY',
    office: 'Port A',
    process: 'release',
    status: 'new',
    updatedAt: '2026-11-29T10:11:12.000Z',
    feedbackBy: '2027-03-05T16:00:00.000Z',
  });

  const acknowledged = repos.reports.updateTriage(
    id,
    { status: 'acknowledged', acknowledgedAt: '2026-11-30T09:00:00.000Z' },
    '2026-11-30T09:00:00.000Z',
  );
  t.match(acknowledged, { status: 'acknowledged', feedbackBy: '2027-02-28T09:00:00.000Z' }, 'due 3 months after');

  const closed = repos.reports.updateTriage(
    id,
    { status: 'closed', outcome: 'referred', closedAt: '2027-01-10T00:00:00.000Z', retainUntil: '2030-01-01T00:00:00.000Z' },
    '2027-01-10T00:00:00.000Z',
  );
  t.match(closed, {
    status: 'closed',
    outcome: 'referred',
    closedAt: '2027-01-10T00:00:00.000Z',
    retainUntil: '2030-01-01T00:00:00.000Z',
    acknowledgedAt: '2026-11-30T09:00:00.000Z',
    feedbackBy: '2027-02-28T09:00:00.000Z',
    severity: 'high',
  }, 'fields not in the patch are kept');

  const unacknowledged = repos.reports.updateTriage(id, { acknowledgedAt: null }, '2027-01-11T00:00:00.000Z');
  t.equal(unacknowledged?.feedbackBy, '2027-03-05T16:00:00.000Z', 'clearing the acknowledgement restores the deadline');
  t.end();
});

t.test('reports: assignees', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const amal = makeUser(repos, 'amal');
  const zoe = makeUser(repos, 'zoe');
  const created = repos.reports.create(reportInput('staff'), []);
  if (!created.ok) throw new Error('expected a report');
  const id = created.report.id;
  t.same(repos.reports.assignees(id), []);
  repos.reports.setAssignees(id, [zoe.id, amal.id]);
  t.same(repos.reports.assignees(id), [amal.id, zoe.id].sort());
  repos.reports.setAssignees(id, [zoe.id]);
  t.same(repos.reports.assignees(id), [zoe.id], 'setAssignees replaces');
  repos.reports.setAssignees(id, []);
  t.same(repos.reports.assignees(id), []);
  t.end();
});

t.test('reports: key envelopes are added, completed with Ki, never overwritten', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const first = envelope('k1');
  const created = repos.reports.create(reportInput('staff'), [first]);
  if (!created.ok) throw new Error('expected a report');
  const id = created.report.id;
  t.match(repos.reports.key(id, 'k1'), { reportId: id, keyId: 'k1', sealedKey: first.sealedKey, sealedInternalKey: null });

  repos.reports.addKeys(id, []);
  const ki1 = bytes(80);
  const granted = envelope('k2');
  repos.reports.addKeys(id, [{ keyId: 'k1', sealedKey: bytes(80), sealedInternalKey: ki1 }, { ...granted, sealedInternalKey: bytes(80) }]);
  const k1 = repos.reports.key(id, 'k1');
  t.same(k1?.sealedKey, first.sealedKey, 'the sealed key stays');
  t.same(k1?.sealedInternalKey, ki1, 'a missing Ki envelope is added');
  t.same(repos.reports.key(id, 'k2')?.sealedKey, granted.sealedKey, 'a new recipient is granted');

  repos.reports.addKeys(id, [{ keyId: 'k1', sealedKey: bytes(80), sealedInternalKey: bytes(80) }]);
  t.same(repos.reports.key(id, 'k1')?.sealedInternalKey, ki1, 'an existing Ki envelope is never replaced');
  repos.reports.addKeys(id, [{ keyId: 'k1', sealedKey: bytes(80) }]);
  t.same(repos.reports.key(id, 'k1')?.sealedInternalKey, ki1, 'nor cleared');
  t.same(
    repos.reports.keys(id).map((key) => key.keyId),
    ['k1', 'k2'],
  );
  t.end();
});

t.test('reports: delete cascades to everything that belongs to the report', (t) => {
  const { repos, db } = openTestDb(t);
  makeChannel(repos, 'staff');
  const amal = makeUser(repos, 'amal');
  const created = repos.reports.create(reportInput('staff'), [envelope('k1')]);
  if (!created.ok) throw new Error('expected a report');
  const id = created.report.id;
  repos.reports.setAssignees(id, [amal.id]);
  repos.messages.add({ reportId: id, author: 'reporter', createdAt: '2026-11-28T16:00:00.000Z', nonce: bytes(24), ciphertext: bytes(528) });
  repos.notes.add({ reportId: id, authorUserId: amal.id, nonce: bytes(24), ciphertext: bytes(528) });
  repos.attachments.create({ id: 'att', reportId: id, size: 10, metaNonce: bytes(24), metaCiphertext: bytes(528), createdAt: '2026-11-28T16:00:00.000Z' });
  repos.reads.markRead(amal.id, id, 1);

  t.equal(repos.reports.delete(id), true);
  for (const table of ['reports', 'report_keys', 'report_assignees', 'messages', 'notes', 'attachments', 'report_reads']) {
    t.equal(db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), 0, `${table} is empty`);
  }
  t.ok(repos.users.byId(amal.id), 'the user stays');
  t.end();
});

t.test('reports: counts per status cover the given channels only', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  makeChannel(repos, 'public');
  const now = '2026-11-29T00:00:00.000Z';
  for (const status of ['new', 'new', 'closed', 'in_review'] as const) {
    const created = repos.reports.create(reportInput('staff'), []);
    if (created.ok) repos.reports.updateTriage(created.report.id, { status }, now);
  }
  repos.reports.create(reportInput('public'), []);
  const zero = Object.fromEntries(REPORT_STATUSES.map((status) => [status, 0]));
  t.same(repos.reports.countByStatus(['staff']), { ...zero, new: 2, closed: 1, in_review: 1 });
  t.same(repos.reports.countByStatus(['staff', 'public']), { ...zero, new: 3, closed: 1, in_review: 1 });
  t.same(repos.reports.countByStatus([]), zero);
  t.end();
});
