// Approval in the console's worker, in Node against a real console app (PROTOCOL.md §9): a member
// approves a newcomer (add) and a colleague's new keys after a reset (rekey) with their own signing
// key; a member the roster does not name, a member approving themselves, and a roster the server
// tampered with are refused before anything is signed; a seq taken meanwhile is signed on once
// more; the recovery secret approves as the root, and a wrong or mistyped one is refused. The
// fingerprints come from the keys themselves, never from the server.
import t from 'tap';
import {
  fingerprintOf, formatRecoverySecret, generateRecoveryKeyPair, generateUserSecrets, keyIdOf, memberFingerprint, parseRecoverySecret, rootKeysOf,
  toB64u, verifyRoster, type SignedEntry,
} from '../../crypto/index.js';
import { ApiError, type Http } from '../../client/console/api.js';
import { ApprovalError, type MemberToApprove } from '../../client/console/worker/approval.js';
import { Vault } from '../../client/console/worker/vault.js';
import { recipientsOf } from '../../server/recipients.js';
import { totpCode } from '../../server/totp.js';
import { addUser, approveWithRoot, type TestUser } from '../helpers/instance.js';
import { cookieHttp, nodeConsole } from './console-fixtures.js';

const { inst, base } = await nodeConsole(t);
const { services } = inst;
const alice = addUser(services, 'alice', ['admin', 'reviewer'], ['staff'], { kdf: 'real' });
const bob = addUser(services, 'bob', ['reviewer'], ['staff']);
// Awaiting approval in staff: he may not approve anyone there.
const dan = addUser(services, 'dan', ['reviewer'], ['staff'], { kdf: 'real', approved: false });

async function signedIn(user: TestUser, http: Http = cookieHttp(base)): Promise<Vault> {
  const vault = new Vault(http);
  inst.clock.advance(30_000);
  await vault.login(user.username, user.passphrase, totpCode(user.totpSecret, inst.clock.now()));
  return vault;
}

const listed = (user: { id: string; username: string }, channelId = 'staff'): MemberToApprove => {
  const row = services.repos.users.byId(user.id)!;
  return { channelId, userId: user.id, username: user.username, boxPublicKey: toB64u(row.boxPublicKey), signPublicKey: toB64u(row.signPublicKey) };
};
const roster = () => services.repos.roster.entries();
const last = () => roster().at(-1)!.entry as SignedEntry['entry'] & { op: string; member: { userId: string; label: string }; channel: string };
const inStaff = (id: string) => recipientsOf(services, 'staff').some((m) => m.id === id);
const codeOf = async (p: Promise<unknown>) => {
  const e = await p.catch((error: unknown) => error);
  return e instanceof ApprovalError ? e.code : e instanceof ApiError ? `${e.status} ${e.code}` : String(e);
};

/** An Http whose answers and requests a test can change: `onRoster` edits a served roster, `beforePost` runs before each POST /api/roster. */
function interceptingHttp(options: { onRoster?: (entries: SignedEntry[]) => SignedEntry[]; beforePost?: () => void }) {
  const inner = cookieHttp(base);
  const posts: string[] = [];
  const http: Http = {
    base,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      if (url.endsWith('/api/roster') && (init?.method ?? 'GET') === 'POST') {
        posts.push(String(init?.body));
        options.beforePost?.();
      }
      const res = await inner.fetch(input, init);
      if (url.endsWith('/api/roster') && (init?.method ?? 'GET') === 'GET' && options.onRoster) {
        const body = (await res.json()) as { entries: SignedEntry[] };
        return new Response(JSON.stringify({ entries: options.onRoster(body.entries) }), { status: 200, headers: { 'content-type': 'application/json' } });
      }
      return res;
    }) as typeof fetch,
  };
  return { http, posts };
}

let aliceVault: Vault;
t.before(async () => {
  aliceVault = await signedIn(alice);
});

t.test('fingerprints: one’s own from the worker’s keys, the unit’s from the verified root, members’ from their keys', async (t) => {
  t.equal(aliceVault.myFingerprint(), memberFingerprint(alice.secrets.box.publicKey, alice.secrets.sign.publicKey));
  t.match(aliceVault.myFingerprint(), /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/, 'four groups of five');
  const root = rootKeysOf(parseRecoverySecret(inst.recoverySecret).secretKey);
  t.equal(await aliceVault.unitFingerprint(), fingerprintOf(root.publicKey));
  const b = listed(bob);
  t.same(aliceVault.memberFingerprints([b, { boxPublicKey: 'short', signPublicKey: b.signPublicKey }]), [memberFingerprint(bob.secrets.box.publicKey, bob.secrets.sign.publicKey), null]);
  t.throws(() => new Vault(cookieHttp(base)).myFingerprint(), /locked/);
});

