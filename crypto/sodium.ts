// The whole cryptographic surface of Sealbox: every libsodium function the project uses, and
// nothing else. No other file imports libsodium, so an auditor reads this list and knows the rest.
import sodium, { type StateAddress } from 'libsodium-wrappers-sumo';

/** Resolves once libsodium's WebAssembly is loaded; await it before any other call. */
export const ready: Promise<void> = sodium.ready;

export const s = {
  // encodings
  to_base64: (b: Uint8Array): string => sodium.to_base64(b, sodium.base64_variants.URLSAFE_NO_PADDING),
  from_base64: (t: string): Uint8Array => sodium.from_base64(t, sodium.base64_variants.URLSAFE_NO_PADDING),
  memcmp: (a: Uint8Array, b: Uint8Array): boolean => sodium.memcmp(a, b),
  memzero: (b: Uint8Array): void => sodium.memzero(b),
  // randomness
  // The platform CSPRNG that libsodium.js itself draws from (crypto.getRandomValues, in browsers
  // and in Node), called directly: libsodium.js reaches it through its WebAssembly bridge four
  // bytes at a time, which made random ids a tenth of the server's CPU per submission.
  randombytes_buf: (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    // getRandomValues fills at most 65,536 bytes per call.
    for (let at = 0; at < n; at += 65536) globalThis.crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
    return out;
  },
  randombytes_uniform: (upper: number): number => sodium.randombytes_uniform(upper),
  // padding (ISO/IEC 7816-4)
  pad: (b: Uint8Array, block: number): Uint8Array => sodium.pad(b, block),
  unpad: (b: Uint8Array, block: number): Uint8Array => sodium.unpad(b, block),
  // hashing and key derivation
  crypto_generichash: (n: number, m: Uint8Array): Uint8Array => sodium.crypto_generichash(n, m, null),
  crypto_kdf_derive_from_key: (n: number, id: number, ctx: string, key: Uint8Array): Uint8Array =>
    sodium.crypto_kdf_derive_from_key(n, id, ctx, key),
  crypto_pwhash_argon2id: (n: number, pw: Uint8Array, salt: Uint8Array, ops: number, mem: number): Uint8Array =>
    sodium.crypto_pwhash(n, pw, salt, ops, mem, sodium.crypto_pwhash_ALG_ARGON2ID13),
  // SHA-256, streamed: the checksums of a case export, which `sha256sum` must be able to check
  crypto_hash_sha256_init: (): StateAddress => sodium.crypto_hash_sha256_init(),
  crypto_hash_sha256_update: (state: StateAddress, m: Uint8Array): void => sodium.crypto_hash_sha256_update(state, m),
  crypto_hash_sha256_final: (state: StateAddress): Uint8Array => sodium.crypto_hash_sha256_final(state),
  // AEAD
  crypto_aead_xchacha20poly1305_ietf_keygen: (): Uint8Array => sodium.crypto_aead_xchacha20poly1305_ietf_keygen(),
  crypto_aead_xchacha20poly1305_ietf_encrypt: (m: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array =>
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(m, ad, null, nonce, key),
  crypto_aead_xchacha20poly1305_ietf_decrypt: (c: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array =>
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, ad, nonce, key),
  // public-key boxes and signatures
  crypto_box_keypair: (): { publicKey: Uint8Array; privateKey: Uint8Array } => sodium.crypto_box_keypair(),
  crypto_box_seed_keypair: (seed: Uint8Array): { publicKey: Uint8Array; privateKey: Uint8Array } =>
    sodium.crypto_box_seed_keypair(seed),
  crypto_box_seal: (m: Uint8Array, pk: Uint8Array): Uint8Array => sodium.crypto_box_seal(m, pk),
  crypto_box_seal_open: (c: Uint8Array, pk: Uint8Array, sk: Uint8Array): Uint8Array =>
    sodium.crypto_box_seal_open(c, pk, sk),
  crypto_scalarmult_base: (sk: Uint8Array): Uint8Array => sodium.crypto_scalarmult_base(sk),
  crypto_sign_keypair: (): { publicKey: Uint8Array; privateKey: Uint8Array } => sodium.crypto_sign_keypair(),
  crypto_sign_seed_keypair: (seed: Uint8Array): { publicKey: Uint8Array; privateKey: Uint8Array } =>
    sodium.crypto_sign_seed_keypair(seed),
  crypto_sign_ed25519_sk_to_pk: (sk: Uint8Array): Uint8Array => sodium.crypto_sign_ed25519_sk_to_pk(sk),
  crypto_sign_detached: (m: Uint8Array, sk: Uint8Array): Uint8Array => sodium.crypto_sign_detached(m, sk),
  crypto_sign_verify_detached: (sig: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean => sodium.crypto_sign_verify_detached(sig, m, pk),
  // streams
  crypto_secretstream_xchacha20poly1305_init_push: (key: Uint8Array) =>
    sodium.crypto_secretstream_xchacha20poly1305_init_push(key),
  crypto_secretstream_xchacha20poly1305_push: (state: StateAddress, m: Uint8Array, tag: number): Uint8Array =>
    sodium.crypto_secretstream_xchacha20poly1305_push(state, m, null, tag),
  crypto_secretstream_xchacha20poly1305_init_pull: (header: Uint8Array, key: Uint8Array): StateAddress =>
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key),
  crypto_secretstream_xchacha20poly1305_pull: (state: StateAddress, c: Uint8Array) =>
    sodium.crypto_secretstream_xchacha20poly1305_pull(state, c, null),
  get TAG_MESSAGE(): number {
    return sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  },
  get TAG_FINAL(): number {
    return sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  },
} as const;

export type StreamState = StateAddress;
