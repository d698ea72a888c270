// The roster's crypto (crypto/roster.ts): every rule of PROTOCOL.md §9 refused on its own, the
// canonical JSON, fingerprints; the vectors (test/crypto/vectors.test.ts) check the same against
// an independent implementation.
import fc from 'fast-check';
import t from 'tap';
import {
  canonicalJson, entryHash, FIRST_PREV, fingerprintOf, fromB64u, generateRecoveryKeyPair, generateUserSecrets, keyIdOf, memberFingerprint,
  membersOf, NO_PREVIOUS_MESSAGE, ready, rootKeysOf, signEntry, toB64u, verifyRoster, type RosterEntry, type SignedEntry,
} from '../../crypto/index.js';

await ready;

const recovery = generateRecoveryKeyPair();
const root = rootKeysOf(recovery.secretKey);
const people = ['alice', 'bob', 'carol'].map((name) => ({ name, userId: toB64u(fromB64u(keyIdOf(generateUserSecrets().box.publicKey))), secrets: generateUserSecrets() }));
const [alice, bob, carol] = people as [typeof people[0], typeof people[0], typeof people[0]];
const member = (p: typeof alice, secrets = p.secrets) => ({
  userId: p.userId, label: p.name, boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
});

type Body = RosterEntry extends infer E ? (E extends RosterEntry ? Omit<E, 'v' | 'seq' | 'prev' | 'at' | 'by'> : never) : never;
function chain(steps: Array<[Body, { publicKey: Uint8Array; secretKey: Uint8Array }]>): SignedEntry[] {
  const out: SignedEntry[] = [];
  for (const [body, signer] of steps) {
    const seq = out.length;
    const entry = { v: 1, seq, prev: seq === 0 ? FIRST_PREV : toB64u(entryHash(out[seq - 1]!)), at: '2026-12-02T10:00:00.000Z', by: keyIdOf(signer.publicKey), ...body } as RosterEntry;
    out.push(signEntry(entry, signer.secretKey));
  }
  return out;
}
const rootBody: Body = { op: 'root', root: { signPublicKey: toB64u(root.publicKey) }, recovery: { boxPublicKey: toB64u(recovery.publicKey) } };
const start = (): Array<[Body, typeof root]> => [
  [rootBody, root],
  [{ op: 'add', channel: 'staff', member: member(alice) }, root],
  [{ op: 'add', channel: 'staff', member: member(bob) }, alice.secrets.sign],
];

t.test('a roster verifies to its state: members per channel with their current keys', async (t) => {
  const bobNew = generateUserSecrets();
  const result = verifyRoster(chain([...start(),
    [{ op: 'rekey', channel: 'staff', member: member(bob, bobNew) }, alice.secrets.sign],
    [{ op: 'remove', channel: 'staff', userId: alice.userId }, root],
  ]));
  t.ok(result.ok);
  if (!result.ok) return;
  t.same(membersOf(result.state, 'staff'), [member(bob, bobNew)], 'bob with his new keys; alice removed');
  t.same(membersOf(result.state, 'public'), []);
  t.same(result.state.recoveryBoxPublicKey, recovery.publicKey);
  t.equal(result.hashes.length, 5);
});

