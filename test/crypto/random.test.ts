import t from 'tap';
import { newId, randomBytes, ready } from '../../crypto/index.js';

await ready;

t.test('randomBytes gives the length asked for, past the 65,536-byte limit of one getRandomValues call', async (t) => {
  for (const n of [0, 1, 16, 65535, 65536, 65537, 200_000]) {
    t.equal(randomBytes(n).length, n, `${n} bytes`);
  }
  const big = randomBytes(3 * 65536 + 5);
  // Every 64 KiB piece is filled: no piece is left as zeros.
  for (let at = 0; at < big.length; at += 65536) {
    const piece = big.subarray(at, at + 65536);
    t.ok(piece.some((b) => b !== 0), `piece at ${at} is filled`);
  }
});

t.test('two draws differ, and ids are 16 random bytes in base64url', async (t) => {
  t.not(Buffer.from(randomBytes(32)).toString('hex'), Buffer.from(randomBytes(32)).toString('hex'));
  const ids = new Set(Array.from({ length: 1000 }, newId));
  t.equal(ids.size, 1000);
  for (const id of ids) t.match(id, /^[A-Za-z0-9_-]{22}$/);
});
