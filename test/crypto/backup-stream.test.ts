// Encrypted backups: round trips of several sizes, a wrong passphrase told apart before any byte
// is yielded, and a flipped, cut or forged file refused.
import t, { type Test } from 'tap';
import { BACKUP_HEADER_BYTES, BACKUP_MAGIC, decryptBackup, encryptBackup, isEncryptedBackup } from '../../crypto/backup-stream.js';
import { concatBytes, PARAMS, randomBytes, ready } from '../../crypto/index.js';

await ready;
const PASS = 'correct horse battery staple ✓';

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return concatBytes(...parts);
}

/** Feeds bytes in awkward pieces, as a file stream would. */
function* pieces(bytes: Uint8Array, size = 7000): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

// Three chunks and a bit; one Argon2id run per encryption and per decryption, so kept few.
const archive = randomBytes(PARAMS.chunkSize * 3 + 1234);
const sealed = await collect(encryptBackup(PASS, pieces(archive)));

t.test('layout and round trip', async (t) => {
  t.ok(isEncryptedBackup(sealed));
  t.same(sealed.subarray(0, BACKUP_MAGIC.length), BACKUP_MAGIC);
  t.equal(new TextDecoder().decode(BACKUP_MAGIC), 'sealbox-backup-encrypted/1\n');
  const view = new DataView(sealed.buffer, sealed.byteOffset + BACKUP_MAGIC.length + PARAMS.saltBytes, 8);
  t.same([view.getUint32(0), view.getUint32(4)], [PARAMS.opslimit, PARAMS.memlimit], 'Argon2id cost in the header');
  const chunks = 4;
  t.equal(sealed.length, BACKUP_HEADER_BYTES + PARAMS.streamHeaderBytes + archive.length + chunks * PARAMS.streamChunkOverhead);
  t.same(await collect(decryptBackup(PASS, pieces(sealed, 65_000))), archive);
  t.same(await collect(decryptBackup(PASS, [sealed])), archive, 'in one piece');
  const empty = await collect(encryptBackup(PASS, []));
  t.same(await collect(decryptBackup(PASS, [empty])), new Uint8Array(0), 'an empty archive');
  t.notOk(isEncryptedBackup(BACKUP_MAGIC.subarray(0, 10)));
  t.notOk(isEncryptedBackup(new Uint8Array(64)));
});

async function refused(t: Test, bytes: Uint8Array, code: string, message: RegExp, passphrase = PASS) {
  let yielded = 0;
  await t.rejects(async () => {
    for await (const _ of decryptBackup(passphrase, pieces(bytes))) yielded++;
  }, { name: 'SealboxCryptoError', code, message });
  return yielded;
}

t.test('a wrong passphrase is named before anything is yielded', async (t) => {
  t.equal(await refused(t, sealed, 'SBX_DECRYPT_FAILED', /^wrong passphrase for this backup$/, 'correct horse battery staple ✗'), 0);
});

t.test('damage and forgery', async (t) => {
  const flipped = Uint8Array.from(sealed);
  flipped[BACKUP_HEADER_BYTES + PARAMS.streamHeaderBytes + 70_000]! ^= 1;
  t.equal(await refused(t, flipped, 'SBX_DECRYPT_FAILED', /failed authentication/), 1, 'the chunk before it was good; the damaged one is never yielded');
  const cut = sealed.subarray(0, sealed.length - (1234 + PARAMS.streamChunkOverhead));
  await refused(t, cut, 'SBX_STREAM_TRUNCATED', /ends before its final chunk/);
  await refused(t, sealed.subarray(0, 40), 'SBX_STREAM_TRUNCATED', /ends inside its header/);
  await refused(t, new Uint8Array(200), 'SBX_STREAM_INVALID', /not an encrypted Sealbox backup/);
  await refused(t, new Uint8Array(0), 'SBX_STREAM_INVALID', /not an encrypted Sealbox backup/);
  for (const [ops, mem] of [[0, PARAMS.memlimit], [PARAMS.opslimit * 17, PARAMS.memlimit], [PARAMS.opslimit, 1024], [PARAMS.opslimit, 0xffffffff]]) {
    const forged = Uint8Array.from(sealed);
    const view = new DataView(forged.buffer, BACKUP_MAGIC.length + PARAMS.saltBytes, 8);
    view.setUint32(0, ops!);
    view.setUint32(4, mem!);
    await refused(t, forged, 'SBX_STREAM_INVALID', /key derivation parameters out of range/);
  }
});
