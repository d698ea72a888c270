// Property-based tests of the protocol's sealed objects (PROTOCOL.md §1–§3): for every kind, any
// valid object seals and opens; any single-byte change anywhere (nonce, ciphertext, tag, stream
// header, envelope) fails; and any re-labelled associated data (another kind's label, another
// report, author, file or user) fails, never yielding plaintext. The run counts keep the whole
// file to a few seconds; raise SEALBOX_PROPERTY_RUNS to search harder.
import fc from 'fast-check';
import t, { type Test } from 'tap';
import {
  ad, checkSymbol, concatBytes, decryptAttachmentBytes, decryptAttachmentMeta, decryptBytes, decryptMessage, decryptNote,
  decryptReportContent, deriveReceiptKeys, encryptAttachmentBytes, encryptAttachmentMeta, encryptMessage, encryptNote,
  encryptReportContent, formatRecoverySecret, fromB64u, generateUserSecrets, isPaddedCiphertextLength, keyIdOf, normaliseReceiptCode,
  openKeyBundle, openSealedKey, parseRecoverySecret, PARAMS, ready, ReceiptCodeError, SealboxCryptoError, sealKey, sealKeyBundle, toB64u,
  type Author, type Sealed,
} from '../../crypto/index.js';
import { ServerKeys } from '../../server/instance.js';
import type { Services } from '../../server/services.js';
import { openTotpSecret, sealTotpSecret } from '../../server/users.js';

await ready;

/** Runs per property: SEALBOX_PROPERTY_RUNS scales them all (1 = the defaults below). */
const SCALE = Number(process.env.SEALBOX_PROPERTY_RUNS ?? 1);
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)) });

// ---- arbitraries --------------------------------------------------------------------------------

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const key32 = bytes(32);
const id16 = bytes(16).map(toB64u);
const author = fc.constantFrom<Author>('reporter', 'reviewer');
const username = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{1,30}$/);
/** Any text, across the first bucket boundaries (512 and 1024 bytes) too. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 480, maxLength: 1100 }),
  fc.constantFrom('', 'طلب الموظف رشوة 💸 عند المعبر', 'x'.repeat(497), 'x'.repeat(498)),
);
const answers = fc.dictionary(fc.string({ minLength: 1, maxLength: 16 }), fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }), { maxKeys: 12 });
const userSecrets = fc.tuple(bytes(32), bytes(32)).map(([box, sign]) => generateUserSecrets({ box, sign }));
const totpSecret = fc.stringMatching(/^[A-Z2-7]{32}$/);
/** A one-character edit of a string: inserted, removed, replaced or case-flipped somewhere. */
const edit = fc.record({ kind: fc.constantFrom('insert', 'delete', 'replace', 'case'), at: fc.nat(), char: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) });

function applyEdit(s: string, e: { kind: string; at: number; char: string }): string {
  const i = e.at % (s.length + 1);
  if (e.kind === 'insert') return s.slice(0, i) + e.char + s.slice(i);
  const j = Math.min(i, s.length - 1);
  if (e.kind === 'delete') return s.slice(0, j) + s.slice(j + 1);
  if (e.kind === 'replace') return s.slice(0, j) + e.char + s.slice(j + 1);
  const c = s[j]!;
  return s.slice(0, j) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + s.slice(j + 1);
}

const json = (v: unknown) => JSON.stringify(v);

/** True when `fn` throws a SealboxCryptoError with one of `codes` (and so returns no plaintext). */
function refuses(fn: () => unknown, codes: string[] = ['SBX_DECRYPT_FAILED']): boolean {
  try {
    fn();
  } catch (error) {
    if (error instanceof SealboxCryptoError && codes.includes(error.code)) return true;
    throw error;
  }
  return false;
}

// ---- the AEAD objects of §2–§3 --------------------------------------------------------------------

interface Ids {
  reportId: string;
  attachmentId: string;
  username: string;
}

/** Every AD any object could carry for these ids: the labels an attacker can re-use. */
const allAds = (i: Ids): string[] => [
  ad.report(i.reportId), ad.message(i.reportId, 'reporter'), ad.message(i.reportId, 'reviewer'), ad.note(i.reportId),
  ad.attachment(i.reportId, i.attachmentId), ad.keyBundle(i.username), `${PARAMS.prefix}server/totp/${i.username}`,
];

