// Writes test/vectors/sealbox-v1.json (PROTOCOL.md §8) from fixed inputs. Every value that the
// primitive makes deterministic (receipts, AEAD, user keys, PoW) comes out the same on every run;
// sealed boxes and stream headers are random by design, so those are checked by opening them.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ad, checkSymbol, decryptJson, deriveReceiptKeys, deriveUserKeys, encryptAttachmentBytes, encryptBytes, encryptMessageV2, entryHash,
  fingerprintOf, FIRST_PREV, formatReceiptCode, generateUserSecrets, keyIdOf, messageHash, NO_PREVIOUS_MESSAGE, PARAMS, ready, rootKeysOf, sealKey,
  sealKeyBundle, signEntry, solvePow, toB64u, utf8, type Author, type RosterEntry, type SignedEntry, type UserSecrets,
} from '../../crypto/index.js';
import { boxPublicKeyOf } from '../../crypto/keys.js';

/** Reproducible bytes for a label (SHA-512 stretched), so the vectors need no random input. */
export function fixedBytes(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, block = 0; i < n; block++) {
    const h = createHash('sha512').update(`sealbox-vectors/${label}/${block}`).digest();
    out.set(h.subarray(0, Math.min(64, n - i)), i);
    i += 64;
  }
  return out;
}

const ALPHABET = PARAMS.receiptAlphabet;
function fixedReceipt(label: string): string {
  const body = [...fixedBytes(`receipt/${label}`, 24)].map((b) => ALPHABET[b & 31]).join('');
  return formatReceiptCode(body + checkSymbol(body));
}

/** A report-content JSON text of exactly `length` UTF-8 bytes (the description is filled out). */
export function reportJsonOfLength(reportId: string, length: number): string {
  const make = (fill: string) => JSON.stringify({
    v: 1, channelId: 'public', locale: 'en', questionnaire: 'customs-default@1',
    answers: { category: 'BRIBERY', description: `Officer asked for 200 USD to release container MSCU1234565.${fill}` },
  });
  const base = utf8(make('')).length;
  if (base > length) throw new Error(`cannot make ${length} bytes from a ${base}-byte base`);
  return make(' '.repeat(length - base));
}

