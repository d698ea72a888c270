// The console inbox: filters, keyset pagination, assignees and unread markers.

import t, { type Test } from 'tap';
import type { Repositories } from '../../../db/repositories/index.js';
import type { InboxQuery } from '../../../db/repositories/reports.js';
import type { Report } from '../../../db/schema.js';
import { bytes, makeChannel, makeUser, openTestDb, reportInput } from '../fixtures.js';

const NOW = '2026-11-28T16:00:00.000Z';

function submit(repos: Repositories, channelId: string, receivedAt: string): Report {
  const created = repos.reports.create(reportInput(channelId, { receivedAt }), []);
  if (!created.ok) throw new Error('expected a report');
  return created.report;
}

function scenario(t: Test) {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  makeChannel(repos, 'public');
  const amal = makeUser(repos, 'amal');
  const zoe = makeUser(repos, 'zoe');
  // Unacknowledged for months: the acknowledgement is overdue.
  const late = submit(repos, 'staff', '2026-01-01T10:00:00.000Z');
  // Acknowledged on time, but no feedback within 3 months: the feedback is overdue.
  const stale = submit(repos, 'staff', '2026-01-05T10:00:00.000Z');
  repos.reports.updateTriage(stale.id, { status: 'in_review', acknowledgedAt: '2026-01-06T10:00:00.000Z' }, NOW);
  // Old but closed: never overdue.
  const closed = submit(repos, 'staff', '2026-01-02T10:00:00.000Z');
  repos.reports.updateTriage(closed.id, { status: 'closed', closedAt: '2026-02-01T00:00:00.000Z' }, NOW);
  // Recent and triaged, assigned to amal.
  const triaged = submit(repos, 'staff', '2026-11-20T10:00:00.000Z');
  repos.reports.updateTriage(
    triaged.id,
    { status: 'acknowledged', acknowledgedAt: '2026-11-21T10:00:00.000Z', severity: 'high', category: 'BRIBERY' },
    NOW,
  );
  repos.reports.setAssignees(triaged.id, [amal.id, zoe.id]);
  const other = submit(repos, 'public', '2026-11-27T10:00:00.000Z');
  repos.reports.updateTriage(other.id, { severity: 'high' }, NOW);
  const fresh = submit(repos, 'staff', '2026-11-28T15:00:00.000Z');
  return { repos, amal, zoe, late, stale, closed, triaged, other, fresh };
}

type Scenario = ReturnType<typeof scenario>;

const ids = (repos: Repositories, query: Omit<InboxQuery, 'limit'> & { limit?: number }): string[] =>
  repos.reports.list({ limit: 50, ...query }).reports.map((report) => report.id);

t.test('the inbox lists the channels of the viewer, newest first, with triage fields and assignees', (t) => {
  const { repos, amal, zoe, late, stale, closed, triaged, fresh } = scenario(t);
  const page = repos.reports.list({ viewerId: amal.id, channelIds: ['staff'], limit: 50 });
  t.same(
    page.reports.map((report) => report.id),
    [fresh.id, triaged.id, closed.id, stale.id, late.id],
  );
  t.equal(page.nextCursor, null);
  const item = page.reports[1]!;
  t.same(item, {
    id: triaged.id,
    channelId: 'staff',
    receivedAt: '2026-11-20T10:00:00.000Z',
    status: 'acknowledged',
    severity: 'high',
    category: 'BRIBERY',
    office: null,
    process: null,
    outcome: null,
    acknowledgedAt: '2026-11-21T10:00:00.000Z',
    closedAt: null,
    acknowledgeBy: '2026-11-27T10:00:00.000Z',
    feedbackBy: '2027-02-21T10:00:00.000Z',
    retainUntil: null,
    seq: triaged.seq,
    assignees: [amal.id, zoe.id].sort(),
    unread: true,
  });
  t.same(page.reports[0]!.assignees, []);
  t.end();
});

t.test('the inbox never leaves the channels of the viewer', (t) => {
  const s: Scenario = scenario(t);
  const { repos, amal, other } = s;
  t.same(ids(repos, { viewerId: amal.id, channelIds: ['staff', 'public'], channelId: 'public' }), [other.id]);
  t.same(ids(repos, { viewerId: amal.id, channelIds: ['staff'], channelId: 'public' }), [], 'a channel not theirs');
  t.same(ids(repos, { viewerId: amal.id, channelIds: [] }), [], 'no channels at all');
  t.same(ids(repos, { viewerId: amal.id, channelIds: ['staff', 'public'] }).length, 6);
  t.end();
});