interface AeadKind<V> {
  name: string;
  /** A valid object: its key, ids and plaintext. */
  value: fc.Arbitrary<V>;
  key(v: V): Uint8Array;
  ids(v: V): Ids;
  ad(v: V): string;
  seal(v: V): Sealed;
  /** Opens with the named operation and returns the plaintext as JSON, for comparison. */
  open(v: V, sealed: Sealed): string;
  expected(v: V): string;
  /** The named operation called with a wrong label (another report, author, file, user, kind). */
  relabelled(v: V, other: Ids, sealed: Sealed): [string, () => unknown][];
}

const services = (secret: Uint8Array) => ({ keys: new ServerKeys(Buffer.from(secret)) }) as unknown as Services;
const idsOf = (reportId: string, attachmentId = 'AAAAAAAAAAAAAAAAAAAAAA', user = 'nobody'): Ids => ({ reportId, attachmentId, username: user });

const KINDS: AeadKind<never>[] = [
  {
    name: 'report content',
    value: fc.record({ key: key32, reportId: id16, channelId: fc.constantFrom('staff', 'public'), locale: fc.constantFrom('en', 'fr', 'es', 'ar'), answers, recipients: fc.array(id16, { maxLength: 4 }), excluded: fc.array(id16, { maxLength: 4 }) }),
    key: (v) => v.key,
    ids: (v) => idsOf(v.reportId),
    ad: (v) => ad.report(v.reportId),
    seal: (v) => encryptReportContent(v.key, v.reportId, { channelId: v.channelId, locale: v.locale, questionnaire: 'customs-default@1', answers: v.answers, recipients: v.recipients, excluded: v.excluded }),
    open: (v, s) => json(decryptReportContent(v.key, v.reportId, s)),
    expected: (v) => json({ v: 2, channelId: v.channelId, locale: v.locale, questionnaire: 'customs-default@1', answers: v.answers, recipients: v.recipients, excluded: v.excluded }),
    relabelled: (v, o, s) => [
      ['another report', () => decryptReportContent(v.key, o.reportId, s)],
      ['as a note', () => decryptNote(v.key, v.reportId, s)],
      ['as a reporter message', () => decryptMessage(v.key, v.reportId, 'reporter', s)],
    ],
  } satisfies AeadKind<{ key: Uint8Array; reportId: string; channelId: string; locale: string; answers: Record<string, unknown>; recipients: string[]; excluded: string[] }>,
  {
    name: 'message',
    value: fc.record({ key: key32, reportId: id16, author, text }),
    key: (v) => v.key,
    ids: (v) => idsOf(v.reportId),
    ad: (v) => ad.message(v.reportId, v.author),
    seal: (v) => encryptMessage(v.key, v.reportId, v.author, v.text),
    open: (v, s) => json(decryptMessage(v.key, v.reportId, v.author, s)),
    expected: (v) => json(v.text),
    relabelled: (v, o, s) => [
      ['the other author', () => decryptMessage(v.key, v.reportId, v.author === 'reporter' ? 'reviewer' : 'reporter', s)],
      ['another report', () => decryptMessage(v.key, o.reportId, v.author, s)],
      ['as a note', () => decryptNote(v.key, v.reportId, s)],
      ['as the report content', () => decryptReportContent(v.key, v.reportId, s)],
    ],
  } satisfies AeadKind<{ key: Uint8Array; reportId: string; author: Author; text: string }>,
  {
    name: 'internal note',
    value: fc.record({ key: key32, reportId: id16, text }),
    key: (v) => v.key,
    ids: (v) => idsOf(v.reportId),
    ad: (v) => ad.note(v.reportId),
    seal: (v) => encryptNote(v.key, v.reportId, v.text),
    open: (v, s) => json(decryptNote(v.key, v.reportId, s)),
    expected: (v) => json(v.text),
    relabelled: (v, o, s) => [
      ['another report', () => decryptNote(v.key, o.reportId, s)],
      ['as a reviewer message (what the reporter could be shown)', () => decryptMessage(v.key, v.reportId, 'reviewer', s)],
    ],
  } satisfies AeadKind<{ key: Uint8Array; reportId: string; text: string }>,
  {
    name: 'attachment metadata',
    value: fc.record({
      key: key32, reportId: id16, attachmentId: id16,
      meta: fc.record({ name: fc.string({ unit: 'grapheme', maxLength: 100 }), type: fc.string({ maxLength: 60 }), size: fc.maxSafeNat(), key: key32.map(toB64u) }),
    }),
    key: (v) => v.key,
    ids: (v) => idsOf(v.reportId, v.attachmentId),
    ad: (v) => ad.attachment(v.reportId, v.attachmentId),
    seal: (v) => encryptAttachmentMeta(v.key, v.reportId, v.attachmentId, { ...v.meta, chunkSize: PARAMS.chunkSize }),
    open: (v, s) => json(decryptAttachmentMeta(v.key, v.reportId, v.attachmentId, s)),
    expected: (v) => json({ v: 1, ...v.meta, chunkSize: PARAMS.chunkSize }),
    relabelled: (v, o, s) => [
      ['another file of the report', () => decryptAttachmentMeta(v.key, v.reportId, o.attachmentId, s)],
      ['the same file id on another report', () => decryptAttachmentMeta(v.key, o.reportId, v.attachmentId, s)],
      ['as the report content', () => decryptReportContent(v.key, v.reportId, s)],
    ],
  } satisfies AeadKind<{ key: Uint8Array; reportId: string; attachmentId: string; meta: { name: string; type: string; size: number; key: string } }>,
  {
    name: 'key bundle',
    value: fc.record({ wrapKey: key32, username, secrets: userSecrets }),
    key: (v) => v.wrapKey,
    ids: (v) => ({ ...idsOf('AAAAAAAAAAAAAAAAAAAAAA'), username: v.username }),
    ad: (v) => ad.keyBundle(v.username),
    seal: (v) => sealKeyBundle(v.wrapKey, v.username, v.secrets),
    open: (v, s) => {
      const opened = openKeyBundle(v.wrapKey, v.username, s);
      return json([opened.box, opened.sign].map((p) => [toB64u(p.publicKey), toB64u(p.secretKey)]));
    },
    expected: (v) => json([v.secrets.box, v.secrets.sign].map((p) => [toB64u(p.publicKey), toB64u(p.secretKey)])),
    relabelled: (v, o, s) => [['another user\'s name', () => openKeyBundle(v.wrapKey, o.username === v.username ? `${v.username}x` : o.username, s)]],
  } satisfies AeadKind<{ wrapKey: Uint8Array; username: string; secrets: ReturnType<typeof generateUserSecrets> }>,
  {
    name: 'TOTP secret at rest (server)',
    value: fc.record({ serverSecret: key32, username, secret: totpSecret }),
    key: (v) => services(v.serverSecret).keys.totpKey(),
    ids: (v) => ({ ...idsOf('AAAAAAAAAAAAAAAAAAAAAA'), username: v.username }),
    ad: (v) => `${PARAMS.prefix}server/totp/${v.username}`,
    seal: (v) => {
      const sealed = sealTotpSecret(services(v.serverSecret), v.username, v.secret);
      return { nonce: toB64u(sealed.nonce), ciphertext: toB64u(sealed.ciphertext) };
    },
    open: (v, s) => json(openTotpSecret(services(v.serverSecret), { username: v.username, totpSecretNonce: Buffer.from(fromB64u(s.nonce)), totpSecretCiphertext: Buffer.from(fromB64u(s.ciphertext)) })),
    expected: (v) => json(v.secret),
    relabelled: (v, o, s) => [[
      'another user\'s row',
      () => openTotpSecret(services(v.serverSecret), {
        username: o.username === v.username ? `${v.username}x` : o.username, totpSecretNonce: Buffer.from(fromB64u(s.nonce)), totpSecretCiphertext: Buffer.from(fromB64u(s.ciphertext)),
      }),
    ]],
  } satisfies AeadKind<{ serverSecret: Uint8Array; username: string; secret: string }>,
] as unknown as AeadKind<never>[];

