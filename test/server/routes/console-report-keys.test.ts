// POST /api/reports/:id/keys: handing the report key to a member who lacks it, adding internal-key
// envelopes, and refusing keys for anyone the channel does not trust.
import t from 'tap';
import { generateBoxKeyPair, generateReportKey, keyIdOf, openSealedKey, parseRecoverySecret, randomBytes, sealKey, toB64u } from '../../../crypto/index.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, quietUser, signIn, submitReport, unchanged } from './console-fixtures.js';

const { inst, app, reporterApp, services, clock } = await consoleSetup(t);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const report = await submitReport(reporterApp, 'staff');
const elsewhere = await submitReport(reporterApp, 'public');
// Joined after the report arrived: no envelope yet.
const omar = quietUser(services, 'omar', ['reviewer'], ['staff']);
const reviewer = await signIn(app, clock, zoe);
const id = report.reportId;
const url = `/api/reports/${id}/keys`;
const recovery = parseRecoverySecret(inst.recoverySecret);

t.test('a reviewer hands the report key to a member who joined later', async (t) => {
  const doc = (await reviewer.get(`/api/reports/${id}`)).json();
  const key = openSealedKey(doc.sealedKey, zoe.secrets.box);
  const res = await reviewer.send('POST', url, { keys: [{ keyId: omar.keyId, sealedKey: sealKey(key, omar.secrets.box.publicKey) }] });
  t.equal(res.statusCode, 201);
  t.same(res.json(), { keyIds: [omar.keyId], sealedInternalKey: null }, 'the caller has no internal-key envelope yet');
  const envelope = services.repos.reports.key(id, omar.keyId)!;
  t.same(openSealedKey(toB64u(envelope.sealedKey), omar.secrets.box), report.reportKey, 'omar can open it');
  t.equal(envelope.sealedInternalKey, null);
  t.match(auditOf(services, 'report.keys').at(-1), { actor: `user:${zoe.id}`, target: id, details: { keyIds: [omar.keyId], internal: [] } });
  const after = (await reviewer.get(`/api/reports/${id}`)).json();
  t.equal(after.members.find((m: { username: string }) => m.username === 'omar').hasKey, true);
});

t.test('the first reviewer to open a report adds internal-key envelopes; nothing is replaced', async (t) => {
  const internal = generateReportKey();
  const mine = services.repos.reports.key(id, zoe.keyId)!;
  const res = await reviewer.send('POST', url, {
    keys: [
      { keyId: zoe.keyId, sealedKey: sealKey(generateReportKey(), zoe.secrets.box.publicKey), sealedInternalKey: sealKey(internal, zoe.secrets.box.publicKey) },
      { keyId: omar.keyId, sealedKey: sealKey(report.reportKey, omar.secrets.box.publicKey), sealedInternalKey: sealKey(internal, omar.secrets.box.publicKey) },
      { keyId: keyIdOf(recovery.publicKey), sealedKey: sealKey(report.reportKey, recovery.publicKey), sealedInternalKey: sealKey(internal, recovery.publicKey) },
    ],
  });
  t.equal(res.statusCode, 201);
  t.same(openSealedKey(res.json().sealedInternalKey, zoe.secrets.box), internal, 'the answer carries the caller\'s internal-key envelope');
  t.match(auditOf(services, 'report.keys').at(-1)!.details, { internal: [zoe.keyId, omar.keyId, keyIdOf(recovery.publicKey)] });
  const doc = (await reviewer.get(`/api/reports/${id}`)).json();
  t.equal(doc.sealedKey, toB64u(mine.sealedKey), 'the existing report-key envelope stays');
  t.same(openSealedKey(doc.sealedInternalKey, zoe.secrets.box), internal, 'the internal key opens');
  t.same(doc.members.map((m: { username: string; hasInternalKey: boolean }) => [m.username, m.hasInternalKey]), [['omar', true], ['zoe', true]],
    'members say who holds the internal key');

  const other = sealKey(generateReportKey(), zoe.secrets.box.publicKey);
  const again = await reviewer.send('POST', url, { keys: [{ keyId: zoe.keyId, sealedKey: other, sealedInternalKey: other }] });
  t.equal(again.statusCode, 201);
  t.same(openSealedKey(again.json().sealedInternalKey, zoe.secrets.box), internal, 'a second Ki loses: the answer names the one kept');
  t.same(openSealedKey(toB64u(services.repos.reports.key(id, zoe.keyId)!.sealedInternalKey!), zoe.secrets.box), internal, 'nor is an internal key overwritten');
});

t.test('keys only for the channel\'s members and the recovery key', async (t) => {
  const disabled = quietUser(services, 'dana', ['reviewer'], ['staff']);
  services.repos.users.update(disabled.id, { disabled: true });
  const publicOnly = quietUser(services, 'pat', ['reviewer'], ['public']);
  const stranger = generateBoxKeyPair();
  const envelope = (keyId: string) => ({ keyId, sealedKey: sealKey(report.reportKey, stranger.publicKey) });
  await unchanged(t, services, 'refused grants', async () => {
    isError(t, await reviewer.send('POST', url, { keys: [envelope(keyIdOf(stranger.publicKey))] }), 422, 'SBX_RECIPIENTS_MISMATCH', 'an outsider');
    isError(t, await reviewer.send('POST', url, { keys: [envelope(publicOnly.keyId)] }), 422, 'SBX_RECIPIENTS_MISMATCH', 'a member of another channel');
    isError(t, await reviewer.send('POST', url, { keys: [envelope(disabled.keyId)] }), 422, 'SBX_RECIPIENTS_MISMATCH', 'a disabled member');
    isError(t, await reviewer.send('POST', url, { keys: [envelope(omar.keyId), envelope(omar.keyId)] }), 422, 'SBX_RECIPIENTS_MISMATCH', 'twice');
    isError(t, await reviewer.send('POST', url, { keys: [envelope(omar.keyId), envelope(keyIdOf(stranger.publicKey))] }), 422, 'SBX_RECIPIENTS_MISMATCH', 'one bad key refuses all');
    isError(t, await reviewer.send('POST', url, { keys: [] }), 400, 'SBX_INVALID_REQUEST', 'no keys');
    isError(t, await reviewer.send('POST', url, { keys: [{ keyId: omar.keyId, sealedKey: toB64u(randomBytes(79)) }] }), 400, 'SBX_INVALID_REQUEST', 'short sealed key');
    isError(t, await reviewer.send('POST', url, { keys: [{ ...envelope(omar.keyId), sealedInternalKey: toB64u(randomBytes(81)) }] }), 400, 'SBX_INVALID_REQUEST', 'long internal envelope');
    isError(t, await reviewer.send('POST', url, { keys: [{ ...envelope('short'), label: 'x' }] }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
    isError(t, await reviewer.send('POST', `/api/reports/${elsewhere.reportId}/keys`, { keys: [envelope(omar.keyId)] }), 404, 'SBX_NOT_FOUND', 'another channel\'s report');
  });
});