t.test('the inbox filters by status, severity, category, assignee and overdue', (t) => {
  const { repos, amal, zoe, late, stale, closed, triaged, other, fresh } = scenario(t);
  const both = { viewerId: amal.id, channelIds: ['staff', 'public'] };
  t.same(ids(repos, { ...both, status: 'new' }), [fresh.id, other.id, late.id]);
  t.same(ids(repos, { ...both, status: 'closed' }), [closed.id]);
  t.same(ids(repos, { ...both, status: 'needs_information' }), []);
  t.same(ids(repos, { ...both, severity: 'high' }), [other.id, triaged.id]);
  t.same(ids(repos, { ...both, category: 'BRIBERY' }), [triaged.id]);
  t.same(ids(repos, { ...both, assigneeId: zoe.id }), [triaged.id]);
  t.same(ids(repos, { ...both, assigneeId: 'nobody' }), []);
  t.same(ids(repos, { ...both, overdue: NOW }), [stale.id, late.id]);
  // `late` must be acknowledged by 2026-01-08T10:00:00.000Z.
  t.same(ids(repos, { ...both, overdue: '2026-01-08T10:00:00.001Z' }), [late.id], 'just past the deadline');
  t.same(ids(repos, { ...both, overdue: '2026-01-08T10:00:00.000Z' }), [], 'at the deadline it is not overdue yet');
  t.same(ids(repos, { ...both, severity: 'high', channelId: 'staff' }), [triaged.id], 'filters combine');
  t.same(ids(repos, { ...both, status: 'new', overdue: NOW }), [late.id]);
  t.end();
});

t.test('the inbox pages by seq, stable while new reports arrive', (t) => {
  const { repos, amal, late, stale, closed, triaged, fresh } = scenario(t);
  const query = { viewerId: amal.id, channelIds: ['staff'], limit: 2 };
  const first = repos.reports.list(query);
  t.same(
    first.reports.map((report) => report.id),
    [fresh.id, triaged.id],
  );
  t.equal(first.nextCursor, triaged.seq);

  submit(repos, 'staff', NOW); // arrives between pages: belongs on page one, not in the middle
  const second = repos.reports.list({ ...query, cursor: first.nextCursor! });
  t.same(
    second.reports.map((report) => report.id),
    [closed.id, stale.id],
  );
  const third = repos.reports.list({ ...query, cursor: second.nextCursor! });
  t.same(
    third.reports.map((report) => report.id),
    [late.id],
  );
  t.equal(third.nextCursor, null, 'last page');

  const exact = repos.reports.list({ ...query, limit: 1, status: 'closed' });
  t.equal(exact.reports.length, 1);
  t.equal(exact.nextCursor, null, 'a page that ends exactly at the last report has no next cursor');
  t.end();
});

t.test('the inbox refuses a nonsensical page size', (t) => {
  const { repos, amal } = scenario(t);
  for (const limit of [0, -1, 1.5, Number.NaN]) {
    t.throws(() => repos.reports.list({ viewerId: amal.id, channelIds: ['staff'], limit }), RangeError);
  }
  t.end();
});

t.test('unread: per viewer, until read; a reporter event makes it unread again', (t) => {
  const { repos, amal, zoe, late } = scenario(t);
  const unread = (viewerId: string): boolean =>
    repos.reports.list({ viewerId, channelIds: ['staff'], limit: 50 }).reports.find((r) => r.id === late.id)!.unread;

  t.equal(unread(amal.id), true, 'never read');
  repos.reads.markRead(amal.id, late.id, repos.reports.byId(late.id)!.lastReporterSeq);
  t.equal(unread(amal.id), false, 'read');
  t.equal(unread(zoe.id), true, 'another reviewer has not read it');

  repos.messages.add({ reportId: late.id, author: 'reviewer', authorUserId: zoe.id, createdAt: NOW, nonce: bytes(24), ciphertext: bytes(528) });
  t.equal(unread(amal.id), false, 'a reviewer reply is not news from the reporter');

  repos.messages.add({ reportId: late.id, author: 'reporter', createdAt: NOW, nonce: bytes(24), ciphertext: bytes(528) });
  t.equal(unread(amal.id), true, 'a reporter message');
  const afterMessage = repos.reports.byId(late.id)!.lastReporterSeq;
  repos.reads.markRead(amal.id, late.id, afterMessage);
  t.equal(unread(amal.id), false);

  repos.attachments.create({ id: 'att', reportId: late.id, size: 5, metaNonce: bytes(24), metaCiphertext: bytes(528), createdAt: NOW });
  t.equal(unread(amal.id), true, 'a reporter attachment');
  t.end();
});

t.test('oldest first: the same filters, pages that follow on in the other direction', (t) => {
  const { repos, amal, late, stale, closed, triaged, fresh } = scenario(t);
  const all = ids(repos, { viewerId: amal.id, channelIds: ['staff'], order: 'oldest' });
  t.same(all, [late.id, stale.id, closed.id, triaged.id, fresh.id], 'arrival order');
  const first = repos.reports.list({ viewerId: amal.id, channelIds: ['staff'], order: 'oldest', limit: 2 });
  t.same(first.reports.map((r) => r.id), [late.id, stale.id]);
  const second = repos.reports.list({ viewerId: amal.id, channelIds: ['staff'], order: 'oldest', limit: 2, cursor: first.nextCursor! });
  t.same(second.reports.map((r) => r.id), [closed.id, triaged.id]);
  t.same(ids(repos, { viewerId: amal.id, channelIds: ['staff'], order: 'oldest', status: 'new' }), [late.id, fresh.id], 'with a filter');
  t.same(ids(repos, { viewerId: amal.id, channelIds: ['staff', 'public'], order: 'oldest', assigneeId: amal.id }), [triaged.id], 'assigned to');
  t.same(ids(repos, { viewerId: amal.id, channelIds: ['staff'], order: 'newest' }), [fresh.id, triaged.id, closed.id, stale.id, late.id], 'newest is the default order');
  t.end();
});