/** One byte of the nonce, the ciphertext's body or its tag, changed by a non-zero XOR. */
const byteChange = fc.record({ region: fc.constantFrom('nonce', 'body', 'tag'), at: fc.nat(), delta: fc.integer({ min: 1, max: 255 }) });

function changed(s: Sealed, c: { region: string; at: number; delta: number }): Sealed {
  const nonce = fromB64u(s.nonce);
  const ct = fromB64u(s.ciphertext);
  const body = ct.length - PARAMS.tagBytes;
  if (c.region === 'nonce') nonce[c.at % nonce.length]! ^= c.delta;
  else if (c.region === 'body') ct[c.at % body]! ^= c.delta;
  else ct[body + (c.at % PARAMS.tagBytes)]! ^= c.delta;
  return { nonce: toB64u(nonce), ciphertext: toB64u(ct) };
}

const otherIds = fc.record({ reportId: id16, attachmentId: id16, username });

function aeadProperties(t: Test, kind: AeadKind<never>): void {
  t.test(`${kind.name}: any valid object seals and opens, to its padded bucket`, async (t) => {
    fc.assert(fc.property(kind.value, (v) => {
      const sealed = kind.seal(v);
      return fromB64u(sealed.nonce).length === PARAMS.nonceBytes
        && isPaddedCiphertextLength(fromB64u(sealed.ciphertext).length)
        && kind.open(v, sealed) === kind.expected(v);
    }), runs(100));
    t.pass('round trips');
  });

  t.test(`${kind.name}: any single-byte change of nonce, ciphertext or tag fails`, async (t) => {
    fc.assert(fc.property(kind.value, byteChange, (v, c) => refuses(() => kind.open(v, changed(kind.seal(v), c)))), runs(150));
    t.pass('never opens');
  });

  t.test(`${kind.name}: a byte cut or added fails`, async (t) => {
    const cut = fc.record({ field: fc.constantFrom('nonce', 'ciphertext'), how: fc.constantFrom('first', 'last', 'append'), byte: fc.integer({ min: 0, max: 255 }) });
    fc.assert(fc.property(kind.value, cut, (v, c) => {
      const s = kind.seal(v);
      const b = fromB64u(s[c.field as keyof Sealed]);
      const bad = c.how === 'first' ? b.subarray(1) : c.how === 'last' ? b.subarray(0, -1) : concatBytes(b, Uint8Array.of(c.byte));
      return refuses(() => kind.open(v, { ...s, [c.field]: toB64u(bad) }), ['SBX_DECRYPT_FAILED', 'SBX_BAD_LENGTH']);
    }), runs(50));
    t.pass('never opens');
  });

  t.test(`${kind.name}: any re-labelled associated data fails`, async (t) => {
    fc.assert(fc.property(kind.value, otherIds, fc.nat(), edit, (v, o, pick, e) => {
      const s = kind.seal(v);
      const own = kind.ad(v);
      // Every label of every kind, for this object's ids and for others', and a one-character edit of its own.
      const labels = [...allAds(kind.ids(v)), ...allAds(o), applyEdit(own, e), `${own}/`, own.replace('sealbox/v1/', 'sealbox/v2/')].filter((l) => l !== own);
      const label = labels[pick % labels.length]!;
      if (!refuses(() => decryptBytes(kind.key(v), label, s))) return false;
      return kind.relabelled(v, o, s).every(([, open]) => refuses(open));
    }), runs(150));
    t.pass('never opens');
  });

  t.test(`${kind.name}: any other key fails`, async (t) => {
    fc.assert(fc.property(kind.value, key32, (v, other) => {
      fc.pre(toB64u(other) !== toB64u(kind.key(v)));
      return refuses(() => decryptBytes(other, kind.ad(v), kind.seal(v)));
    }), runs(50));
    t.pass('never opens');
  });
}

