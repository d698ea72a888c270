// Base32 encoding in any 32-symbol alphabet: five bits a symbol, most significant first, no
// padding. Without dependencies, so that the console page can use it without libsodium.

/** RFC 4648's alphabet, which authenticator apps expect for TOTP secrets. */
export const RFC4648_BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array, alphabet: string): string {
  let out = '';
  let acc = 0;
  let n = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    n += 8;
    while (n >= 5) {
      out += alphabet[(acc >> (n - 5)) & 31];
      n -= 5;
    }
    acc &= (1 << n) - 1;
  }
  if (n > 0) out += alphabet[(acc << (5 - n)) & 31];
  return out;
}
