import t from 'tap';
import { bucketFor, isBucket, pad, ready, SealboxCryptoError, unpad } from '../../crypto/index.js';

await ready;

t.test('bucket sizes', async (t) => {
  const table: [number, number][] = [[0, 512], [1, 512], [510, 512], [511, 512], [512, 1024], [1023, 1024], [1024, 2048], [4096, 8192], [100_000, 131072]];
  for (const [len, bucket] of table) t.equal(bucketFor(len), bucket, `${len} → ${bucket}`);
  t.ok(isBucket(512));
  t.ok(isBucket(1 << 20));
  t.notOk(isBucket(256), 'below the minimum');
  t.notOk(isBucket(768), 'not a power of two');
  t.notOk(isBucket(1.5));
});

t.test('pad and unpad round trip at every boundary', async (t) => {
  for (const len of [0, 1, 511, 512, 513, 1023, 1024, 3000]) {
    const plain = new Uint8Array(len).fill(0x41);
    const padded = pad(plain);
    t.equal(padded.length, bucketFor(len));
    t.equal(padded[len], 0x80, 'ISO/IEC 7816-4 marker');
    t.ok(padded.subarray(len + 1).every((b) => b === 0));
    t.same(unpad(padded), plain);
  }
  // Trailing zero bytes in the plaintext survive (the marker, not the zeros, ends the data).
  const zeros = new Uint8Array([1, 0, 0]);
  t.same(unpad(pad(zeros)), zeros);
});

t.test('bad padding is refused', async (t) => {
  t.throws(() => unpad(new Uint8Array(512)), { code: 'SBX_BAD_PADDING' }, 'no marker');
  t.throws(() => unpad(new Uint8Array(300)), { code: 'SBX_BAD_PADDING' }, 'not a bucket');
  const bad = pad(new Uint8Array(10));
  bad[511] = 1;
  t.throws(() => unpad(bad), SealboxCryptoError, 'garbage after marker');
});