for (const kind of KINDS) aeadProperties(t, kind);

// ---- sealed keys (envelopes of K and Ki) ------------------------------------------------------------

const recipient = bytes(32).map((seed) => generateUserSecrets({ box: seed, sign: seed }).box);

t.test('sealed keys: any key sealed to any recipient opens with that recipient\'s pair, and is 80 bytes', async (t) => {
  fc.assert(fc.property(key32, recipient, (key, pair) => {
    const sealed = sealKey(key, pair.publicKey);
    return fromB64u(sealed).length === PARAMS.sealedKeyBytes && toB64u(openSealedKey(sealed, pair)) === toB64u(key);
  }), runs(60));
  t.pass('round trips');
});

t.test('sealed keys: any single-byte change of the envelope fails', async (t) => {
  fc.assert(fc.property(key32, recipient, fc.nat(), fc.integer({ min: 1, max: 255 }), (key, pair, at, delta) => {
    const box = fromB64u(sealKey(key, pair.publicKey));
    box[at % box.length]! ^= delta;
    return refuses(() => openSealedKey(toB64u(box), pair));
  }), runs(80));
  t.pass('never opens');
});

t.test('sealed keys: an envelope for another recipient does not open, and a swapped envelope opens nothing else', async (t) => {
  fc.assert(fc.property(key32, key32, recipient, recipient, id16, text, (ka, kb, alice, bob, reportId, message) => {
    fc.pre(toB64u(alice.publicKey) !== toB64u(bob.publicKey) && toB64u(ka) !== toB64u(kb));
    if (!refuses(() => openSealedKey(sealKey(ka, alice.publicKey), bob))) return false;
    // Report B's envelope, handed over as report A's, yields B's key: A's objects do not open with it.
    const fromSwapped = openSealedKey(sealKey(kb, alice.publicKey), alice);
    return refuses(() => decryptMessage(fromSwapped, reportId, 'reviewer', encryptMessage(ka, reportId, 'reviewer', message)));
  }), runs(40));
  t.pass('never opens');
});

