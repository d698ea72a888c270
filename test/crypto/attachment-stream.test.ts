import t from 'tap';
import {
  AttachmentDecryptor, AttachmentEncryptor, concatBytes, decryptAttachment, decryptAttachmentBytes, encryptAttachment,
  encryptAttachmentBytes, encryptedSize, generateReportKey, PARAMS, plainSizeOf, randomBytes, ready,
} from '../../crypto/index.js';

await ready;
const CHUNK = PARAMS.chunkSize;
const key = generateReportKey();

t.test('round trip at chunk boundaries', async (t) => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17]) {
    const plain = randomBytes(size);
    const stream = await encryptAttachmentBytes(key, plain);
    t.equal(stream.length, encryptedSize(size), `size formula for ${size}`);
    t.equal(plainSizeOf(stream.length), size, `inverse formula for ${size}`);
    t.same(await decryptAttachmentBytes(key, stream), plain, `${size} bytes`);
  }
  t.equal(plainSizeOf(10), undefined, 'too short for a stream');
  t.equal(plainSizeOf(24 + 17 + CHUNK + 1), undefined, 'a full chunk then a 1-byte remainder that cannot hold a MAC');
});

t.test('streams from arbitrary piece sizes, holds one chunk of lookahead', async (t) => {
  const plain = randomBytes(5 * CHUNK + 123);
  async function* pieces(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < plain.length; at += 10_007) yield plain.subarray(at, at + 10_007);
  }
  const out: Uint8Array[] = [];
  for await (const c of encryptAttachment(key, pieces())) out.push(c);
  t.equal(out.length, 1 + 6, 'header then six chunks');
  t.ok(out.slice(1, -1).every((c) => c.length === CHUNK + 17));
  const stream = concatBytes(...out);
  async function* cipherPieces(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < stream.length; at += 999) yield stream.subarray(at, at + 999);
  }
  const back: Uint8Array[] = [];
  for await (const c of decryptAttachment(key, cipherPieces())) back.push(c);
  t.same(concatBytes(...back), plain);
});

t.test('truncated, reordered, altered or extended streams fail', async (t) => {
  const plain = randomBytes(3 * CHUNK + 10);
  const stream = await encryptAttachmentBytes(key, plain);
  const C = CHUNK + 17;
  const header = stream.subarray(0, 24);
  const chunks = [0, 1, 2, 3].map((i) => stream.subarray(24 + i * C, 24 + (i + 1) * C));
  const drain = async (bytes: Uint8Array, k = key) => {
    for await (const _ of decryptAttachment(k, [bytes])) void _;
  };
  await t.rejects(drain(concatBytes(header, chunks[0]!, chunks[1]!, chunks[2]!)), { code: 'SBX_STREAM_TRUNCATED' }, 'final chunk missing');
  await t.rejects(drain(concatBytes(header, chunks[1]!, chunks[0]!, chunks[2]!, chunks[3]!)), { code: 'SBX_DECRYPT_FAILED' }, 'reordered');
  await t.rejects(drain(concatBytes(header, chunks[0]!, chunks[0]!, chunks[2]!, chunks[3]!)), { code: 'SBX_DECRYPT_FAILED' }, 'replayed chunk');
  await t.rejects(drain(concatBytes(stream, chunks[3]!)), { code: 'SBX_DECRYPT_FAILED' }, 'data glued to a short final chunk');
  const whole = await encryptAttachmentBytes(key, randomBytes(2 * CHUNK));
  await t.rejects(drain(concatBytes(whole, chunks[3]!)), { code: 'SBX_STREAM_INVALID' }, 'data after a full final chunk');
  await t.rejects(drain(stream.subarray(0, 10)), { code: 'SBX_STREAM_TRUNCATED' }, 'no header');
  await t.rejects(drain(new Uint8Array(0)), { code: 'SBX_STREAM_TRUNCATED' }, 'empty');
  await t.rejects(drain(stream.subarray(0, 24)), { code: 'SBX_STREAM_TRUNCATED' }, 'header only');
  await t.rejects(drain(stream, generateReportKey()), { code: 'SBX_DECRYPT_FAILED' }, 'wrong key');
  for (const at of [0, 23, 24, 24 + C - 1, stream.length - 1]) {
    const bad = Uint8Array.from(stream);
    bad[at]! ^= 1;
    await t.rejects(drain(bad), { code: /SBX_DECRYPT_FAILED|SBX_STREAM_INVALID/ }, `flipped byte ${at}`);
  }
  await t.rejects(drain(concatBytes(header, chunks[0]!.subarray(0, 100))), { code: 'SBX_DECRYPT_FAILED' }, 'cut chunk');
});

t.test('low-level encryptor and decryptor enforce the chunk rules', async (t) => {
  const enc = new AttachmentEncryptor(key);
  t.throws(() => enc.push(new Uint8Array(10), false), { code: 'SBX_STREAM_INVALID' }, 'short non-final chunk');
  t.throws(() => enc.push(new Uint8Array(CHUNK + 1), true), { code: 'SBX_STREAM_INVALID' }, 'oversized final chunk');
  const short = enc.push(new Uint8Array(5), true);
  t.throws(() => enc.push(new Uint8Array(5), true), { code: 'SBX_STREAM_INVALID' }, 'push after final');
  const dec = new AttachmentDecryptor(key, enc.header);
  t.throws(() => dec.pull(new Uint8Array(5)), { code: 'SBX_STREAM_INVALID' }, 'impossible chunk size');
  t.notOk(dec.isFinished);
  t.same(dec.pull(short), new Uint8Array(5));
  t.ok(dec.isFinished);
  t.throws(() => dec.pull(short), { code: 'SBX_STREAM_INVALID' });
  t.throws(() => new AttachmentDecryptor(key, new Uint8Array(10)), { code: 'SBX_BAD_LENGTH' });
  t.throws(() => new AttachmentEncryptor(new Uint8Array(10)), { code: 'SBX_BAD_LENGTH' });
  // A short chunk that is not tagged final is refused even though it authenticates.
  const enc2 = new AttachmentEncryptor(key);
  const full = enc2.push(new Uint8Array(CHUNK), false);
  const dec2 = new AttachmentDecryptor(key, enc2.header);
  t.equal(dec2.pull(full).length, CHUNK);
  t.throws(() => dec2.finish(), { code: 'SBX_STREAM_TRUNCATED' });
});