t.test('a member approves a newcomer: an add of exactly the listed keys, signed with their own key', async (t) => {
  const carol = addUser(services, 'carol', ['reviewer'], ['staff'], { approved: false });
  t.notOk(inStaff(carol.id), 'carol receives nothing yet');
  const before = roster().length;
  const done = await aliceVault.approveMember(listed(carol));
  t.same(done, { fingerprint: memberFingerprint(carol.secrets.box.publicKey, carol.secrets.sign.publicKey), op: 'add', seq: before });
  t.match(last(), { op: 'add', channel: 'staff', by: keyIdOf(alice.secrets.sign.publicKey), member: { userId: carol.id, label: 'carol' } });
  t.ok(verifyRoster(roster()).ok, 'the roster still verifies');
  t.ok(inStaff(carol.id), 'carol is now a recipient of staff');
  // A second approval of the same keys (another member was quicker): nothing is signed.
  t.same(await aliceVault.approveMember(listed(carol)), { fingerprint: done.fingerprint, op: null, seq: null });
  t.equal(roster().length, before + 1);
});

t.test('after a reset: a rekey of the new keys', async (t) => {
  const fresh = generateUserSecrets();
  services.repos.users.update(bob.id, { boxPublicKey: Buffer.from(fresh.box.publicKey), signPublicKey: Buffer.from(fresh.sign.publicKey), keyId: keyIdOf(fresh.box.publicKey) });
  t.notOk(inStaff(bob.id), 'bob\'s new keys receive nothing');
  const done = await aliceVault.approveMember(listed(bob));
  t.equal(done.op, 'rekey');
  t.equal(done.fingerprint, memberFingerprint(fresh.box.publicKey, fresh.sign.publicKey), 'the fingerprint of the new keys');
  t.match(last(), { op: 'rekey', member: { userId: bob.id } });
  t.ok(inStaff(bob.id));
});