t.test('sealed keys: K and the internal key Ki do not stand in for each other', async (t) => {
  fc.assert(fc.property(key32, key32, id16, text, (k, ki, reportId, note) => {
    fc.pre(toB64u(k) !== toB64u(ki));
    return refuses(() => decryptNote(k, reportId, encryptNote(ki, reportId, note)))
      && refuses(() => decryptMessage(ki, reportId, 'reviewer', encryptMessage(k, reportId, 'reviewer', note)));
  }), runs(50));
  t.pass('never opens');
});

// ---- attachment bodies (secretstream) ---------------------------------------------------------------

/** A file of `size` bytes from a seed (a generated array of up to 200 kB would make shrinking slow). */
function file(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}
const C = PARAMS.chunkSize;
const fileSize = fc.oneof(fc.constantFrom(0, 1, C - 1, C, C + 1, 2 * C, 2 * C + 5), fc.integer({ min: 0, max: 3 * C }));
const plainFile = fc.tuple(key32, fileSize, fc.integer()).map(([key, size, seed]) => ({ key, plain: file(size, seed) }));
const STREAM_ERRORS = ['SBX_DECRYPT_FAILED', 'SBX_STREAM_INVALID', 'SBX_STREAM_TRUNCATED', 'SBX_BAD_LENGTH'];

async function streamRefused(key: Uint8Array, stream: Uint8Array): Promise<boolean> {
  try {
    await decryptAttachmentBytes(key, stream);
  } catch (error) {
    if (error instanceof SealboxCryptoError && STREAM_ERRORS.includes(error.code)) return true;
    throw error;
  }
  return false;
}

t.test('attachment streams: any file encrypts and decrypts, to the size PROTOCOL.md §3 gives', async (t) => {
  await fc.assert(fc.asyncProperty(plainFile, async ({ key, plain }) => {
    const stream = await encryptAttachmentBytes(key, plain);
    const chunks = Math.max(1, Math.ceil(plain.length / C));
    return stream.length === PARAMS.streamHeaderBytes + plain.length + chunks * PARAMS.streamChunkOverhead
      && Buffer.from(await decryptAttachmentBytes(key, stream)).equals(Buffer.from(plain));
  }), runs(25));
  t.pass('round trips');
});

t.test('attachment streams: any single-byte change, header or any chunk, fails', async (t) => {
  await fc.assert(fc.asyncProperty(plainFile, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), async ({ key, plain }, at, delta, inHeader) => {
    const stream = await encryptAttachmentBytes(key, plain);
    const i = inHeader ? at % PARAMS.streamHeaderBytes : at % stream.length;
    stream[i]! ^= delta;
    return streamRefused(key, stream);
  }), runs(50));
  t.pass('never decrypts');
});

t.test('attachment streams: cut anywhere, or with bytes added, fails', async (t) => {
  await fc.assert(fc.asyncProperty(plainFile, fc.nat(), bytes(1), async ({ key, plain }, at, extra) => {
    const stream = await encryptAttachmentBytes(key, plain);
    return (await streamRefused(key, stream.subarray(0, at % stream.length))) && streamRefused(key, concatBytes(stream, extra));
  }), runs(40));
  t.pass('never decrypts');
});

t.test('attachment streams: chunks reordered, or spliced in from another stream under the same key, fail', async (t) => {
  const multi = fc.tuple(key32, fc.integer({ min: 2 * C, max: 3 * C }), fc.integer()).map(([key, size, seed]) => ({ key, plain: file(size, seed) }));
  await fc.assert(fc.asyncProperty(multi, fc.integer({ min: 0, max: 1 }), async ({ key, plain }, which) => {
    const a = await encryptAttachmentBytes(key, plain);
    const b = await encryptAttachmentBytes(key, plain);
    const H = PARAMS.streamHeaderBytes;
    const size = C + PARAMS.streamChunkOverhead;
    const chunk = (s: Uint8Array, n: number) => s.subarray(H + n * size, H + (n + 1) * size);
    const swapped = concatBytes(a.subarray(0, H), chunk(a, 1), chunk(a, 0), a.subarray(H + 2 * size));
    const spliced = concatBytes(a.subarray(0, H + which * size), chunk(b, which), a.subarray(H + (which + 1) * size));
    return (await streamRefused(key, swapped)) && (await streamRefused(key, spliced));
  }), runs(15));
  t.pass('never decrypts');
});

