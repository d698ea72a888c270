// `sealbox roster show | verify | approve | init` (PROTOCOL.md §9) and what `sealbox user add`
// says about approval. The attack test first: an account the operator makes with `user add`
// receives nothing (no recipient listing, no key hand-over) until the roster names it.
import { PassThrough, Readable } from 'node:stream';
import t, { type Test } from 'tap';
import {
  fingerprintOf, formatRecoverySecret, generateRecoveryKeyPair, generateUserSecrets, keyIdOf, parseRecoverySecret, ready, rootKeysOf, signEntry, toB64u, verifyRoster,
  type SignedEntry,
} from '../../crypto/index.js';
import { rootEntry } from '../../server/init.js';
import { recipientsOf } from '../../server/recipients.js';
import { appendRosterEntry, fingerprintOfUser, rosterState } from '../../server/roster.js';
import type { Services } from '../../server/services.js';
import { runCli } from '../helpers/cli.js';
import { addUser, makeInstance, type TestInstance } from '../helpers/instance.js';
import { auditOf, fingerprint, signIn, submitReport } from './routes/console-fixtures.js';

await ready;

async function instance(t: Test, options: { recoveryKey?: boolean } = {}): Promise<TestInstance> {
  const inst = await makeInstance({}, options);
  t.teardown(() => inst.close());
  return inst;
}

/** `sealbox roster …` on the instance, with `stdin` (the recovery secret, usually) on standard input. */
const roster = (inst: TestInstance, args: string[], stdin?: string) =>
  runCli(['roster', ...args, '--data-dir', inst.dir], stdin === undefined ? {} : { stdin });

/** Runs `fn` and checks that nothing in the instance changed (every table, every file). */
async function nothingWritten<T>(t: Test, services: Services, what: string, fn: () => Promise<T>): Promise<T> {
  const before = fingerprint(services);
  const result = await fn();
  t.equal(fingerprint(services), before, `${what}: nothing written`);
  return result;
}

const recipientIds = (services: Services, channelId: string) => recipientsOf(services, channelId).map((m) => m.id);
/** Another instance's recovery secret, as typed. */
const otherSecretText = () => formatRecoverySecret(generateRecoveryKeyPair().secretKey);

/** A roster without entries: how an instance made before the roster existed looks. */
const dropRoster = (services: Services) => services.db.sqlite.prepare('DELETE FROM roster_entries').run();

t.test('`sealbox user add` makes an account that receives nothing until approved', async (t) => {
  const inst = await instance(t);
  const { services } = inst;
  const reporterApp = await inst.app('reporter');
  const consoleApp = await inst.app('console');
  const alice = addUser(services, 'alice', ['reviewer'], ['staff']);
  const report = await submitReport(reporterApp, 'staff');

  const add = await runCli(['user', 'add', 'mallory', '--role', 'reviewer', '--channels', 'staff', '--passphrase-stdin', '--json', '--data-dir', inst.dir], { stdin: 'mallory has a passphrase' });
  t.equal(add.code, 0, add.err);
  t.same(JSON.parse(add.out).awaitingApproval, ['staff'], 'user add says the account awaits approval');
  const mallory = services.repos.users.byUsername('mallory')!;

  // Not a recipient: neither for the server's filter nor for the reporting page.
  t.notOk(recipientIds(services, 'staff').includes(mallory.id), 'not in recipientsOf');
  const listed = () => reporterApp.inject({ method: 'GET', url: '/api/channels' })
    .then((r) => (r.json() as { channels: Array<{ id: string; recipients: Array<{ userId: string }> }> }).channels.find((c) => c.id === 'staff')!.recipients.map((r) => r.userId));
  t.same(await listed(), [alice.id], 'GET /api/channels lists alice alone');
  // The key sweep: alice holds the report's key, and no reader of staff lacks it.
  const client = await signIn(consoleApp, inst.clock, alice);
  const sweep = async () => (await client.get('/api/key-distribution')).json() as { reports: Array<{ id: string; members: Array<{ id: string; hasKey: boolean }> }> };
  t.same((await sweep()).reports, [], 'the sweep asks alice to hand nothing to mallory');
  const shown = JSON.parse((await roster(inst, ['show', '--json'])).out);
  t.same(shown.channels.find((c: { id: string }) => c.id === 'staff').awaitingApproval,
    [{ userId: mallory.id, username: 'mallory', fingerprint: fingerprintOfUser(mallory), op: 'add' }], 'roster show lists mallory as awaiting approval');

  const approved = await roster(inst, ['approve', 'mallory', '--channel', 'staff', '--json'], inst.recoverySecret);
  t.equal(approved.code, 0, approved.err);
  t.match(JSON.parse(approved.out), { username: 'mallory', channel: 'staff', op: 'add', seq: 2, fingerprint: fingerprintOfUser(mallory) });

  t.ok(recipientIds(services, 'staff').includes(mallory.id), 'approved: in recipientsOf');
  t.same((await listed()).sort(), [alice.id, mallory.id].sort(), 'approved: listed to the reporting page');
  const after = (await sweep()).reports;
  t.same(after.map((r) => r.id), [report.reportId], 'approved: the sweep hands mallory the report');
  t.match(after[0]!.members.find((m) => m.id === mallory.id), { hasKey: false });
});