t.test('refused before anything is signed: not approved oneself, oneself, keys that are not keys, a tampered roster', async (t) => {
  const erin = addUser(services, 'erin', ['reviewer'], ['staff'], { approved: false });
  const before = roster().length;
  const danHttp = cookieHttp(base);
  const danVault = await signedIn(dan, danHttp);
  t.equal(await codeOf(danVault.approveMember(listed(erin))), 'SBX_NOT_APPROVED_SELF', 'dan awaits approval himself');
  t.equal(danHttp.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/roster')).length, 0, 'nothing was sent');
  t.equal(await codeOf(aliceVault.approveMember(listed(erin, 'public'))), 'SBX_NOT_APPROVED_SELF', 'alice is no member of public');
  t.equal(await codeOf(aliceVault.approveMember(listed(alice))), 'SBX_SELF_APPROVAL');
  t.equal(await codeOf(aliceVault.approveMember({ ...listed(erin), signPublicKey: 'AAAA' })), 'SBX_BAD_MEMBER_KEYS');

  // The server changes one entry it serves (say, puts its own key in an approved member's place).
  const intruder = generateUserSecrets();
  const tampered = interceptingHttp({
    onRoster: (entries) => entries.map((e, i) => (i === 1 ? { ...e, entry: { ...e.entry, member: { ...(e.entry as { member: object }).member, boxPublicKey: toB64u(intruder.box.publicKey) } } as SignedEntry['entry'] } : e)),
  });
  const fooled = await signedIn(alice, tampered.http);
  const refused = await fooled.approveMember(listed(erin)).catch((e: unknown) => e);
  t.ok(refused instanceof ApprovalError && refused.code === 'SBX_ROSTER_UNVERIFIED', 'a roster that does not verify is refused');
  t.match((refused as Error).message, 'entry 1', 'saying where it breaks');
  t.same(tampered.posts, [], 'and nothing is signed on top of it');
  await t.rejects(fooled.unitFingerprint(), { code: 'SBX_ROSTER_UNVERIFIED' }, 'no unit fingerprint from it either');
  t.equal(roster().length, before, 'the roster did not grow');
  t.notOk(inStaff(erin.id));
});

t.test('a seq taken meanwhile: the roster is read again and the entry signed on once more', async (t) => {
  const fay = addUser(services, 'fay', ['reviewer'], ['staff'], { approved: false });
  const gus = addUser(services, 'gus', ['reviewer'], ['staff'], { approved: false });
  let raced = false;
  // Another console approves gus just before alice's entry arrives.
  const racing = interceptingHttp({
    beforePost: () => {
      if (raced) return;
      raced = true;
      approveWithRoot(services, gus.id, 'staff');
    },
  });
  const vault = await signedIn(alice, racing.http);
  const done = await vault.approveMember(listed(fay));
  t.equal(racing.posts.length, 2, 'posted twice');
  t.equal(done.seq, roster().length - 1, 'after gus\'s entry');
  t.ok(inStaff(fay.id) && inStaff(gus.id), 'both approved');

  // Taken again on the second try: the error goes to the page.
  const hal = addUser(services, 'hal', ['reviewer'], ['staff'], { approved: false });
  const ivy = addUser(services, 'ivy', ['reviewer'], ['staff'], { approved: false });
  const busy = interceptingHttp({ beforePost: () => approveWithRoot(services, busy.posts.length === 1 ? ivy.id : hal.id, 'staff') });
  const loser = await signedIn(alice, busy.http);
  t.equal(await codeOf(loser.approveMember(listed(hal))), '409 SBX_ROSTER_SEQ_TAKEN');
  t.equal(busy.posts.length, 2, 'one retry only');
});

t.test('the recovery secret: approves as the root; a wrong or mistyped one is refused and nothing is kept', async (t) => {
  // The first member of public: nobody there can approve them.
  const jo = addUser(services, 'jo', ['reviewer'], ['public'], { approved: false });
  const member = listed(jo, 'public');
  const http = cookieHttp(base);
  const vault = await signedIn(alice, http);
  const keysBefore = Object.keys(vault).sort();
  const before = roster().length;

  const other = formatRecoverySecret(generateRecoveryKeyPair().secretKey);
  t.equal(await codeOf(vault.approveWithRecoverySecret(other, member)), 'SBX_WRONG_RECOVERY_SECRET', 'another instance\'s secret');
  const typo = `${inst.recoverySecret.slice(0, -1)}${inst.recoverySecret.endsWith('0') ? '1' : '0'}`;
  t.equal(await codeOf(vault.approveWithRecoverySecret(typo, member)), 'SBX_RECOVERY_SECRET_TYPO', 'a typo');
  t.equal(await codeOf(vault.approveWithRecoverySecret('not a secret!', member)), 'SBX_RECOVERY_SECRET_TYPO', 'a wrong character');
  t.equal(await codeOf(vault.approveWithRecoverySecret(inst.recoverySecret.slice(0, 20), member)), 'SBX_RECOVERY_SECRET_TYPO', 'too short');
  const wrong = await vault.approveWithRecoverySecret('not a secret!', member).catch((e: Error) => e);
  t.notMatch((wrong as Error).message, '!', 'the message quotes nothing typed');
  t.equal(roster().length, before, 'nothing was stored');

  // Typed in lower case with spaces, as a person may.
  const typed = inst.recoverySecret.toLowerCase().replace(/-/g, ' ');
  const done = await vault.approveWithRecoverySecret(typed, member);
  t.same(done, { fingerprint: memberFingerprint(jo.secrets.box.publicKey, jo.secrets.sign.publicKey), op: 'add', seq: before });
  const root = rootKeysOf(parseRecoverySecret(inst.recoverySecret).secretKey);
  t.match(last(), { op: 'add', channel: 'public', by: keyIdOf(root.publicKey), member: { userId: jo.id } });
  t.ok(recipientsOf(services, 'public').some((m) => m.id === jo.id));
  // The root may approve anyone, the signed-in administrator included (the first one, after setup).
  const self = await vault.approveWithRecoverySecret(inst.recoverySecret, listed(alice, 'staff'));
  t.equal(self.op, null, 'alice is already approved in staff: nothing to sign');

  t.same(Object.keys(vault).sort(), keysBefore, 'the vault keeps nothing new');
  const sent = http.requests.map((r) => r.body).join('\n');
  t.notMatch(sent, inst.recoverySecret.replace(/-/g, ''), 'the secret is never sent');
  t.notMatch(sent, toB64u(parseRecoverySecret(inst.recoverySecret).secretKey), 'nor its bytes');
  await t.rejects(new Vault(cookieHttp(base)).approveWithRecoverySecret(inst.recoverySecret, member), /locked/, 'a locked console reads no secret');
});
