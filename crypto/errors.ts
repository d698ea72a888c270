// Typed errors of the protocol layer. Messages never contain key material or plaintext.

export type CryptoErrorCode =
  | 'SBX_BAD_ENCODING' // not base64url, or not canonical
  | 'SBX_BAD_LENGTH' // a value of the wrong length
  | 'SBX_DECRYPT_FAILED' // authentication failed: tampered, wrong key or wrong AD
  | 'SBX_BAD_PADDING' // decrypted, but the padding or the bucket is wrong
  | 'SBX_BAD_PLAINTEXT' // decrypted, but not the JSON object the protocol defines
  | 'SBX_STREAM_TRUNCATED' // a stream ended before its final chunk
  | 'SBX_STREAM_INVALID'; // data after the final chunk, a bad tag, or a bad chunk size

export class SealboxCryptoError extends Error {
  readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'SealboxCryptoError';
    this.code = code;
  }
}

export type ReceiptErrorReason = 'length' | 'character' | 'check';

/** What a person typed is not a receipt code; `reason` says which rule it breaks. */
export class ReceiptCodeError extends Error {
  readonly reason: ReceiptErrorReason;
  /** For `character`: the first offending character and its 1-based position in the typed text. */
  readonly character?: string;
  readonly position?: number;
  /** For `length`: how many symbols were typed (after dropping spaces and dashes). */
  readonly length?: number;
  constructor(reason: ReceiptErrorReason, message: string, extra: { character?: string; position?: number; length?: number } = {}) {
    super(message);
    this.name = 'ReceiptCodeError';
    this.reason = reason;
    Object.assign(this, extra);
  }
}
