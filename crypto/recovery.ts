// The instance recovery key: an X25519 pair whose secret is written down once, offline.
import { base32Encode } from './base32.js';
import { utf8 } from './encoding.js';
import { ReceiptCodeError } from './errors.js';
import { boxPublicKeyOf, generateBoxKeyPair, type BoxKeyPair } from './keys.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';

const ALPHABET = PARAMS.receiptAlphabet;
/** 32 bytes = 256 bits = 52 symbols of 5 bits (the last carries 4 bits and a zero bit). */
const DATA_SYMBOLS = 52;

function checkSymbol(data: string): string {
  return ALPHABET[s.crypto_generichash(16, utf8(`${PARAMS.prefix}recovery/${data}`))[0]! & 31]!;
}

const toBase32 = (bytes: Uint8Array): string => base32Encode(bytes, ALPHABET);

function fromBase32(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (const ch of text) {
    acc = (acc << 5) | ALPHABET.indexOf(ch);
    n += 5;
    if (n >= 8) {
      out.push((acc >> (n - 8)) & 255);
      n -= 8;
    }
    acc &= (1 << n) - 1;
  }
  return Uint8Array.from(out);
}

export const generateRecoveryKeyPair = (): BoxKeyPair => generateBoxKeyPair();

/** The secret as 52 Crockford symbols + 1 check symbol, in groups of five. */
export function formatRecoverySecret(secretKey: Uint8Array): string {
  const data = toBase32(secretKey);
  return (data + checkSymbol(data)).match(/.{1,5}/g)!.join('-');
}

/** Reads a typed recovery secret back (same typo rules as a receipt code) into the key pair. */
export function parseRecoverySecret(typed: string): BoxKeyPair {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) throw new ReceiptCodeError('character', `"${bad}" is not a recovery key character`, { character: bad });
  if (code.length !== DATA_SYMBOLS + 1) {
    throw new ReceiptCodeError('length', `a recovery key has ${DATA_SYMBOLS + 1} characters; this one has ${code.length}`, { length: code.length });
  }
  const data = code.slice(0, DATA_SYMBOLS);
  if (checkSymbol(data) !== code[DATA_SYMBOLS]) throw new ReceiptCodeError('check', 'the recovery key has a typo');
  const secretKey = fromBase32(data);
  return { publicKey: boxPublicKeyOf(secretKey), secretKey };
}
