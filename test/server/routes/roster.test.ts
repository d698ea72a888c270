// GET /api/roster on both apps and POST /api/roster on the console: the server serves the roster
// that `init` began, and stores an entry only when it extends the roster under every rule; it
// cannot append one it signed itself, nor one a member signed for themselves.
import t from 'tap';
import {
  entryHash, fingerprintOf, generateUserSecrets, keyIdOf, parseRecoverySecret, rootKeysOf, signEntry, toB64u, verifyRoster,
  type RosterEntry, type SignedEntry,
} from '../../../crypto/index.js';
import { addUser, makeInstance } from '../../helpers/instance.js';
import { consoleSetup, isError, signIn } from './console-fixtures.js';

t.test('the roster begins with the root entry, is served by both apps, and grows only by valid entries', async (t) => {
  const s = await consoleSetup(t);
  // Not approved by the test helper: this test signs alice in itself.
  const alice = addUser(s.services, 'alice', ['reviewer'], ['staff'], { approved: false });
  const reporter = s.reporterApp;
  const served = (await reporter.inject({ method: 'GET', url: '/api/roster' })).json() as { entries: SignedEntry[] };
  t.equal(served.entries.length, 1);
  const root = rootKeysOf(parseRecoverySecret(s.inst.recoverySecret).secretKey);
  const first = verifyRoster(served.entries);
  t.ok(first.ok, 'the root entry verifies');
  t.same((await s.app.inject({ method: 'GET', url: '/api/roster' })).json(), served, 'the console serves the same roster');

  const client = await signIn(s.app, s.clock, alice);
  const post = (item: unknown) => client.send('POST', '/api/roster', item);
  const next = (body: Record<string, unknown>, signer: { publicKey: Uint8Array; secretKey: Uint8Array }, entries: SignedEntry[]): SignedEntry =>
    signEntry({ v: 1, seq: entries.length, prev: toB64u(entryHash(entries.at(-1)!)), at: '2026-12-02T10:00:00.000Z', by: keyIdOf(signer.publicKey), ...body } as RosterEntry, signer.secretKey);
  const aliceMember = { userId: alice.id, label: 'Officer A', boxPublicKey: toB64u(alice.secrets.box.publicKey), signPublicKey: toB64u(alice.secrets.sign.publicKey) };

  // The root (the recovery secret's holder) adds alice to staff.
  const added = next({ op: 'add', channel: 'staff', member: aliceMember }, root, served.entries);
  const res = await post(added);
  t.equal(res.statusCode, 201, res.body);
  t.same(res.json(), { seq: 1 });
  const entries = [...served.entries, added];
  t.same((await reporter.inject({ method: 'GET', url: '/api/roster' })).json().entries, entries);
  const events = s.services.repos.audit.list({ action: 'roster.append', limit: 5 });
  t.same(events.map((e) => e.details), [{ seq: 1, op: 'add', userId: alice.id }], 'audited, without the label');

  // The same seq again: taken.
  const again = await post(added);
  isError(t, again, 409, 'SBX_ROSTER_SEQ_TAKEN');
  // A key the server (or an administrator) made up adds itself: refused, nothing stored.
  const intruder = generateUserSecrets();
  const forged = next({ op: 'add', channel: 'staff', member: { ...aliceMember, userId: 'AAAAAAAAAAAAAAAAAAAAAA', signPublicKey: toB64u(intruder.sign.publicKey) } }, intruder.sign, entries);
  isError(t, await post(forged), 422, 'SBX_ROSTER_INVALID');
  // Alice's new keys, approved by alice herself: refused.
  const fresh = generateUserSecrets();
  const selfRekey = next({ op: 'rekey', channel: 'staff', member: { ...aliceMember, boxPublicKey: toB64u(fresh.box.publicKey), signPublicKey: toB64u(fresh.sign.publicKey) } }, alice.secrets.sign, entries);
  isError(t, await post(selfRekey), 422, 'SBX_ROSTER_INVALID');
  // A changed byte after signing: refused.
  const tampered = structuredClone(added);
  (tampered.entry as { seq: number }).seq = 2;
  (tampered.entry as { prev: string }).prev = toB64u(entryHash(added));
  isError(t, await post(tampered), 422, 'SBX_ROSTER_INVALID');
  for (const bad of [{}, { entry: {}, sig: 'x' }, { entry: { seq: -1 }, sig: 'A'.repeat(86) }, { entry: { seq: 1 }, sig: 'A'.repeat(86), extra: 1 }]) {
    isError(t, await post(bad), 400, 'SBX_INVALID_REQUEST');
  }
  t.equal(s.services.repos.roster.entries().length, 2, 'nothing else was stored');
  const unsigned = await s.app.inject({ method: 'POST', url: '/api/roster', headers: { 'content-type': 'application/json' }, payload: added });
  t.equal(unsigned.statusCode, 401, 'the console\'s sign-in comes first');
  t.equal((await reporter.inject({ method: 'POST', url: '/api/roster', payload: added })).statusCode, 404, 'the reporter app takes no entries');
  if (first.ok) t.equal(fingerprintOf(first.state.rootSignPublicKey), fingerprintOf(root.publicKey), 'the served root is the recovery secret\'s');
});

t.test('an instance whose first administrator makes the recovery key in the browser has no roster yet', async (t) => {
  const inst = await makeInstance({}, { recoveryKey: false });
  t.teardown(() => inst.close());
  const app = await inst.app('reporter');
  t.same((await app.inject({ method: 'GET', url: '/api/roster' })).json(), { entries: [] });
});