t.test('each rule refuses the whole roster, and says where', async (t) => {
  const refused = (items: SignedEntry[], seq: number, reason: RegExp, what: string) => {
    const r = verifyRoster(items);
    t.notOk(r.ok, what);
    if (!r.ok) {
      t.equal(r.seq, seq, `${what}: at ${seq}`);
      t.match(r.reason, reason, what);
    }
  };
  refused([], 0, /empty/, 'an empty roster');
  refused(chain([[{ op: 'add', channel: 'staff', member: member(alice) }, root]]), 0, /not the root/, 'no root first');
  refused(chain([rootBody, rootBody].map((b) => [b, root])), 1, /root entry after/, 'a second root');
  refused(chain([[rootBody, alice.secrets.sign]]), 0, /by is not|signature/, 'a root signed by another key');
  refused(chain([...start(), [{ op: 'add', channel: 'staff', member: member(bob) }, root]]), 3, /already in the channel/, 'an add of a member');
  refused(chain([...start(), [{ op: 'rekey', channel: 'staff', member: member(carol) }, root]]), 3, /not in the channel/, 'a rekey of a stranger');
  refused(chain([...start(), [{ op: 'rekey', channel: 'staff', member: member(bob, generateUserSecrets()) }, bob.secrets.sign]]), 3, /own rekey/, 'a self-rekey');
  refused(chain([...start(), [{ op: 'remove', channel: 'staff', userId: carol.userId }, root]]), 3, /non-member/, 'a remove of a non-member');
  refused(chain([...start(), [{ op: 'add', channel: 'public', member: member(carol) }, alice.secrets.sign]]), 3, /neither the root nor a member of public/, 'a member of staff adds to public');
  const removed = chain([...start(), [{ op: 'remove', channel: 'staff', userId: alice.userId }, bob.secrets.sign]]);
  t.ok(verifyRoster(removed).ok, 'a member removes another');
  refused(chain([...start(), [{ op: 'remove', channel: 'staff', userId: alice.userId }, bob.secrets.sign], [{ op: 'add', channel: 'staff', member: member(carol) }, alice.secrets.sign]]),
    4, /neither the root/, 'a removed member signs nothing more');

  const good = chain(start());
  refused([good[0]!, good[2]!], 1, /seq/, 'an entry taken out');
  const relabelled = structuredClone(good);
  (relabelled[2]!.entry as { member: { label: string } }).member.label = 'someone else';
  refused(relabelled, 2, /signature/, 'a label changed after signing');
  const rekeyed = structuredClone(good);
  (rekeyed[2]!.entry as { member: { boxPublicKey: string } }).member.boxPublicKey = toB64u(carol.secrets.box.publicKey);
  refused(rekeyed, 2, /signature/, 'a key swapped after signing');
  refused([good[0]!, good[1]!, { entry: { ...good[2]!.entry, prev: FIRST_PREV }, sig: good[2]!.sig }], 2, /prev/, 'a rewritten prev');
  refused([good[0]!, { entry: { ...good[1]!.entry, op: 'grant' } as unknown as RosterEntry, sig: good[1]!.sig }], 1, /unknown op/, 'an unknown op');
});

t.test('any flipped bit of any signature refuses the roster', async (t) => {
  const good = chain(start());
  fc.assert(fc.property(fc.nat(good.length - 1), fc.nat(63), fc.integer({ min: 0, max: 7 }), (i, byte, bit) => {
    const items = structuredClone(good);
    const sig = fromB64u(items[i]!.sig, 64);
    sig[byte]! ^= 1 << bit;
    items[i] = { entry: items[i]!.entry, sig: toB64u(sig) };
    return !verifyRoster(items).ok;
  }), { numRuns: 200 });
  t.pass('checked');
});

t.test('canonical JSON and fingerprints', async (t) => {
  t.equal(canonicalJson({ b: 1, a: [true, null, 'é\n'], c: { z: 0, y: -3 } }), '{"a":[true,null,"é\\n"],"b":1,"c":{"y":-3,"z":0}}');
  t.throws(() => canonicalJson({ n: 1.5 }), /integers/);
  t.throws(() => canonicalJson({ n: () => 1 }), /JSON values/);
  t.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  const fp = fingerprintOf(root.publicKey);
  t.match(fp, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
  t.not(memberFingerprint(alice.secrets.box.publicKey, alice.secrets.sign.publicKey), memberFingerprint(alice.secrets.box.publicKey, bob.secrets.sign.publicKey),
    'a member\'s fingerprint covers both keys');
  t.throws(() => rootKeysOf(new Uint8Array(31)), /32/);
  t.same(rootKeysOf(recovery.secretKey).publicKey, root.publicKey, 'the root comes from the recovery secret, every time');
});

t.test('the constants for "no previous entry" and "no previous message" are 32 zero bytes', async (t) => {
  t.same(fromB64u(FIRST_PREV, 32), new Uint8Array(32));
  t.same(fromB64u(NO_PREVIOUS_MESSAGE, 32), new Uint8Array(32));
});
