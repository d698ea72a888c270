import t from 'tap';
import {
  boxPublicKeyOf, deriveUserKeys, formatRecoverySecret, fromB64u, generateBoxKeyPair, generateRecoveryKeyPair, generateReportKey,
  generateUserSecrets, keyIdOf, newKdfParams, openKeyBundle, openSealedKey, parseRecoverySecret, PARAMS, ready, ReceiptCodeError,
  sealKey, sealKeyBundle, toB64u,
} from '../../crypto/index.js';

await ready;

t.test('sealed keys open only for their recipient', async (t) => {
  const alice = generateBoxKeyPair();
  const bob = generateBoxKeyPair();
  const k = generateReportKey();
  const sealed = sealKey(k, alice.publicKey);
  t.equal(fromB64u(sealed).length, 80);
  t.same(openSealedKey(sealed, alice), k);
  t.throws(() => openSealedKey(sealed, bob), { code: 'SBX_DECRYPT_FAILED' });
  for (const i of [0, 31, 32, 47, 79]) {
    const bytes = fromB64u(sealed);
    bytes[i]! ^= 0x80;
    t.throws(() => openSealedKey(toB64u(bytes), alice), { code: 'SBX_DECRYPT_FAILED' }, `flipped byte ${i}`);
  }
  t.throws(() => openSealedKey(toB64u(new Uint8Array(79)), alice), { code: 'SBX_BAD_LENGTH' });
  t.throws(() => sealKey(new Uint8Array(16), alice.publicKey), { code: 'SBX_BAD_LENGTH' });
  t.throws(() => sealKey(k, new Uint8Array(31)), { code: 'SBX_BAD_LENGTH' });
  t.throws(() => openSealedKey(sealed, { publicKey: alice.publicKey, secretKey: new Uint8Array(5) }), { code: 'SBX_BAD_LENGTH' });
});

t.test('key ids', async (t) => {
  const pair = generateBoxKeyPair();
  const id = keyIdOf(pair.publicKey);
  t.equal(fromB64u(id).length, 16);
  t.equal(keyIdOf(pair.publicKey), id, 'stable');
  t.not(keyIdOf(generateBoxKeyPair().publicKey), id);
  t.same(boxPublicKeyOf(pair.secretKey), pair.publicKey);
  t.throws(() => keyIdOf(new Uint8Array(3)), { code: 'SBX_BAD_LENGTH' });
});

t.test('user keys and key bundle', async (t) => {
  const params = newKdfParams();
  t.equal(params.opslimit, PARAMS.opslimit);
  t.equal(params.memlimit, 64 * 1024 * 1024);
  const keys = deriveUserKeys('a long passphrase for testing', params);
  t.equal(keys.authKey.length, 32);
  t.not(toB64u(keys.authKey), toB64u(keys.wrapKey));
  t.same(deriveUserKeys('a long passphrase for testing', params), keys, 'deterministic');
  const secrets = generateUserSecrets();
  const bundle = sealKeyBundle(keys.wrapKey, 'amina', secrets);
  const opened = openKeyBundle(keys.wrapKey, 'amina', bundle);
  t.same(opened, secrets);
  t.throws(() => openKeyBundle(keys.wrapKey, 'someone-else', bundle), { code: 'SBX_DECRYPT_FAILED' }, 'bundle bound to username');
  const wrong = deriveUserKeys('a long passphrase for testinG', params);
  t.throws(() => openKeyBundle(wrong.wrapKey, 'amina', bundle), { code: 'SBX_DECRYPT_FAILED' }, 'wrong passphrase');
  t.throws(() => deriveUserKeys('x', { ...params, memlimit: 8 * 1024 * 1024 }), /below the protocol minimum/, 'downgrade refused');
  t.throws(() => deriveUserKeys('x', { ...params, opslimit: 1 }), /below the protocol minimum/);
  t.throws(() => deriveUserKeys('x', { ...params, salt: new Uint8Array(8) }), { code: 'SBX_BAD_LENGTH' });
  t.throws(() => generateUserSecrets({ box: new Uint8Array(3), sign: new Uint8Array(32) }), { code: 'SBX_BAD_LENGTH' });
});

t.test('recovery secret round trip and typo rules', async (t) => {
  const pair = generateRecoveryKeyPair();
  const text = formatRecoverySecret(pair.secretKey);
  t.match(text, /^([0-9A-Z]{5}-){10}[0-9A-Z]{3}$/);
  t.same(parseRecoverySecret(text), pair);
  t.same(parseRecoverySecret(text.toLowerCase().replace(/-/g, ' ')), pair);
  const err = (s: string) => {
    try {
      parseRecoverySecret(s);
    } catch (e) {
      return (e as ReceiptCodeError).reason;
    }
    return 'accepted';
  };
  t.equal(err(text.slice(0, -1)), 'length');
  t.equal(err(`${text.slice(0, -1)}U`), 'character');
  const last = text.at(-1) === '0' ? '1' : '0';
  t.equal(err(text.slice(0, -1) + last), 'check');
});
