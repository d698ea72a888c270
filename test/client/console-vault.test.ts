// The console worker's key work in Node against a real console app: enrolment through the setup
// link (with the recovery key) and an invitation, signing in, opening a report and making its
// internal key, key distribution to members who lack K or Ki, replies, notes, attachments
// (whole, damaged, progress), a member without a key, and wiping.
import t from 'tap';
import {
  decryptNote, fingerprintOf, keyIdOf, newKdfParams, openSealedKey, parseRecoverySecret, rootKeysOf, SealboxCryptoError, toB64u, verifyRoster,
} from '../../crypto/index.js';
import { ApiError } from '../../client/console/api.js';
import { normalisePassphrase, Vault } from '../../client/console/worker/vault.js';
import { newTotpSecret as browserTotpSecret } from '../../client/console/totp-secret.js';
import { createSetupToken } from '../../server/routes/console/setup.js';
import { recipientsOf } from '../../server/recipients.js';
import { addUser } from '../helpers/instance.js';
import { attach, cookieHttp, damage, nextCode, nodeConsole, quietMember, submitWith } from './console-fixtures.js';

t.test('the first administrator enrols through the setup link and sets the recovery key', async (t) => {
  const { inst, base } = await nodeConsole(t, { recoveryKey: false });
  const token = createSetupToken(inst.services)!;
  const http = cookieHttp(base);
  const vault = new Vault(http);
  await t.rejects(vault.completeEnrolment(token, 'X', '000000'), /no keys were prepared/);
  vault.prepareEnrolment('chief', 'correct horse battery staple');
  const recovery = vault.makeRecoveryKey();
  t.equal(keyIdOf(parseRecoverySecret(recovery.secret).publicKey), recovery.keyId, 'the shown secret is the key pair');
  const secret = browserTotpSecret();
  const wrong = await vault.completeEnrolment(token, secret, '000000', recovery.publicKey).catch((e: unknown) => e);
  t.ok(wrong instanceof ApiError && wrong.code === 'SBX_TOTP_INVALID', 'a wrong code is refused');
  t.equal(vault.signedIn, undefined);
  const info = await vault.completeEnrolment(token, secret, nextCode(inst, secret), recovery.publicKey);
  t.match(info.user, { username: 'chief', roles: ['admin'] });
  t.equal(inst.services.repos.settings.get('recoveryPublicKey'), recovery.publicKey, 'the recovery key is set');
  // The roster's root entry, signed in the worker by the root the new recovery secret gives.
  const roster = verifyRoster(inst.services.repos.roster.entries());
  t.ok(roster.ok, 'the roster begins with a root entry that verifies');
  if (roster.ok) {
    t.same(roster.state.rootSignPublicKey, rootKeysOf(parseRecoverySecret(recovery.secret).secretKey).publicKey);
    t.equal(toB64u(roster.state.recoveryBoxPublicKey), recovery.publicKey);
    t.equal(recovery.unitFingerprint, fingerprintOf(roster.state.rootSignPublicKey), 'the page is given the unit fingerprint to show');
    // And the first administrator in every channel, signed by the same root before the worker forgot it.
    t.same([...roster.state.channels.keys()].sort(), info.user.channels.slice().sort(), 'an add for each of their channels');
    for (const c of info.user.channels) t.equal(roster.state.channels.get(c)?.get(info.user.id)?.label, 'chief');
  }
  t.same(recipientsOf(inst.services, 'staff').map((m) => m.username), ['chief'], 'reports of their channels are sealed to them');
  t.ok(http.cookie.startsWith('sbx_session='), 'signed in');
  const body = http.requests.find((r) => r.url.endsWith('/api/setup/complete'))!.body;
  t.notMatch(body, 'correct horse', 'the passphrase is never sent');
  t.notMatch(body, recovery.secret.replace(/-/g, ''), 'nor the recovery secret');

  // Signing in again from a fresh vault opens the same keys.
  const again = new Vault(cookieHttp(base));
  const bad = await again.login('chief', 'correct horse battery staple', '123456').catch((e: unknown) => e);
  t.ok(bad instanceof ApiError && bad.code === 'SBX_BAD_CREDENTIALS');
  const signed = await again.login('chief', 'correct horse battery staple', nextCode(inst, secret));
  t.equal(signed.keyId, info.keyId);
  again.wipe();
  t.equal(again.signedIn, undefined, 'wiping forgets the user');
  await t.rejects(again.openReport('x'.repeat(22)), /locked/);
});

t.test('passphrases are compared in NFC', async (t) => {
  t.equal(normalisePassphrase('cafe\u0301 au lait 12'), 'caf\u00e9 au lait 12');
  t.ok(newKdfParams().salt.length === 16);
});

