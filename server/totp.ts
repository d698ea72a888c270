// TOTP (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step, 20-byte secret) through otplib.
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

const PERIOD = 30;

export const newTotpSecret = (): string => generateSecret({ length: 20 });

export const totpUri = (username: string, secret: string, issuer = 'Sealbox'): string =>
  generateURI({ issuer, label: username, secret });

/** The code for `at` (tests, and the CLI's self-check). */
export const totpCode = (secret: string, at: Date): string => generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });

/**
 * The time step a code matches within ±1 step of `at`, or undefined. Steps at or before
 * `lastStep` are refused: a code is accepted once (replay protection).
 */
export function verifyTotp(secret: string, code: string, at: Date, lastStep: number | null): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(at.getTime() / 1000),
    epochTolerance: PERIOD,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid ? (result as { timeStep: number }).timeStep : undefined;
}

/** True for a base32 secret of 20 bytes (32 symbols), the only kind this service issues or accepts. */
export const isTotpSecret = (secret: string): boolean => /^[A-Z2-7]{32}$/.test(secret);
