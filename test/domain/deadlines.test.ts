import t from 'tap';
import { acknowledgeBy, feedbackBy } from '../../domain/deadlines.js';

t.test('acknowledgement is due 7 days after receipt', (t) => {
  t.equal(acknowledgeBy('2026-11-28T16:00:00.000Z'), '2026-12-05T16:00:00.000Z');
  t.end();
});

t.test('feedback is due 3 months after the acknowledgement', (t) => {
  t.equal(feedbackBy('2026-11-28T16:00:00.000Z', '2026-11-30T09:15:00.000Z'), '2027-02-28T09:15:00.000Z');
  t.equal(feedbackBy('2027-11-28T16:00:00.000Z', '2027-11-30T09:15:00.000Z'), '2028-02-29T09:15:00.000Z', 'leap year');
  t.equal(feedbackBy('2026-01-10T00:00:00.000Z', '2026-01-15T00:00:00.000Z'), '2026-04-15T00:00:00.000Z');
  t.end();
});

t.test('without an acknowledgement, feedback is due 3 months after the 7-day mark', (t) => {
  t.equal(feedbackBy('2026-11-28T16:00:00.000Z', null), '2027-03-05T16:00:00.000Z');
  t.equal(feedbackBy('2026-10-24T00:00:00.000Z', null), '2027-01-31T00:00:00.000Z', 'across a year end');
  t.end();
});