t.test('roster verify and show on a new instance, and usage', async (t) => {
  const inst = await instance(t);
  const unit = fingerprintOf(rootKeysOf(parseRecoverySecret(inst.recoverySecret).secretKey).publicKey);
  const human = await roster(inst, ['verify']);
  t.equal(human.code, 0, human.err);
  t.equal(human.out, `roster verifies: 1 entries, unit fingerprint ${unit}\n`);
  const checked = verifyRoster(inst.services.repos.roster.entries());
  t.same(JSON.parse((await roster(inst, ['verify', '--json'])).out), { ok: true, entries: 1, unitFingerprint: unit, lastHash: checked.ok ? checked.hashes[0] : '' });
  const show = await roster(inst, ['show']);
  t.equal(show.code, 0, show.err);
  t.match(show.out, `Unit fingerprint: ${unit} (the roster's 1 entries verify)`);
  t.match(show.out, /Channel public:\n {2}members: none\n\nChannel staff:\n {2}members: none/);
  t.same(JSON.parse((await roster(inst, ['show', '--json'])).out), {
    unitFingerprint: unit, entries: 1,
    channels: [{ id: 'public', members: [], awaitingApproval: [] }, { id: 'staff', members: [], awaitingApproval: [] }],
  });

  for (const args of [[], ['frob'], ['show', 'extra'], ['verify', 'extra'], ['init', 'extra'], ['approve', '--channel', 'staff'], ['approve', 'a', 'b', '--channel', 'staff'], ['approve', 'alice'], ['show', '--bogus']]) {
    const r = await roster(inst, args, inst.recoverySecret);
    t.equal(r.code, 2, `roster ${args.join(' ')}: usage`);
  }
  t.match((await runCli(['--help'])).out, /roster approve USERNAME --channel ID/);
  const none = await runCli(['roster', 'verify', '--data-dir', `${inst.dir}-nothing`]);
  t.match(none.err, /holds no Sealbox instance/);
});

