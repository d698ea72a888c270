// The hand-counted set of the statistics tests: ten reports with known labels and dates, eight of
// them received in 2026. Every expected value in the tests that use it is worked out from here.
import type { TriagePatch } from '../../../db/repositories/reports.js';
import { bytes, makeChannel, makeUser, reportInput, type TestDb } from '../fixtures.js';

export const NOW = '2026-12-20T00:00:00.000Z';
export const YEAR = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', now: NOW };

export interface Case {
  channel: string;
  received: string;
  triage?: TriagePatch;
  /** Reviewer messages: [created at, sent before the triage (acknowledgement) or after]. */
  replies?: [string, 'before' | 'after'][];
}

/**
 * The hand-counted set. Deadlines: acknowledge by received + 7 days; feedback by acknowledgement
 * (or the 7-day mark) + 3 months. "Feedback" is the first reviewer message after the
 * acknowledgement, or closing if that came first.
 */
export const CASES: Record<string, Case> = {
  // Acknowledged after 2 days (in time); replied on day 10 (feedback, in time); closed substantiated.
  A: { channel: 'staff', received: '2026-01-10T09:00:00.000Z', replies: [['2026-01-20T09:00:00.000Z', 'after']],
    triage: { status: 'closed', category: 'BRIBERY', outcome: 'substantiated', office: 'Seaport North', process: 'examination',
      acknowledgedAt: '2026-01-12T09:00:00.000Z', closedAt: '2026-03-01T09:00:00.000Z' } },
  // Acknowledged after 10 days (late); no reply; closed after 137 days, past its feedback deadline (25 April).
  B: { channel: 'staff', received: '2026-01-15T10:00:00.000Z',
    triage: { status: 'closed', category: 'BRIBERY', outcome: 'unsubstantiated', acknowledgedAt: '2026-01-25T10:00:00.000Z', closedAt: '2026-06-01T10:00:00.000Z' } },
  // A message before the acknowledgement does not count; the one on day 7 does. Still open.
  C: { channel: 'public', received: '2026-02-03T08:00:00.000Z', replies: [['2026-02-03T20:00:00.000Z', 'before'], ['2026-02-10T08:00:00.000Z', 'after']],
    triage: { status: 'in_review', category: 'EXTORTION', office: 'Seaport North', process: 'examination', acknowledgedAt: '2026-02-04T08:00:00.000Z' } },
  // Never acknowledged, open: both deadlines passed by NOW.
  D: { channel: 'public', received: '2026-02-20T00:00:00.000Z' },
  // Two days old at NOW: nothing due yet.
  E: { channel: 'staff', received: '2026-12-18T00:00:00.000Z' },
  // Closed as spam the next day without an acknowledgement: feedback (closing) after 1 day.
  F: { channel: 'staff', received: '2026-03-05T00:00:00.000Z', triage: { status: 'closed', outcome: 'spam', closedAt: '2026-03-06T00:00:00.000Z' } },
  // Acknowledged after 1 day, closed substantiated after 31.
  G: { channel: 'public', received: '2026-03-07T12:00:00.000Z',
    triage: { status: 'closed', category: 'EXTORTION', outcome: 'substantiated', office: 'Seaport North', process: 'examination',
      acknowledgedAt: '2026-03-08T12:00:00.000Z', closedAt: '2026-04-07T12:00:00.000Z' } },
  // No category, no process: counted under "not set". Closed substantiated after 42 days.
  J: { channel: 'staff', received: '2026-03-20T00:00:00.000Z',
    triage: { status: 'closed', outcome: 'substantiated', office: 'Border Post East', acknowledgedAt: '2026-03-21T00:00:00.000Z', closedAt: '2026-05-01T00:00:00.000Z' } },
  // Outside 2026: the last hour of 2025 and the first instant of 2027.
  H: { channel: 'staff', received: '2025-12-31T23:00:00.000Z', triage: { status: 'closed', outcome: 'substantiated', office: 'Seaport North', process: 'examination', closedAt: '2026-01-02T00:00:00.000Z' } },
  I: { channel: 'public', received: '2027-01-01T00:00:00.000Z' },
};

export function loadCases(test: TestDb): Record<string, string> {
  const { repos } = test;
  makeChannel(repos, 'staff');
  makeChannel(repos, 'public');
  const amal = makeUser(repos, 'amal');
  const ids: Record<string, string> = {};
  for (const [name, c] of Object.entries(CASES)) {
    const created = repos.reports.create(reportInput(c.channel, { receivedAt: c.received }), []);
    if (!created.ok) throw new Error('expected a report');
    const id = (ids[name] = created.report.id);
    const reply = (at: string) => repos.messages.add({ reportId: id, author: 'reviewer', authorUserId: amal.id, createdAt: at, nonce: bytes(24), ciphertext: bytes(528) });
    for (const [at, when] of c.replies ?? []) if (when === 'before') reply(at);
    if (c.triage) repos.reports.updateTriage(id, c.triage, NOW);
    for (const [at, when] of c.replies ?? []) if (when === 'after') reply(at);
    // A message from the reporter is never feedback.
    repos.messages.add({ reportId: id, author: 'reporter', createdAt: c.received, nonce: bytes(24), ciphertext: bytes(528) });
  }
  return ids;
}

