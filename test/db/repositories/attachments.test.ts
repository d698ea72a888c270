import t from 'tap';
import type { NewAttachmentInput } from '../../../db/repositories/attachments.js';
import { bytes, makeChannel, openTestDb, reportInput } from '../fixtures.js';

function setup(t: Parameters<typeof openTestDb>[0]) {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const created = repos.reports.create(reportInput('staff'), []);
  if (!created.ok) throw new Error('expected a report');
  const input = (id: string, overrides: Partial<NewAttachmentInput> = {}): NewAttachmentInput => ({
    id,
    reportId: created.report.id,
    size: 100,
    metaNonce: bytes(24),
    metaCiphertext: bytes(528),
    createdAt: '2026-11-28T16:00:00.000Z',
    ...overrides,
  });
  return { repos, report: created.report, input };
}

t.test('attachments: create, get, list; a duplicate id is refused', (t) => {
  const { repos, report, input } = setup(t);
  t.same(repos.attachments.listForReport(report.id), []);
  const a = repos.attachments.create(input('a'));
  t.match(a, { id: 'a', reportId: report.id, size: 100, received: 0, complete: false });
  t.ok(a!.seq > report.seq);
  t.equal(repos.reports.byId(report.id)?.lastReporterSeq, a!.seq, 'an attachment is a reporter event');
  t.equal(repos.attachments.create(input('a', { size: 5 })), undefined, 'the id is taken');
  t.equal(repos.attachments.get('a')?.size, 100, 'the first one is untouched');
  t.equal(repos.reports.byId(report.id)?.lastReporterSeq, a!.seq, 'a refused attachment is no event');
  const b = repos.attachments.create(input('b'));
  t.same(repos.attachments.listForReport(report.id), [a, b]);
  t.same(repos.attachments.get('a'), a);
  t.equal(repos.attachments.get('nope'), undefined);
  t.end();
});

t.test('attachments: bytes are counted up to the declared size, then completed once', (t) => {
  const { repos, input } = setup(t);
  repos.attachments.create(input('a', { size: 100 }));
  t.equal(repos.attachments.markComplete('a'), false, 'not every byte arrived');
  t.equal(repos.attachments.addReceived('a', 60), 60);
  t.equal(repos.attachments.addReceived('a', 41), undefined, 'past the declared size');
  t.equal(repos.attachments.get('a')?.received, 60, 'a refused piece counts nothing');
  t.equal(repos.attachments.addReceived('a', 40), 100);
  t.equal(repos.attachments.markComplete('a'), true);
  t.equal(repos.attachments.get('a')?.complete, true);
  t.equal(repos.attachments.markComplete('a'), false, 'already complete');
  t.equal(repos.attachments.addReceived('a', 0), undefined, 'a complete attachment takes nothing more');
  t.equal(repos.attachments.addReceived('nope', 1), undefined);
  t.equal(repos.attachments.markComplete('nope'), false);

  repos.attachments.create(input('empty', { size: 0 }));
  t.equal(repos.attachments.markComplete('empty'), true, 'a zero-byte stream is complete at once');
  t.end();
});

t.test('attachments: incomplete uploads older than a time, and delete', (t) => {
  const { repos, input } = setup(t);
  repos.attachments.create(input('old', { createdAt: '2026-11-27T10:00:00.000Z' }));
  repos.attachments.create(input('done', { createdAt: '2026-11-27T10:00:00.000Z', size: 1 }));
  repos.attachments.addReceived('done', 1);
  repos.attachments.markComplete('done');
  repos.attachments.create(input('recent', { createdAt: '2026-11-28T15:00:00.000Z' }));
  t.same(
    repos.attachments.listIncompleteOlderThan('2026-11-28T12:00:00.000Z').map((a) => a.id),
    ['old'],
  );
  t.equal(repos.attachments.delete('old'), true);
  t.equal(repos.attachments.delete('old'), false);
  t.same(repos.attachments.listIncompleteOlderThan('2026-11-28T12:00:00.000Z'), []);
  t.end();
});

t.test('attachments: refused for a bad nonce or an unknown report', (t) => {
  const { repos, input } = setup(t);
  t.throws(() => repos.attachments.create(input('x', { metaNonce: bytes(23) })), /attachments_meta_nonce_length/);
  t.throws(() => repos.attachments.create(input('y', { reportId: 'nope' })), /FOREIGN KEY/);
  t.end();
});
