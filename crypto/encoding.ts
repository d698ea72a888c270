// Byte encodings of the wire format: base64url without padding, UTF-8, little-endian integers.
import { SealboxCryptoError } from './errors.js';
import { s } from './sodium.js';

const B64U = /^[A-Za-z0-9_-]*$/;

/**
 * Node's Buffer encodes base64url natively, many times faster than a round trip through
 * WebAssembly; the browser has no Buffer and uses libsodium. Both write the same text.
 */
const NodeBuffer = (globalThis as { Buffer?: typeof import('node:buffer').Buffer }).Buffer;

export const toB64u = (bytes: Uint8Array): string =>
  NodeBuffer ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url') : s.to_base64(bytes);

function decodeB64u(text: string): Uint8Array {
  return NodeBuffer ? new Uint8Array(NodeBuffer.from(text, 'base64url')) : s.from_base64(text);
}

/**
 * Decodes base64url without padding. Rejects other alphabets, padding, and non-canonical
 * encodings (trailing bits set), so every value has exactly one spelling on the wire.
 * With `length`, also rejects a value that does not decode to exactly that many bytes.
 */
export function fromB64u(text: string, length?: number, what = 'value'): Uint8Array {
  if (typeof text !== 'string' || !B64U.test(text) || text.length % 4 === 1) {
    throw new SealboxCryptoError('SBX_BAD_ENCODING', `${what} must be base64url without padding`);
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeB64u(text);
  } catch {
    throw new SealboxCryptoError('SBX_BAD_ENCODING', `${what} must be base64url without padding`);
  }
  // Re-encoding catches trailing bits a lenient decoder ignores.
  if (toB64u(bytes) !== text) {
    throw new SealboxCryptoError('SBX_BAD_ENCODING', `${what} is not canonical base64url`);
  }
  if (length !== undefined && bytes.length !== length) {
    throw new SealboxCryptoError('SBX_BAD_LENGTH', `${what} must be ${length} bytes`);
  }
  return bytes;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** Strict UTF-8 decoding: invalid sequences are an error, not U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'plaintext is not valid UTF-8');
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Throws unless `bytes` is a Uint8Array of exactly `length` bytes. */
export function checkLength(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new SealboxCryptoError('SBX_BAD_LENGTH', `${what} must be ${length} bytes`);
  }
  return bytes;
}

export const randomBytes = (n: number): Uint8Array => s.randombytes_buf(n);