t.test('show: members, members awaiting approval (add and rekey), gone accounts', async (t) => {
  const inst = await instance(t);
  const { services } = inst;
  const amina = addUser(services, 'amina', ['reviewer'], ['staff', 'public']);
  const kofi = addUser(services, 'kofi', ['reviewer'], ['staff']);
  const newcomer = addUser(services, 'newcomer', ['reviewer'], ['public'], { approved: false });
  // kofi's keys change in the database (a reset): the roster still names his old ones.
  const fresh = generateUserSecrets();
  services.repos.users.update(kofi.id, { boxPublicKey: Buffer.from(fresh.box.publicKey), signPublicKey: Buffer.from(fresh.sign.publicKey), keyId: keyIdOf(fresh.box.publicKey) });
  // A member whose account is gone, in a channel the database does not have.
  const root = rootKeysOf(parseRecoverySecret(inst.recoverySecret).secretKey);
  const ghost = generateUserSecrets();
  const entries = services.repos.roster.entries();
  const checked = verifyRoster(entries);
  if (!checked.ok) throw new Error('the roster does not verify');
  appendRosterEntry(services, signEntry({
    v: 1, seq: entries.length, prev: checked.hashes.at(-1)!, at: '2026-12-01T00:00:00.000Z', by: keyIdOf(root.publicKey), op: 'add', channel: 'archive',
    member: { userId: 'GhostGhostGhostGhostGg', label: 'Former officer', boxPublicKey: toB64u(ghost.box.publicKey), signPublicKey: toB64u(ghost.sign.publicKey) },
  }, root.secretKey), 'system');

  const out = JSON.parse((await roster(inst, ['show', '--json'])).out) as { channels: Array<{ id: string; members: Array<Record<string, unknown>>; awaitingApproval: Array<Record<string, unknown>> }> };
  const channel = (id: string) => out.channels.find((c) => c.id === id)!;
  t.same(out.channels.map((c) => c.id), ['public', 'staff', 'archive']);
  t.same(channel('public').members.map((m) => m.username), ['amina']);
  t.same(channel('public').awaitingApproval, [{ userId: newcomer.id, username: 'newcomer', fingerprint: fingerprintOfUser(services.repos.users.byId(newcomer.id)!), op: 'add' }]);
  t.same(channel('staff').members.map((m) => [m.username, m.label]), [['amina', 'amina'], ['kofi', 'kofi']], 'kofi is in the roster, with his old keys');
  t.same(channel('staff').awaitingApproval.map((m) => [m.username, m.op]), [['kofi', 'rekey']], 'and awaits a rekey');
  t.same(channel('archive').members, [{ userId: 'GhostGhostGhostGhostGg', username: null, label: 'Former officer', fingerprint: fingerprintOfUser({ boxPublicKey: ghost.box.publicKey, signPublicKey: ghost.sign.publicKey }) }]);
  t.equal(channel('staff').members[0]!.fingerprint, fingerprintOfUser({ boxPublicKey: amina.secrets.box.publicKey, signPublicKey: amina.secrets.sign.publicKey }));

  const human = (await roster(inst, ['show'])).out;
  t.match(human, /awaiting approval \(they receive nothing until a member or the root signs them in\):\n {4}newcomer {2}[0-9A-Z-]{23} {2}new member \(add\): sealbox roster approve newcomer --channel public/);
  t.match(human, /kofi {2}[0-9A-Z-]{23} {2}new keys \(rekey\): sealbox roster approve kofi --channel staff/);
  t.match(human, /\(account gone, user id GhostGhostGhostGhostGg\) {2}label "Former officer"/);

  // approve signs kofi's new keys as a rekey.
  const rekey = await roster(inst, ['approve', 'kofi', '--channel', 'staff', '--json'], inst.recoverySecret);
  t.equal(rekey.code, 0, rekey.err);
  t.match(JSON.parse(rekey.out), { op: 'rekey', alreadyApproved: false });
  t.ok(recipientIds(services, 'staff').includes(kofi.id), 'kofi receives again, with his new keys');
  const human2 = await roster(inst, ['approve', 'newcomer', '--channel', 'public'], inst.recoverySecret);
  t.match(human2.out, /^Approved newcomer in public \(add, roster entry \d+\)\.\nFingerprint: [0-9A-Z-]{23}\nCompare it with the one newcomer's account page shows/);
  t.equal(rosterState(services)!.channels.get('public')!.get(newcomer.id)!.label, 'newcomer', 'the label is the username');
});

t.test('approve refuses, writing nothing', async (t) => {
  const inst = await instance(t);
  const { services } = inst;
  addUser(services, 'amina', ['reviewer'], ['staff']);
  const bob = addUser(services, 'bob', ['reviewer'], ['staff'], { approved: false });
  const dora = addUser(services, 'dora', ['reviewer'], ['staff'], { approved: false });
  services.repos.users.update(dora.id, { disabled: true });
  const bobFingerprint = fingerprintOfUser(services.repos.users.byId(bob.id)!);
  const cases: Array<[string, string[], string, RegExp]> = [
    ['a typo in the secret', ['bob', '--channel', 'staff'], 'not a recovery key', /recovery key: /],
    ['another instance\'s secret', ['bob', '--channel', 'staff'], otherSecretText(), /not the instance’s recovery key/],
    ['an unknown user', ['nobody', '--channel', 'staff'], inst.recoverySecret, /no user nobody/],
    ['a disabled user', ['dora', '--channel', 'staff'], inst.recoverySecret, /dora is disabled/],
    ['an unknown channel', ['bob', '--channel', 'nope'], inst.recoverySecret, /no channel "nope"/],
    ['a user not in the channel', ['bob', '--channel', 'public'], inst.recoverySecret, /bob is not a member of channel public; an administrator adds them/],
    ['a fingerprint that differs', ['bob', '--channel', 'staff', '--fingerprint', 'AAAAA-BBBBB-CCCCC-DDDDD'], inst.recoverySecret, /bob's keys here have fingerprint .*, not AAAAA-BBBBB-CCCCC-DDDDD/],
  ];
  for (const [what, args, stdin, message] of cases) {
    const r = await nothingWritten(t, services, what, () => roster(inst, ['approve', ...args], stdin));
    t.equal(r.code, 1, what);
    t.match(r.err, message, what);
  }

  // The fingerprint as the person reads it out: case, groups and look-alikes do not matter.
  const typed = bobFingerprint.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
  const ok = await roster(inst, ['approve', 'bob', '--channel', 'staff', '--fingerprint', typed, '--json'], inst.recoverySecret);
  t.equal(ok.code, 0, ok.err);
  t.same(auditOf(services, 'roster.append').at(-1)!.details, { seq: 2, op: 'add', userId: bob.id });
  t.equal(auditOf(services, 'roster.append').at(-1)!.actor, 'system', 'the CLI\'s audit actor');

  // Already approved with these keys: said, and nothing written (exit 0: nothing is wrong).
  const again = await nothingWritten(t, services, 'already approved', () => roster(inst, ['approve', 'bob', '--channel', 'staff'], inst.recoverySecret));
  t.equal(again.code, 0, again.err);
  t.match(again.out, `bob is already approved in staff with these keys (fingerprint ${bobFingerprint}); nothing written.`);
  t.match(JSON.parse((await roster(inst, ['approve', 'bob', '--channel', 'staff', '--json'], inst.recoverySecret)).out), { alreadyApproved: true, op: null, seq: null });
});

t.test('approve and show refuse a roster that does not verify, is empty, or has another root', async (t) => {
  const inst = await instance(t);
  const { services } = inst;
  addUser(services, 'amina', ['reviewer'], ['staff']);
  addUser(services, 'bob', ['reviewer'], ['staff'], { approved: false });

  // A byte changed in the database: verify names the entry; show and approve refuse.
  services.db.sqlite.prepare("UPDATE roster_entries SET entry = json_set(entry, '$.member.label', 'Mallory') WHERE seq = 1").run();
  const broken = await roster(inst, ['verify', '--json']);
  t.equal(broken.code, 1);
  t.same(JSON.parse(broken.out), { ok: false, entries: 2, seq: 1, reason: 'the signature does not verify' });
  const brokenHuman = await roster(inst, ['verify']);
  t.equal(brokenHuman.code, 1);
  t.equal(brokenHuman.out, 'roster does NOT verify: entry 1: the signature does not verify\n');
  const show = await roster(inst, ['show']);
  t.equal(show.code, 1);
  t.match(show.err, /the roster does not verify: entry 1: the signature does not verify/);
  const approve = await nothingWritten(t, services, 'approve on a broken roster', () => roster(inst, ['approve', 'bob', '--channel', 'staff'], inst.recoverySecret));
  t.equal(approve.code, 1);
  t.match(approve.err, /does not verify: entry 1/);

  // No entries at all.
  dropRoster(services);
  for (const args of [['show'], ['verify']]) {
    const r = await roster(inst, args);
    t.equal(r.code, 1, args[0]!);
    t.match(`${r.out}${r.err}`, /no roster yet; "sealbox roster init" signs one/, args[0]!);
  }
  t.match(JSON.parse((await roster(inst, ['verify', '--json'])).out), { ok: false, entries: 0, seq: 0 });
  t.match((await roster(inst, ['approve', 'bob', '--channel', 'staff'], inst.recoverySecret)).err, /no roster yet/);

  // A roster begun by another root, naming this instance's recovery key: it verifies, but this
  // secret's root is not its root.
  const stranger = generateRecoveryKeyPair();
  services.repos.roster.append(rootEntry({ publicKey: parseRecoverySecret(inst.recoverySecret).publicKey, secretKey: stranger.secretKey }, '2026-12-01T00:00:00.000Z').entry);
  t.equal((await roster(inst, ['verify'])).code, 0, 'it verifies');
  const foreign = await nothingWritten(t, services, 'another root', () => roster(inst, ['approve', 'bob', '--channel', 'staff'], inst.recoverySecret));
  t.equal(foreign.code, 1);
  t.match(foreign.err, /this recovery secret's root is not the roster's \(unit fingerprint [0-9A-Z-]{23}\); nothing signed/);
});

t.test('init puts an instance made before the roster under one', async (t) => {
  const inst = await instance(t);
  const { services } = inst;
  dropRoster(services);
  const amina = addUser(services, 'amina', ['reviewer'], ['staff', 'public'], { approved: false });
  const kofi = addUser(services, 'kofi', ['admin'], ['staff'], { approved: false });
  const dora = addUser(services, 'dora', ['reviewer'], ['staff'], { approved: false });
  services.repos.users.update(dora.id, { disabled: true });
  addUser(services, 'audrey', ['auditor'], [], { approved: false });
  t.same(recipientIds(services, 'staff'), [], 'without a roster nobody receives');

  for (const [what, stdin, message] of [['a typo', 'nope', /recovery key: /], ['another secret', otherSecretText(), /not the instance’s recovery key/]] as const) {
    const r = await nothingWritten(t, services, what, () => roster(inst, ['init', '--yes'], stdin));
    t.equal(r.code, 1, what);
    t.match(r.err, message, what);
  }

  const unit = fingerprintOf(rootKeysOf(parseRecoverySecret(inst.recoverySecret).secretKey).publicKey);
  const fp = (id: string) => fingerprintOfUser(services.repos.users.byId(id)!);
  const dry = await nothingWritten(t, services, 'init without --yes', () => roster(inst, ['init'], inst.recoverySecret));
  t.equal(dry.code, 0, dry.err);
  t.match(dry.out, `Unit fingerprint: ${unit}`);
  t.match(dry.out, `Channel public:\n    amina  ${fp(amina.id)}\nChannel staff:\n    amina  ${fp(amina.id)}\n    kofi  ${fp(kofi.id)}\n`);
  t.notMatch(dry.out, /dora|audrey/, 'neither the disabled user nor the auditor');
  t.match(dry.out, /nothing written; run again with --yes to sign these\n$/);
  const dryJson = await nothingWritten(t, services, 'init --json without --yes', () => roster(inst, ['init', '--json'], inst.recoverySecret));
  t.same(JSON.parse(dryJson.out), {
    written: false, unitFingerprint: unit,
    channels: [
      { id: 'public', members: [{ userId: amina.id, username: 'amina', fingerprint: fp(amina.id) }] },
      { id: 'staff', members: [{ userId: amina.id, username: 'amina', fingerprint: fp(amina.id) }, { userId: kofi.id, username: 'kofi', fingerprint: fp(kofi.id) }] },
    ],
  });

  const done = await roster(inst, ['init', '--yes', '--json'], inst.recoverySecret);
  t.equal(done.code, 0, done.err);
  t.match(JSON.parse(done.out), { written: true, unitFingerprint: unit, entries: 4 });
  const checked = verifyRoster(services.repos.roster.entries());
  t.ok(checked.ok, 'the roster verifies');
  t.same(services.repos.roster.entries().map((e) => e.entry.op), ['root', 'add', 'add', 'add']);
  t.same(recipientIds(services, 'staff').sort(), [amina.id, kofi.id].sort(), 'today\'s members receive');
  t.same(recipientIds(services, 'public'), [amina.id]);
  t.equal(auditOf(services, 'roster.append').length, 4);
  const verify = await roster(inst, ['verify']);
  t.equal(verify.out, `roster verifies: 4 entries, unit fingerprint ${unit}\n`);

  const twice = await nothingWritten(t, services, 'init twice', () => roster(inst, ['init', '--yes'], inst.recoverySecret));
  t.equal(twice.code, 1);
  t.match(twice.err, /the roster already has 4 entries; "roster init" is only for an instance made before the roster existed/);
});

t.test('init --yes in words, and on an instance with no recovery key', async (t) => {
  const inst = await instance(t);
  dropRoster(inst.services);
  const r = await roster(inst, ['init', '--yes'], inst.recoverySecret);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /^Signed the roster: the root and 0 channel memberships \(1 entries\)\.\n\nChannel public: no members\nChannel staff: no members\n\nUnit fingerprint \(publish it/);

  const bare = await instance(t, { recoveryKey: false });
  const refused = await nothingWritten(t, bare.services, 'no recovery key', () => roster(bare, ['init', '--yes'], inst.recoverySecret));
  t.equal(refused.code, 1);
  t.match(refused.err, /this instance has no recovery key yet/);
  t.match((await roster(bare, ['show'])).err, /no roster yet/);
});

t.test('init writes all or nothing', async (t) => {
  const inst = await instance(t);
  const { services } = inst;
  dropRoster(services);
  addUser(services, 'amina', ['reviewer'], ['staff', 'public'], { approved: false });
  addUser(services, 'kofi', ['reviewer'], ['staff'], { approved: false });
  const real = await import('../../server/roster.js');
  const { cmdRoster } = await t.mockImport<typeof import('../../cli/commands/roster.js')>('../../cli/commands/roster.js', {
    '../../server/roster.js': {
      ...real,
      appendRosterEntry: (s: Services, item: SignedEntry, actor: string) => {
        if (item.entry.seq === 2) throw new Error('the disk fell off');
        return real.appendRosterEntry(s, item, actor);
      },
    },
  });
  const stdout = new PassThrough();
  const before = fingerprint(services);
  await t.rejects(cmdRoster(['init', '--yes', '--data-dir', inst.dir], {
    stdin: Readable.from([Buffer.from(inst.recoverySecret)]), stdout, stderr: new PassThrough(), env: { SEALBOX_LOG_LEVEL: 'silent' },
  }), /the disk fell off/);
  t.equal(services.repos.roster.count(), 0, 'no entry kept');
  t.equal(fingerprint(services), before, 'nothing written (nor audited)');
});
