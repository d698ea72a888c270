// Checks the committed test vectors against crypto/: re-derives every deterministic value from its
// inputs and opens every sealed value. The same file is checked by an independent implementation.
import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  ad, decryptAttachmentBytes, encryptedSize, deriveReceiptKeys, deriveUserKeys, encryptBytes, fromB64u, keyIdOf, openKeyBundle, openSealedKey,
  ready, sealKeyBundle, solvePow, toB64u, utf8, verifyPow, generateUserSecrets, rootKeysOf, fingerprintOf, verifyRoster, decryptMessageV2,
  messageHash, NO_PREVIOUS_MESSAGE, type SignedEntry,
} from '../../crypto/index.js';
import { boxPublicKeyOf } from '../../crypto/keys.js';
import { buildVectors, fixedBytes, vectorsPath } from '../vectors/generate.js';

await ready;
const v = JSON.parse(readFileSync(vectorsPath, 'utf8'));

t.test('shape: at least three of each kind, and the edge cases PROTOCOL.md §8 asks for', async (t) => {
  t.equal(v.version, 'sealbox/v1');
  for (const kind of ['receipts', 'aead', 'sealed', 'users', 'attachments', 'pow']) t.ok(v[kind].length >= 3, kind);
  const plains: string[] = v.aead.map((a: { plaintext: string }) => a.plaintext);
  t.ok(plains.includes(''), 'empty plaintext');
  t.ok(plains.some((p) => utf8(p).length === 511), '511-byte plaintext');
  t.ok(plains.some((p) => /[\u0600-\u06ff]/u.test(p)), 'Arabic');
  t.ok(plains.some((p) => /\p{Extended_Pictographic}/u.test(p)), 'emoji');
  t.ok(v.attachments.some((a: { plaintext: string }) => fromB64u(a.plaintext).length > 65536), 'multi-chunk attachment');
});

t.test('receipts', async (t) => {
  for (const r of v.receipts) {
    const k = deriveReceiptKeys(r.code);
    t.equal(toB64u(k.receiptToken), r.receiptToken, r.code);
    t.equal(toB64u(k.reporterPublicKey), r.reporterPublicKey);
    t.equal(toB64u(k.reporterSecretKey), r.reporterSecretKey);
  }
});

t.test('aead objects re-encrypt to the same ciphertext', async (t) => {
  for (const a of v.aead) {
    const adText = a.object === 'report' ? ad.report(a.reportId) : a.object === 'message' ? ad.message(a.reportId, a.author)
      : a.object === 'note' ? ad.note(a.reportId) : ad.attachment(a.reportId, a.attachmentId);
    const sealed = encryptBytes(fromB64u(a.key), adText, utf8(a.plaintext), fromB64u(a.nonce));
    t.equal(sealed.ciphertext, a.ciphertext, `${a.object} ${a.reportId}`);
  }
});

t.test('sealed keys open', async (t) => {
  for (const s of v.sealed) {
    const pair = { publicKey: fromB64u(s.recipientPublicKey), secretKey: fromB64u(s.recipientSecretKey) };
    t.same(boxPublicKeyOf(pair.secretKey), pair.publicKey);
    t.equal(toB64u(openSealedKey(s.sealedKey, pair)), s.key);
  }
});

t.test('users: derivations, key ids and bundles', async (t) => {
  for (const u of v.users) {
    const keys = deriveUserKeys(u.passphrase, { salt: fromB64u(u.salt), opslimit: u.opslimit, memlimit: u.memlimit });
    t.equal(toB64u(keys.authKey), u.authKey, u.username);
    t.equal(toB64u(keys.wrapKey), u.wrapKey);
    const secrets = openKeyBundle(keys.wrapKey, u.username, u.keyBundle);
    t.equal(toB64u(secrets.box.publicKey), u.boxPublicKey);
    t.equal(toB64u(secrets.box.secretKey), u.boxSecretKey);
    t.equal(keyIdOf(secrets.box.publicKey), u.keyId);
    const again = sealKeyBundle(keys.wrapKey, u.username, secrets, fromB64u(u.keyBundle.nonce));
    t.same(again, u.keyBundle, 'bundle is deterministic given its nonce');
  }
});

t.test('attachment streams decrypt', async (t) => {
  for (const a of v.attachments) {
    t.equal(toB64u(await decryptAttachmentBytes(fromB64u(a.key), fromB64u(a.stream))), a.plaintext);
    t.equal(fromB64u(a.stream).length, encryptedSize(fromB64u(a.plaintext).length), 'no empty chunk after a full final one');
  }
});

t.test('proof of work: the nonce is the first that solves', async (t) => {
  for (const p of v.pow) {
    t.ok(verifyPow(fromB64u(p.salt), p.bits, p.nonce));
    t.equal(solvePow(fromB64u(p.salt), p.bits), p.nonce);
  }
});

t.test('rosters: the root from the recovery secret, the unit fingerprint, and every rule (PROTOCOL.md §9)', async (t) => {
  t.ok(v.roster.some((r: { valid: boolean }) => r.valid) && v.roster.some((r: { valid: boolean }) => !r.valid), 'valid and invalid rosters');
  const ops = new Set(v.roster.find((r: { valid: boolean }) => r.valid).entries.map((e: SignedEntry) => e.entry.op));
  t.same([...ops].sort(), ['add', 'rekey', 'remove', 'root'], 'the valid roster has every kind of entry');
  for (const r of v.roster) {
    const root = rootKeysOf(fromB64u(r.recoverySecretKey, 32));
    t.equal(toB64u(root.publicKey), r.rootSignPublicKey);
    t.equal(fingerprintOf(root.publicKey), r.unitFingerprint);
    t.match(r.unitFingerprint, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
    const checked = verifyRoster(r.entries);
    t.equal(checked.ok, r.valid, `${r.valid ? 'valid' : r.reason}: ${checked.ok ? 'accepted' : `refused at ${checked.seq}: ${checked.reason}`}`);
    if (checked.ok) t.same(checked.hashes, r.hashes);
  }
});

t.test('messages version 2 re-encrypt, open, and chain by prev', async (t) => {
  t.ok(v.messagesV2.length >= 3);
  let prev = NO_PREVIOUS_MESSAGE;
  for (const m of v.messagesV2) {
    const key = fromB64u(m.key, 32);
    t.equal(encryptBytes(key, ad.messageV2(m.reportId, m.messageId, m.author), utf8(m.plaintext), fromB64u(m.nonce, 24)).ciphertext, m.ciphertext);
    const opened = decryptMessageV2(key, m.reportId, m.messageId, m.author, m);
    t.equal(opened.prev, prev, 'each names the one before');
    prev = messageHash(m);
  }
});

t.test('the generator reproduces every deterministic value', async (t) => {
  const fresh = await buildVectors();
  t.same(fresh.receipts, v.receipts);
  t.same(fresh.aead, v.aead);
  t.same(fresh.users, v.users);
  t.same(fresh.pow, v.pow);
  t.same(fresh.roster, v.roster, 'Ed25519 signatures are deterministic: the rosters come out the same');
  t.same(fresh.messagesV2, v.messagesV2);
  t.same(fresh.attachments.map((a) => a.plaintext), v.attachments.map((a: { plaintext: string }) => a.plaintext));
  t.equal(fixedBytes('x', 100).length, 100);
  t.ok(generateUserSecrets());
});