t.test('a report: decrypted, internal key made and shared, distribution, replies, notes, files', async (t) => {
  const { inst, base, reporterApp } = await nodeConsole(t);
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff', 'public'], { kdf: 'real' });
  const bob = quietMember(inst, 'bob', ['reviewer'], ['staff']);
  const answers = { category: 'BRIBERY', description: 'MARKER the officer asked for 300', people: [{ name: 'X' }] };
  const reporter = await submitWith(reporterApp, 'staff', answers);
  const id = reporter.reportId;
  const text = new TextEncoder().encode('MARKER ledger\n'.repeat(10_000));
  const good = await attach(reporterApp, reporter, 'ledger.txt', 'text/plain', text);
  const broken = await attach(reporterApp, reporter, 'broken.txt', 'text/plain', new TextEncoder().encode('x'.repeat(200_000)));
  damage(inst, broken);
  await reporter.sendMessage('MARKER hello from the reporter');
  // Joined after the report arrived: no envelope yet.
  const carl = quietMember(inst, 'carl', ['reviewer'], ['staff']);

  const vault = new Vault(cookieHttp(base));
  await vault.login('alice', alice.passphrase, nextCode(inst, alice.totpSecret));
  const view = await vault.openReport(id);
  t.equal(view.hasKey, true);
  t.same(view.content?.answers, answers);
  t.equal(view.content?.locale, 'en');
  t.same(view.messages.map((m) => [m.author, m.text]), [['reporter', 'MARKER hello from the reporter']]);
  t.equal(view.madeInternalKey, true, 'the first to open makes Ki');
  t.equal(view.notesState, 'ready');
  t.same(view.members.map((m) => [m.username, m.hasKey]), [['alice', true], ['bob', true], ['carl', false]]);
  const bobEnvelope = inst.services.repos.reports.key(id, bob.keyId)!;
  const ki = openSealedKey(toB64u(bobEnvelope.sealedInternalKey!), bob.secrets.box);
  t.equal(ki.length, 32, 'bob got Ki with his existing envelope');
  t.equal(inst.services.repos.reports.key(id, carl.keyId), undefined, 'carl still has nothing');

  t.same(await vault.distribute(id), ['carl'], 'carl gets K and Ki');
  const carlEnvelope = inst.services.repos.reports.key(id, carl.keyId)!;
  t.same(openSealedKey(toB64u(carlEnvelope.sealedKey), carl.secrets.box), reporter.reportKey);
  t.same(openSealedKey(toB64u(carlEnvelope.sealedInternalKey!), carl.secrets.box), ki);
  t.same(await vault.distribute(id), [], 'nothing more to hand out');
  t.same(await vault.distribute(id, [bob.id]), [], 'bob already holds both');

  await vault.sendMessage(id, 'MARKER-REPLY which port?');
  const note = await vault.addNote(id, 'MARKER-NOTE check the roster');
  t.ok(note.id);
  const read = await reporter.read();
  t.same(read.messages.map((m: { text: string }) => m.text), ['MARKER hello from the reporter', 'MARKER-REPLY which port?']);
  t.notMatch(JSON.stringify(read.doc), 'MARKER-NOTE', 'the reporter never gets notes');
  const stored = inst.services.repos.notes.listForReport(id)[0]!;
  t.equal(decryptNote(ki, id, { nonce: toB64u(stored.nonce), ciphertext: toB64u(stored.ciphertext) }), 'MARKER-NOTE check the roster');

  const progress: number[] = [];
  const file = await vault.decryptAttachment(id, good, (p) => progress.push(p.received));
  t.equal(file.name, 'ledger.txt');
  t.same(new Uint8Array(await file.blob.arrayBuffer()), text, 'the file decrypts whole');
  t.ok(progress.length >= 1 && progress.at(-1) === view.attachments.find((a) => a.id === good)!.encryptedSize, 'progress reaches the end');
  const err = await vault.decryptAttachment(id, broken).catch((e: unknown) => e);
  t.ok(err instanceof SealboxCryptoError && err.code === 'SBX_DECRYPT_FAILED', 'a damaged file fails authentication');
  await t.rejects(vault.decryptAttachment(id, 'A'.repeat(22)), /no such attachment/);

  // Opening it again: Ki comes from the envelope now, and notes decrypt.
  const second = await vault.openReport(id);
  t.equal(second.madeInternalKey, false);
  t.same(second.notes.map((n) => n.text), ['MARKER-NOTE check the roster']);
  vault.closeReport();
  await t.rejects(vault.sendMessage(id, 'x'), /not open/);
});

