// Whom a report's key must be sealed to, without HTTP (domain/recipients.ts).
import t from 'tap';
import { leftOutBy } from '../../domain/recipients.js';

const rules = { members: [{ id: 'u-alice', keyId: 'k-alice' }, { id: 'u-bob', keyId: 'k-bob' }], recoveryKeyId: 'k-recovery', allowRecipientExclusion: true };

t.test('every member and the recovery key, or a declared exclusion', async (t) => {
  t.same(leftOutBy(rules, ['k-alice', 'k-bob', 'k-recovery'], []), []);
  t.same(leftOutBy(rules, ['k-alice', 'k-recovery'], ['u-bob']), ['u-bob'], 'a declared exclusion');
  t.same(leftOutBy(rules, ['k-alice', 'k-recovery'], undefined), ['u-bob'], 'an older page: derived from the envelopes');
  t.same(leftOutBy({ ...rules, members: [], recoveryKeyId: 'k-recovery' }, ['k-recovery'], []), [], 'a channel with no member yet');
});

t.test('each mismatch is refused with SBX_RECIPIENTS_MISMATCH', async (t) => {
  const refused = (keyIds: string[], declared: string[] | undefined, message: RegExp, r = rules) =>
    t.throws(() => leftOutBy(r, keyIds, declared), { code: 'SBX_RECIPIENTS_MISMATCH', message }, message.source);
  refused(['k-alice', 'k-alice', 'k-recovery'], [], /twice/);
  refused(['k-alice', 'k-mallory', 'k-recovery'], [], /not a recipient/);
  refused(['k-alice', 'k-bob'], [], /recovery key/);
  refused(['k-recovery'], ['u-alice', 'u-bob'], /at least one recipient/i);
  refused(['k-alice', 'k-recovery'], [], /exactly/, rules);
  refused(['k-alice', 'k-recovery'], ['u-alice'], /exactly/);
  refused(['k-alice', 'k-recovery'], ['u-bob', 'u-bob'], /exactly/);
  refused(['k-alice', 'k-recovery'], undefined, /every recipient/, { ...rules, allowRecipientExclusion: false });
});
