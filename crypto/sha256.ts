// SHA-256 over data that arrives in pieces (a decrypted file, chunk by chunk), for the checksums
// of a case export: the same digest `sha256sum` prints, computed in the browser without holding
// the whole file.
import { s, type StreamState } from './sodium.js';

export class Sha256 {
  private state: StreamState | undefined = s.crypto_hash_sha256_init();

  update(bytes: Uint8Array): this {
    if (!this.state) throw new Error('this SHA-256 is already finished');
    s.crypto_hash_sha256_update(this.state, bytes);
    return this;
  }

  /** The digest as 64 lower-case hex digits; the hasher cannot be used after. */
  hex(): string {
    if (!this.state) throw new Error('this SHA-256 is already finished');
    const digest = s.crypto_hash_sha256_final(this.state);
    this.state = undefined;
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  }
}

/** SHA-256 of bytes held whole, as hex. */
export const sha256Hex = (bytes: Uint8Array): string => new Sha256().update(bytes).hex();
