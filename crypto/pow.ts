// Proof of work (PROTOCOL.md §4): spam costs CPU time instead of an IP address.
import { checkLength, utf8 } from './encoding.js';
import { SealboxCryptoError } from './errors.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';

const LABEL = utf8(`${PARAMS.prefix}pow/`);
const MAX_NONCE = Number.MAX_SAFE_INTEGER;

function input(salt: Uint8Array): { buf: Uint8Array; view: DataView } {
  const buf = new Uint8Array(LABEL.length + 16 + 8);
  buf.set(LABEL, 0);
  buf.set(checkLength(salt, 16, 'proof-of-work salt'), LABEL.length);
  return { buf, view: new DataView(buf.buffer) };
}

/** True when the hash starts with `bits` zero bits (most significant bit of byte 0 first). */
export function hasLeadingZeroBits(hash: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if (hash[i] !== 0) return false;
  const rest = bits & 7;
  return rest === 0 || hash[full]! >> (8 - rest) === 0;
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 64) {
    throw new SealboxCryptoError('SBX_BAD_LENGTH', 'proof-of-work bits must be an integer from 0 to 64');
  }
}

export function verifyPow(salt: Uint8Array, bits: number, nonce: number): boolean {
  checkBits(bits);
  if (!Number.isSafeInteger(nonce) || nonce < 0) return false;
  const { buf, view } = input(salt);
  view.setBigUint64(LABEL.length + 16, BigInt(nonce), true);
  return hasLeadingZeroBits(s.crypto_generichash(32, buf), bits);
}

export interface SolveOptions {
  /** Called every `every` attempts with the number tried so far (for a progress indication). */
  onProgress?: (tried: number) => void;
  every?: number;
}

/** Counts the nonce up from 0 until the hash has `bits` leading zero bits. */
export function solvePow(salt: Uint8Array, bits: number, options: SolveOptions = {}): number {
  checkBits(bits);
  const { buf, view } = input(salt);
  const at = LABEL.length + 16;
  const every = options.every ?? 4096;
  for (let nonce = 0; nonce <= MAX_NONCE; nonce++) {
    // Two 32-bit writes are several times faster than a BigInt per attempt.
    view.setUint32(at, nonce >>> 0, true);
    view.setUint32(at + 4, Math.floor(nonce / 0x100000000), true);
    if (hasLeadingZeroBits(s.crypto_generichash(32, buf), bits)) return nonce;
    if (options.onProgress && nonce % every === every - 1) options.onProgress(nonce + 1);
  }
  /* c8 ignore next */
  throw new SealboxCryptoError('SBX_BAD_LENGTH', 'no proof-of-work nonce found');
}
