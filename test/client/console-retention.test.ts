// Retention in the console: the 72-hour warning, the first day an extension may name, and the
// worker's extension against a real console app (the reason sealed as a note under Ki).
import t from 'tap';
import { decryptNote, openSealedKey, toB64u } from '../../crypto/index.js';
import { DELETION_WARNING_MS, deletionSoon, firstExtensionDay } from '../../client/console/retention-dates.js';
import { Vault } from '../../client/console/worker/vault.js';
import { DAY_MS } from '../../server/retention.js';
import { iso } from '../../server/time.js';
import { totpCode } from '../../server/totp.js';
import { addUser } from '../helpers/instance.js';
import { cookieHttp, nodeConsole, quietMember, submitWith } from './console-fixtures.js';

const HOUR = 60 * 60 * 1000;

t.test('the warning shows in the last 72 hours, and for a report already due', async (t) => {
  const deleteAt = '2028-01-01T10:00:00.000Z';
  const at = Date.parse(deleteAt);
  t.equal(DELETION_WARNING_MS, 72 * HOUR);
  t.equal(deletionSoon({ deleteAt: null }, at), false, 'an open report is never deleted');
  t.equal(deletionSoon({ deleteAt }, at - 73 * HOUR), false, '73 hours ahead: no warning yet');
  t.equal(deletionSoon({ deleteAt }, at - 72 * HOUR), true, 'exactly 72 hours ahead');
  t.equal(deletionSoon({ deleteAt }, at - HOUR), true);
  t.equal(deletionSoon({ deleteAt }, at + HOUR), true, 'due, the hourly job has not run yet');
});

t.test('the first day an extension may name is the day after the deletion day (UTC)', async (t) => {
  t.equal(firstExtensionDay('2028-01-01T10:00:00.000Z'), '2028-01-02');
  t.equal(firstExtensionDay('2028-01-01T00:00:00.000Z'), '2028-01-02', 'a midnight deletion (an earlier extension)');
  t.equal(firstExtensionDay('2028-02-28T23:59:59.999Z'), '2028-02-29', 'a leap year');
  t.equal(firstExtensionDay('2027-12-31T12:00:00.000Z'), '2028-01-01');
});

t.test('the worker extends a closed report with the reason as an internal note', async (t) => {
  const { inst, base, reporterApp } = await nodeConsole(t);
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const bob = quietMember(inst, 'bob', ['reviewer'], ['staff']);
  const reporter = await submitWith(reporterApp, 'staff', { category: 'OTHER', description: 'x' });
  const id = reporter.reportId;
  const now = iso(inst.clock.now());
  inst.services.repos.reports.updateTriage(id, { status: 'closed', outcome: 'referred', closedAt: now }, now);

  const vault = new Vault(cookieHttp(base));
  inst.clock.advance(30_000);
  await vault.login('alice', alice.passphrase, totpCode(alice.totpSecret, inst.clock.now()));
  const view = await vault.openReport(id);
  t.equal(view.item.deleteAt, iso(new Date(Date.parse(now) + 365 * DAY_MS)), 'the report view carries the deletion date');

  const day = firstExtensionDay(view.item.deleteAt!);
  const res = await vault.extendRetention(id, day, 'Kept until 2 Jan. Reason: pending appeal');
  t.equal(res.report.deleteAt, `${day}T00:00:00.000Z`);
  const stored = inst.services.repos.notes.listForReport(id).find((n) => n.id === res.note.id)!;
  const ki = openSealedKey(toB64u(inst.services.repos.reports.key(id, bob.keyId)!.sealedInternalKey!), bob.secrets.box);
  t.equal(decryptNote(ki, id, { nonce: toB64u(stored.nonce), ciphertext: toB64u(stored.ciphertext) }), 'Kept until 2 Jan. Reason: pending appeal',
    'another member reads the reason with the internal key');
  t.notMatch(JSON.stringify(inst.services.repos.audit.list({ limit: 1000 })), 'appeal', 'the audit trail has no reason');

  // Without the internal key there is no way to write the reason, so no extension either.
  const other = await submitWith(reporterApp, 'staff', { category: 'OTHER', description: 'y' });
  inst.services.repos.reports.addKeys(other.reportId, [{ keyId: bob.keyId, sealedKey: Buffer.alloc(80), sealedInternalKey: Buffer.alloc(80) }]);
  const waiting = await vault.openReport(other.reportId);
  t.equal(waiting.notesState, 'waiting');
  await t.rejects(vault.extendRetention(other.reportId, '2040-01-01', 'x'), /internal key/);
  vault.closeReport();
  await t.rejects(vault.extendRetention(id, day, 'x'), /not open/);
});