export async function buildVectors() {
  await ready;
  const receipts = ['a', 'b', 'c', 'd'].map((label) => {
    const code = fixedReceipt(label);
    const k = deriveReceiptKeys(code);
    return { code, receiptToken: toB64u(k.receiptToken), reporterPublicKey: toB64u(k.reporterPublicKey), reporterSecretKey: toB64u(k.reporterSecretKey) };
  });

  type AeadInput = { object: 'report' | 'message' | 'note' | 'attachment'; author?: Author; attachmentId?: string; plaintext: string };
  const rid = (label: string) => toB64u(fixedBytes(`report-id/${label}`, 16));
  const inputs: AeadInput[] = [
    { object: 'report', plaintext: '' },
    { object: 'report', plaintext: reportJsonOfLength(rid('aead/1'), 511) },
    { object: 'report', plaintext: reportJsonOfLength(rid('aead/2'), 512) },
    { object: 'message', author: 'reporter', plaintext: JSON.stringify({ v: 1, text: 'طلب مني الموظف مبلغاً لتخليص الشحنة 🚢💵' }) },
    { object: 'message', author: 'reviewer', plaintext: JSON.stringify({ v: 1, text: 'Merci, nous avons bien reçu votre signalement. Pouvez-vous préciser la date ?' }) },
    { object: 'note', plaintext: JSON.stringify({ v: 1, text: 'Check rota for terminal 2, week 47. ✅' }) },
    { object: 'attachment', attachmentId: toB64u(fixedBytes('attachment-id/1', 16)), plaintext: JSON.stringify({ v: 1, name: 'invoice-scan.jpg', type: 'image/jpeg', size: 48213, key: toB64u(fixedBytes('file-key/1', 32)), chunkSize: 65536 }) },
  ];
  const aead = inputs.map((input, i) => {
    const reportId = rid(`aead/${i}`);
    const key = fixedBytes(`aead-key/${i}`, 32);
    const nonce = fixedBytes(`aead-nonce/${i}`, 24);
    const adText = input.object === 'report' ? ad.report(reportId)
      : input.object === 'message' ? ad.message(reportId, input.author!)
      : input.object === 'note' ? ad.note(reportId)
      : ad.attachment(reportId, input.attachmentId!);
    const plaintext = input.object === 'report' && input.plaintext !== '' ? reportJsonOfLength(reportId, utf8(input.plaintext).length) : input.plaintext;
    const sealed = encryptBytes(key, adText, utf8(plaintext), nonce);
    return {
      object: input.object, reportId,
      ...(input.author ? { author: input.author } : {}),
      ...(input.attachmentId ? { attachmentId: input.attachmentId } : {}),
      key: toB64u(key), nonce: sealed.nonce, plaintext, ciphertext: sealed.ciphertext,
    };
  });

  const sealed = [0, 1, 2].map((i) => {
    const secretKey = fixedBytes(`sealed-recipient/${i}`, 32);
    const publicKey = boxPublicKeyOf(secretKey);
    const key = fixedBytes(`sealed-key/${i}`, 32);
    return { recipientPublicKey: toB64u(publicKey), recipientSecretKey: toB64u(secretKey), key: toB64u(key), sealedKey: sealKey(key, publicKey) };
  });

  const people = [
    { username: 'amina', passphrase: 'correct horse battery staple', opslimit: PARAMS.opslimit },
    { username: 'jean.dupont', passphrase: 'Le déclarant a sous-évalué la cargaison ✈', opslimit: PARAMS.opslimit },
    { username: 'rashid', passphrase: 'كلمة مرور طويلة جدا للمراجع', opslimit: PARAMS.opslimit + 1 },
  ];
  const users = people.map((p) => {
    const salt = fixedBytes(`user-salt/${p.username}`, 16);
    const params = { salt, opslimit: p.opslimit, memlimit: PARAMS.memlimit };
    const keys = deriveUserKeys(p.passphrase, params);
    const secrets = generateUserSecrets({ box: fixedBytes(`user-box/${p.username}`, 32), sign: fixedBytes(`user-sign/${p.username}`, 32) });
    const keyBundle = sealKeyBundle(keys.wrapKey, p.username, secrets, fixedBytes(`user-bundle-nonce/${p.username}`, 24));
    decryptJson(keys.wrapKey, ad.keyBundle(p.username), keyBundle); // self-check before writing
    return {
      username: p.username, passphrase: p.passphrase, salt: toB64u(salt), opslimit: params.opslimit, memlimit: params.memlimit,
      authKey: toB64u(keys.authKey), wrapKey: toB64u(keys.wrapKey),
      boxPublicKey: toB64u(secrets.box.publicKey), boxSecretKey: toB64u(secrets.box.secretKey), keyId: keyIdOf(secrets.box.publicKey),
      keyBundle,
    };
  });

  const attachmentSizes = [0, 1000, PARAMS.chunkSize, 2 * PARAMS.chunkSize + 5];
  const attachments = await Promise.all(attachmentSizes.map(async (size, i) => {
    const key = fixedBytes(`stream-key/${i}`, 32);
    const plain = fixedBytes(`stream-plain/${i}`, size);
    return { key: toB64u(key), plaintext: toB64u(plain), stream: toB64u(await encryptAttachmentBytes(key, plain)) };
  }));

  const pow = [0, 8, 12, 16].map((bits, i) => {
    const salt = fixedBytes(`pow-salt/${i}`, 16);
    return { salt: toB64u(salt), bits, nonce: solvePow(salt, bits) };
  });

  return { version: 'sealbox/v1', receipts, aead, sealed, users, attachments, pow, roster: rosterVectors(), messagesV2: messageV2Vectors() };
}

/** An entry without what the builder fills in (distributed over the kinds of entry). */
type EntryBody = RosterEntry extends infer E ? (E extends RosterEntry ? Omit<E, 'v' | 'seq' | 'prev' | 'at' | 'by'> : never) : never;

/** A roster built entry by entry: each one chained to the last and signed by `signer`. */
class RosterBuilder {
  readonly entries: SignedEntry[] = [];

  add(body: EntryBody, signer: { publicKey: Uint8Array; secretKey: Uint8Array }, tweak: (e: RosterEntry) => RosterEntry = (e) => e): this {
    const seq = this.entries.length;
    const prev = seq === 0 ? FIRST_PREV : toB64u(entryHash(this.entries[seq - 1]!));
    const at = new Date(Date.UTC(2026, 11, 1, 9, seq)).toISOString();
    const entry = tweak({ v: 1, seq, prev, at, by: keyIdOf(signer.publicKey), ...body } as RosterEntry);
    this.entries.push(signEntry(entry, signer.secretKey));
    return this;
  }
}

/**
 * PROTOCOL.md §9's roster vectors: a valid roster (root, adds by the root and by a member, a rekey,
 * a remove) and one invalid roster per rule (a bad signature, a gap in seq, a wrong prev, an add
 * signed by a non-member of the channel, a member's own rekey).
 */
