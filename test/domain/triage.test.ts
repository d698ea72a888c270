// The triage rules without HTTP (domain/triage.ts): what a change stores, what it audits, and the
// rules it refuses with a domain error.
import t from 'tap';
import { DomainError } from '../../domain/errors.js';
import { planTriage, type TriageState } from '../../domain/triage.js';

const NOW = '2026-12-02T10:00:00.000Z';
const open: TriageState = { status: 'new', severity: null, category: null, office: null, process: null, outcome: null, acknowledgedAt: null, closedAt: null };
const context = { now: NOW, offices: ['Tema'], processes: ['release'], readers: ['alice', 'bob'], assignees: ['alice'] };

t.test('acknowledging sets the date once; labels change and are audited as [before, after]', async (t) => {
  const plan = planTriage(open, { status: 'acknowledged', severity: 'high', office: 'Tema' }, context);
  t.same(plan.patch, { status: 'acknowledged', acknowledgedAt: NOW, severity: 'high', office: 'Tema' });
  t.same(plan.changes, { status: ['new', 'acknowledged'], severity: [null, 'high'], office: [null, 'Tema'] });
  t.equal(plan.assignees, undefined);
  const again = planTriage({ ...open, status: 'acknowledged', acknowledgedAt: '2026-11-30T10:00:00.000Z' }, { status: 'acknowledged' }, context);
  t.same(again.patch, {}, 'nothing changes, and the first acknowledgement stands');
  t.same(again.changes, {});
});

t.test('closing needs an outcome; reopening clears it and the closing date', async (t) => {
  t.throws(() => planTriage(open, { status: 'closed' }, context), { code: 'SBX_INVALID_REQUEST', message: /needs an outcome/ });
  const closed = planTriage(open, { status: 'closed', outcome: 'spam' }, context);
  t.same(closed.patch, { outcome: 'spam', closedAt: NOW, status: 'closed' });
  const state: TriageState = { ...open, status: 'closed', outcome: 'spam', closedAt: NOW };
  const reopened = planTriage(state, { status: 'in_review' }, context);
  t.same(reopened.patch, { closedAt: null, outcome: null, status: 'in_review' });
  t.same(reopened.changes, { outcome: ['spam', null], status: ['closed', 'in_review'] });
  t.throws(() => planTriage(open, { outcome: 'referred' }, context), { code: 'SBX_INVALID_REQUEST', message: /when closing/ });
  t.same(planTriage(state, { outcome: 'duplicate' }, context).patch, { outcome: 'duplicate' }, 'a closed report may change its outcome');
});

t.test('office, process and assignees come from the lists and the report\'s readers', async (t) => {
  const error = (() => { try { planTriage(open, { office: 'Elsewhere' }, context); } catch (e) { return e; } })();
  t.ok(error instanceof DomainError && error.statusCode === 400, 'a domain error that HTTP carries as 400');
  t.throws(() => planTriage(open, { process: 'made up' }, context), { code: 'SBX_INVALID_REQUEST' });
  t.throws(() => planTriage(open, { assignees: ['mallory'] }, context), { message: /did not leave out/ }, 'only readers');
  const assigned = planTriage(open, { assignees: ['bob', 'alice', 'bob'] }, context);
  t.same(assigned.assignees, ['alice', 'bob']);
  t.same(assigned.changes, { assignees: [['alice'], ['alice', 'bob']] });
  t.equal(planTriage(open, { assignees: ['alice'] }, context).assignees, undefined, 'the same assignees change nothing');
  t.same(planTriage(open, { office: null, process: null }, context).patch, {}, 'clearing what is empty changes nothing');
});
