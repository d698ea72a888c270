// Streamed SHA-256: the FIPS 180-2 vectors, the same digest as Node's whatever the pieces, and no
// use after the digest is taken.
import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import { ready, Sha256, sha256Hex, utf8 } from '../../crypto/index.js';

await ready;

t.test('known answers', async (t) => {
  t.equal(sha256Hex(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  t.equal(sha256Hex(utf8('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  t.equal(sha256Hex(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

t.test('pieces of any size give the digest of the whole', async (t) => {
  const data = randomBytes(200_003);
  const expected = createHash('sha256').update(data).digest('hex');
  for (const size of [1, 17, 65_536, 65_553, 200_003]) {
    const h = new Sha256();
    for (let i = 0; i < data.length; i += size) h.update(data.subarray(i, i + size));
    t.equal(h.hex(), expected, `pieces of ${size}`);
  }
  const done = new Sha256();
  done.hex();
  t.throws(() => done.update(data), /already finished/);
  t.throws(() => done.hex(), /already finished/);
});