function rosterVectors() {
  const recoverySecretKey = fixedBytes('roster/recovery', 32);
  const root = rootKeysOf(recoverySecretKey);
  const recoveryPublicKey = boxPublicKeyOf(recoverySecretKey);
  const person = (name: string): { userId: string; secrets: UserSecrets } => ({
    userId: toB64u(fixedBytes(`roster/user/${name}`, 16)),
    secrets: generateUserSecrets({ box: fixedBytes(`roster/box/${name}`, 32), sign: fixedBytes(`roster/sign/${name}`, 32) }),
  });
  const alice = person('alice');
  const bob = person('bob');
  const bobNew = { userId: bob.userId, secrets: generateUserSecrets({ box: fixedBytes('roster/box/bob-2', 32), sign: fixedBytes('roster/sign/bob-2', 32) }) };
  const carol = person('carol');
  const member = (p: { userId: string; secrets: UserSecrets }, label: string) => ({
    userId: p.userId, label, boxPublicKey: toB64u(p.secrets.box.publicKey), signPublicKey: toB64u(p.secrets.sign.publicKey),
  });
  const rootEntry: EntryBody = { op: 'root', root: { signPublicKey: toB64u(root.publicKey) }, recovery: { boxPublicKey: toB64u(recoveryPublicKey) } };
  const base = () => new RosterBuilder()
    .add(rootEntry, root)
    .add({ op: 'add', channel: 'staff', member: member(alice, 'Integrity officer A') }, root)
    .add({ op: 'add', channel: 'staff', member: member(bob, 'Integrity officer B') }, alice.secrets.sign);
  const valid = base()
    .add({ op: 'rekey', channel: 'staff', member: member(bobNew, 'Integrity officer B') }, alice.secrets.sign)
    .add({ op: 'add', channel: 'public', member: member(carol, 'Complaints desk') }, root)
    .add({ op: 'remove', channel: 'staff', userId: alice.userId }, bobNew.secrets.sign);
  const members = [alice, bobNew, carol].map((p) => ({ userId: p.userId, signSecretKey: toB64u(p.secrets.sign.secretKey), boxSecretKey: toB64u(p.secrets.box.secretKey) }));
  const common = { recoverySecretKey: toB64u(recoverySecretKey), rootSignPublicKey: toB64u(root.publicKey), unitFingerprint: fingerprintOf(root.publicKey), members };

  const badSignature = base();
  const last = badSignature.entries[2]!;
  const sig = Uint8Array.from(Buffer.from(last.sig, 'base64url'));
  sig[0]! ^= 1;
  badSignature.entries[2] = { entry: last.entry, sig: toB64u(sig) };
  const gap = new RosterBuilder().add(rootEntry, root).add({ op: 'add', channel: 'staff', member: member(alice, 'A') }, root, (e) => ({ ...e, seq: 2 }));
  const wrongPrev = new RosterBuilder().add(rootEntry, root).add({ op: 'add', channel: 'staff', member: member(alice, 'A') }, root, (e) => ({ ...e, prev: FIRST_PREV }));
  const nonMember = new RosterBuilder().add(rootEntry, root)
    .add({ op: 'add', channel: 'public', member: member(carol, 'Complaints desk') }, root)
    .add({ op: 'add', channel: 'staff', member: member(alice, 'A') }, carol.secrets.sign);
  const selfRekey = base().add({ op: 'rekey', channel: 'staff', member: member(bobNew, 'B') }, bob.secrets.sign);
  return [
    { ...common, entries: valid.entries, hashes: valid.entries.map((e) => toB64u(entryHash(e))), valid: true },
    { ...common, entries: badSignature.entries, hashes: [], valid: false, reason: 'entry 2: the signature does not verify' },
    { ...common, entries: gap.entries, hashes: [], valid: false, reason: 'entry 1: a gap in seq' },
    { ...common, entries: wrongPrev.entries, hashes: [], valid: false, reason: 'entry 1: prev does not name entry 0' },
    { ...common, entries: nonMember.entries, hashes: [], valid: false, reason: 'entry 2: an add to staff signed by a member of public only' },
    { ...common, entries: selfRekey.entries, hashes: [], valid: false, reason: 'entry 3: bob signs his own rekey' },
  ];
}

/** PROTOCOL.md §9's messages version 2: shaped like `aead` entries, with the message id and the chain. */
function messageV2Vectors() {
  const key = fixedBytes('message-v2/key', 32);
  const reportId = toB64u(fixedBytes('message-v2/report', 16));
  const out: Array<{ object: 'message'; reportId: string; messageId: string; author: Author; key: string; nonce: string; plaintext: string; ciphertext: string }> = [];
  let prev = NO_PREVIOUS_MESSAGE;
  const texts: Array<[Author, string]> = [['reporter', 'The officer at gate 4 asked for 200 USD.'], ['reviewer', 'Merci. Avez-vous un reçu ?'], ['reporter', 'لا، دفعت نقدًا 💵']];
  texts.forEach(([author, text], i) => {
    const messageId = toB64u(fixedBytes(`message-v2/id/${i}`, 16));
    const nonce = fixedBytes(`message-v2/nonce/${i}`, 24);
    const sealed = encryptMessageV2(key, reportId, messageId, author, { text, prev }, nonce);
    out.push({
      object: 'message', reportId, messageId, author, key: toB64u(key), nonce: sealed.nonce,
      plaintext: JSON.stringify({ v: 2, text, prev }), ciphertext: sealed.ciphertext,
    });
    prev = messageHash(sealed);
  });
  return out;
}

export const vectorsPath = fileURLToPath(new URL('./sealbox-v1.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const vectors = await buildVectors();
  writeFileSync(vectorsPath, `${JSON.stringify(vectors, null, 1)}\n`);
  console.log(`wrote ${vectorsPath}`);
}