t.test('attachment streams: any other key fails', async (t) => {
  await fc.assert(fc.asyncProperty(plainFile, key32, async ({ key, plain }, other) => {
    fc.pre(toB64u(other) !== toB64u(key));
    return streamRefused(other, await encryptAttachmentBytes(key, plain));
  }), runs(20));
  t.pass('never decrypts');
});

// ---- receipt-derived keys (§1) and the recovery secret ----------------------------------------------

const ALPHABET = PARAMS.receiptAlphabet;
const receipt = fc.array(fc.constantFrom(...ALPHABET), { minLength: 24, maxLength: 24 }).map((s) => s.join('')).map((body) => body + checkSymbol(body));

/** The ways a person may type a code: case, groups, spaces, O for 0 and I or L for 1. */
const typed = fc.record({ lower: fc.boolean(), dashes: fc.boolean(), spaces: fc.boolean(), letters: fc.boolean() }).map((o) => (code: string) => {
  let s = o.letters ? code.replace(/0/g, 'O').replace(/1/g, 'l') : code;
  if (o.lower) s = s.toLowerCase();
  if (o.dashes) s = s.match(/.{1,5}/g)!.join('-');
  if (o.spaces) s = ` ${s.split('').join(' ')} `;
  return s;
});

t.test('receipt keys: any code, however it is typed, derives the same token and key pair, which opens K', async (t) => {
  fc.assert(fc.property(receipt, typed, key32, (code, spell, key) => {
    const keys = deriveReceiptKeys(code);
    const again = deriveReceiptKeys(spell(code));
    const sealed = sealKey(key, keys.reporterPublicKey);
    return toB64u(again.receiptToken) === toB64u(keys.receiptToken)
      && toB64u(again.reporterSecretKey) === toB64u(keys.reporterSecretKey)
      && toB64u(openSealedKey(sealed, { publicKey: again.reporterPublicKey, secretKey: again.reporterSecretKey })) === toB64u(key);
  }), runs(60));
  t.pass('stable');
});

t.test('receipt keys: a code with one symbol changed is refused as a typo or derives keys that open nothing of the report', async (t) => {
  fc.assert(fc.property(receipt, fc.nat(), fc.integer({ min: 1, max: 31 }), key32, (code, at, shift, key) => {
    const i = at % code.length;
    const wrong = code.slice(0, i) + ALPHABET[(ALPHABET.indexOf(code[i]!) + shift) % 32] + code.slice(i + 1);
    const sealed = sealKey(key, deriveReceiptKeys(code).reporterPublicKey);
    let other;
    try {
      other = deriveReceiptKeys(wrong);
    } catch (error) {
      return error instanceof ReceiptCodeError && error.reason === 'check';
    }
    // One typo in 32 passes the check symbol: it must still lead nowhere.
    return toB64u(other.receiptToken) !== toB64u(deriveReceiptKeys(code).receiptToken)
      && refuses(() => openSealedKey(sealed, { publicKey: other.reporterPublicKey, secretKey: other.reporterSecretKey }));
  }), runs(80));
  t.pass('never the report\'s keys');
  t.ok(normaliseReceiptCode(fc.sample(receipt, 1)[0]!), 'a generated code is a valid code');
});

t.test('recovery secret: any key reads back from its written form; a changed symbol is refused or reads another key', async (t) => {
  fc.assert(fc.property(recipient, fc.nat(), fc.integer({ min: 1, max: 31 }), (pair, at, shift) => {
    const written = formatRecoverySecret(pair.secretKey);
    const read = parseRecoverySecret(written.toLowerCase());
    if (toB64u(read.secretKey) !== toB64u(pair.secretKey) || keyIdOf(read.publicKey) !== keyIdOf(pair.publicKey)) return false;
    const symbols = written.replace(/-/g, '');
    const i = at % symbols.length;
    const wrong = symbols.slice(0, i) + ALPHABET[(ALPHABET.indexOf(symbols[i]!) + shift) % 32] + symbols.slice(i + 1);
    try {
      return toB64u(parseRecoverySecret(wrong).secretKey) !== toB64u(pair.secretKey);
    } catch (error) {
      return error instanceof ReceiptCodeError;
    }
  }), runs(60));
  t.pass('round trips');
});
