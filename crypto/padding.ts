// ISO/IEC 7816-4 padding to power-of-two buckets (PROTOCOL.md §0): the server learns the bucket only.
import { SealboxCryptoError } from './errors.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';

/** B = max(512, smallest power of two ≥ len + 1): the +1 leaves room for the 0x80 marker. */
export function bucketFor(length: number): number {
  let size = PARAMS.minBucket;
  while (size < length + 1) size *= 2;
  return size;
}

/** True when `n` is a bucket size some plaintext pads to (a power of two, at least 512). */
export function isBucket(n: number): boolean {
  return Number.isSafeInteger(n) && n >= PARAMS.minBucket && (n & (n - 1)) === 0;
}

export function pad(plain: Uint8Array): Uint8Array {
  return s.pad(plain, bucketFor(plain.length));
}

/** Removes the padding; the buffer's own length must be a bucket, so a truncated one fails. */
export function unpad(padded: Uint8Array): Uint8Array {
  if (!isBucket(padded.length)) {
    throw new SealboxCryptoError('SBX_BAD_PADDING', 'padded plaintext is not a bucket size');
  }
  try {
    return s.unpad(padded, padded.length);
  } catch {
    throw new SealboxCryptoError('SBX_BAD_PADDING', 'padding is invalid');
  }
}
