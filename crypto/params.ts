// Every constant of protocol v1 in one frozen object, each with the reason for its value.
export const PARAMS = Object.freeze({
  /** Prefix of every associated-data string and domain-separation label: binds bytes to v1. */
  prefix: 'sealbox/v1/',
  /** Crockford base32 without I, L, O, U: nothing a person can misread for something else. */
  receiptAlphabet: '0123456789ABCDEFGHJKMNPQRSTVWXYZ',
  /** 24 random symbols × 5 bits = 120 bits: unguessable even with a fast online oracle. */
  receiptRandomSymbols: 24,
  /** Plus one check symbol, so that a typo is told apart from an unknown report. */
  receiptSymbols: 25,
  /** Five groups of five are what a person can copy by hand without losing their place. */
  receiptGroup: 5,
  /** crypto_kdf contexts are exactly 8 bytes. */
  receiptKdfContext: 'sbxrcpt1',
  userKdfContext: 'sbxuser1',
  /** 32-byte keys everywhere: XChaCha20 and X25519 both want 256 bits. */
  keyBytes: 32,
  /** XChaCha20's 192-bit nonce is safe to draw at random for every object. */
  nonceBytes: 24,
  /** Poly1305 tag. */
  tagBytes: 16,
  /** crypto_box_seal output: ephemeral public key (32) + MAC (16) + the 32-byte key. */
  sealedKeyBytes: 80,
  /** Report and attachment ids: 128 random bits, no collisions, nothing to enumerate. */
  idBytes: 16,
  /** Key ids: a 128-bit BLAKE2b of the public key is collision-free for any real instance. */
  keyIdBytes: 16,
  /** The smallest padding bucket: a short report and a long sentence look the same. */
  minBucket: 512,
  /** Argon2id defaults: 3 passes over 64 MiB is what libsodium calls MODERATE-ish and a phone can do. */
  opslimit: 3,
  memlimit: 67108864,
  saltBytes: 16,
  /** Attachments are encrypted 64 KiB at a time so no side ever holds a whole file. */
  chunkSize: 65536,
  /** secretstream header and per-chunk overhead (tag byte + MAC). */
  streamHeaderBytes: 24,
  streamChunkOverhead: 17,
  /** Proof-of-work default: 2^18 hashes ≈ a second or two on a phone, far too slow for spam. */
  powBits: 18,
});