t.test('a member without an envelope, and one waiting for the internal key', async (t) => {
  const { inst, base, reporterApp } = await nodeConsole(t);
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const reporter = await submitWith(reporterApp, 'staff', { category: 'OTHER', description: 'x' });
  const id = reporter.reportId;
  // Someone else already made Ki and holds it; alice holds K only.
  const other = quietMember(inst, 'zed', ['reviewer'], ['staff']);
  inst.services.repos.reports.addKeys(id, [{ keyId: other.keyId, sealedKey: Buffer.alloc(80), sealedInternalKey: Buffer.alloc(80) }]);
  const vault = new Vault(cookieHttp(base));
  await vault.login('alice', alice.passphrase, nextCode(inst, alice.totpSecret));
  const view = await vault.openReport(id);
  t.equal(view.madeInternalKey, false, 'no second Ki while another member holds one');
  t.equal(view.notesState, 'waiting');
  await t.rejects(vault.addNote(id, 'x'), /internal key/);

  // A new member on another channel's report: no key at all.
  const later = await submitWith(reporterApp, 'public', { category: 'OTHER', description: 'y' });
  inst.services.repos.channels.setMembers('public', [alice.id]);
  const none = await vault.openReport(later.reportId);
  t.equal(none.hasKey, false);
  t.equal(none.content, null);
  t.equal(none.notesState, 'no-key');
  const missing = await vault.openReport('A'.repeat(22)).catch((e: unknown) => e);
  t.ok(missing instanceof ApiError && missing.status === 404);
});

t.test('a server that lies about keys is caught', async (t) => {
  const { inst, base, reporterApp } = await nodeConsole(t);
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const reporter = await submitWith(reporterApp, 'staff', { category: 'OTHER', description: 'x' });
  const mallory = quietMember(inst, 'mallory', ['reviewer'], ['staff']);
  const real = cookieHttp(base);
  // A member's public key swapped for another (the server's own, say): the key id no longer matches.
  const lying = {
    base,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const res = await real.fetch(input, init);
      if (!String(input).endsWith(`/api/reports/${reporter.reportId}`)) return res;
      const doc = await res.json() as { members: Array<{ username: string; boxPublicKey: string; hasKey: boolean }> };
      const m = doc.members.find((x) => x.username === 'mallory')!;
      m.boxPublicKey = toB64u(new Uint8Array(32).fill(9));
      m.hasKey = false;
      return new Response(JSON.stringify(doc), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch,
  };
  const vault = new Vault(lying);
  await vault.login('alice', alice.passphrase, nextCode(inst, alice.totpSecret));
  await vault.openReport(reporter.reportId);
  t.same(await vault.distribute(reporter.reportId), [], 'nothing is sealed to a key that does not match its id');
  t.equal(inst.services.repos.reports.key(reporter.reportId, mallory.keyId)?.sealedInternalKey ?? null, null);

  // A login answer whose public key is not the bundle's: refused.
  const swapped = {
    base,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const res = await real.fetch(input, init);
      if (!String(input).endsWith('/api/auth/login') || !res.ok) return res;
      const body = await res.json() as { boxPublicKey: string };
      body.boxPublicKey = toB64u(new Uint8Array(32).fill(7));
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch,
  };
  const fooled = new Vault(swapped);
  const err = await fooled.login('alice', alice.passphrase, nextCode(inst, alice.totpSecret)).catch((e: unknown) => e);
  t.ok(err instanceof SealboxCryptoError, 'the bundle does not match the account');
  t.equal(fooled.signedIn, undefined);
});

t.test('making the internal key can fail without keeping the report closed', async (t) => {
  const { inst, base, reporterApp } = await nodeConsole(t);
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const reporter = await submitWith(reporterApp, 'staff', { category: 'OTHER', description: 'MARKER x' });
  const real = cookieHttp(base);
  let answer = 422;
  const refusing = {
    base,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      if (String(input).endsWith('/keys')) return new Response(JSON.stringify({ code: 'SBX_RECIPIENTS_MISMATCH', message: 'm' }), { status: answer });
      return real.fetch(input, init);
    }) as typeof fetch,
  };
  const vault = new Vault(refusing);
  await vault.login('alice', alice.passphrase, nextCode(inst, alice.totpSecret));
  const view = await vault.openReport(reporter.reportId);
  t.equal(view.content?.answers.description, 'MARKER x', 'the report opens');
  t.equal(view.notesState, 'waiting', 'notes wait for a key');
  t.equal(view.madeInternalKey, false);
  answer = 401;
  const lost = await vault.openReport(reporter.reportId).catch((e: unknown) => e);
  t.ok(lost instanceof ApiError && lost.status === 401, 'a lost session is not hidden');
});
