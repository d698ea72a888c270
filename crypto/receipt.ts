// Receipt codes (PROTOCOL.md §1): the reporter's only secret, and what is derived from it.
import { toB64u, utf8 } from './encoding.js';
import { ReceiptCodeError } from './errors.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';

const ALPHABET = PARAMS.receiptAlphabet;

/** The check symbol over the first 24 symbols: catches every single-symbol typo but 1 in 32. */
export function checkSymbol(first24: string): string {
  return ALPHABET[s.crypto_generichash(16, utf8(first24))[0]! & 31]!;
}

/** A new canonical code: 24 uniform symbols (120 bits) and the check symbol. */
export function generateReceiptCode(): string {
  let body = '';
  for (let i = 0; i < PARAMS.receiptRandomSymbols; i++) body += ALPHABET[s.randombytes_uniform(32)];
  return body + checkSymbol(body);
}

/** `7K2QM-XW9PD-3HF8N-R6TZA-Q8HN4`: five groups of five for reading aloud or copying by hand. */
export function formatReceiptCode(canonical: string): string {
  return canonical.match(new RegExp(`.{1,${PARAMS.receiptGroup}}`, 'g'))!.join('-');
}

/**
 * Turns what a person typed into the canonical 25 symbols, or throws a ReceiptCodeError saying
 * which rule it breaks, so the page can tell a typo from an unknown report.
 * Upper-cases; drops spaces (any white space) and dashes; reads O as 0 and I, L as 1.
 */
export function normaliseReceiptCode(typed: string): string {
  let code = '';
  let position = 0;
  for (const ch of typed) {
    position++;
    if (/\s/u.test(ch) || ch === '-') continue;
    const up = ch.toUpperCase();
    const mapped = up === 'O' ? '0' : up === 'I' || up === 'L' ? '1' : up;
    if (!ALPHABET.includes(mapped) || mapped.length !== 1) {
      throw new ReceiptCodeError('character', `"${ch}" (position ${position}) is not a receipt code character`, {
        character: ch,
        position,
      });
    }
    code += mapped;
  }
  if (code.length !== PARAMS.receiptSymbols) {
    throw new ReceiptCodeError('length', `a receipt code has ${PARAMS.receiptSymbols} characters; this one has ${code.length}`, {
      length: code.length,
    });
  }
  if (checkSymbol(code.slice(0, PARAMS.receiptRandomSymbols)) !== code[PARAMS.receiptRandomSymbols]) {
    throw new ReceiptCodeError('check', 'the receipt code has a typo: its check character does not match');
  }
  return code;
}

export interface ReceiptKeys {
  /** 32 bytes; sent as `Authorization: Receipt <b64u>`; the server finds the report by its HMAC. */
  receiptToken: Uint8Array;
  /** X25519 key pair; the report key and the unit's replies are sealed to the public key. */
  reporterPublicKey: Uint8Array;
  reporterSecretKey: Uint8Array;
}

/** Derives the token and the reporter's key pair from a receipt (typed or canonical). */
export function deriveReceiptKeys(code: string): ReceiptKeys {
  const canonical = normaliseReceiptCode(code);
  const root = s.crypto_generichash(32, utf8(`${PARAMS.prefix}receipt/${canonical}`));
  const receiptToken = s.crypto_kdf_derive_from_key(32, 1, PARAMS.receiptKdfContext, root);
  const seed = s.crypto_kdf_derive_from_key(32, 2, PARAMS.receiptKdfContext, root);
  const pair = s.crypto_box_seed_keypair(seed);
  s.memzero(root);
  s.memzero(seed);
  return { receiptToken, reporterPublicKey: pair.publicKey, reporterSecretKey: pair.privateKey };
}

export const receiptTokenHeader = (token: Uint8Array): string => `Receipt ${toB64u(token)}`;
