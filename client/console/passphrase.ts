// A passphrase strength estimate for the meter on the enrolment page. Deliberately simple: it
// counts the alphabet a passphrase draws from and its length, and takes off for repeats, runs and
// the commonest words. It only guides; the rule that counts is the 12-character minimum, and
// Argon2id at 64 MiB makes every guess slow.

export const MIN_PASSPHRASE = 12;

export type Strength = 0 | 1 | 2 | 3 | 4;

const COMMON = ['password', 'passphrase', 'qwerty', 'azerty', 'letmein', 'welcome', 'admin', 'sealbox', 'customs', 'douane', 'secret', 'iloveyou', 'monkey', 'dragon'];
const RUNS = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop'];

/** Length in Unicode code points (an emoji or an accented letter is one character). */
export const charCount = (text: string): number => [...text].length;

/** Estimated bits of entropy: a rough upper bound for a passphrase chosen by a person. */
export function entropyBits(passphrase: string): number {
  const chars = [...passphrase];
  if (chars.length === 0) return 0;
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[ -/:-@[-`{-~]/.test(passphrase)) pool += 33;
  if (/[^\x20-\x7e]/.test(passphrase)) pool += 100;
  let bits = chars.length * Math.log2(pool);
  // Repeated characters add little: count each distinct one at most twice.
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  const excess = [...counts.values()].reduce((n, k) => n + Math.max(0, k - 2), 0);
  bits -= excess * Math.log2(pool) * 0.75;
  const lower = passphrase.toLowerCase();
  for (const word of COMMON) if (lower.includes(word)) bits -= word.length * Math.log2(pool) * 0.8;
  for (const run of RUNS) {
    for (let n = run.length; n >= 4; n--) {
      let found = false;
      for (let i = 0; i + n <= run.length; i++) {
        if (lower.includes(run.slice(i, i + n))) {
          bits -= n * Math.log2(pool) * 0.8;
          found = true;
          break;
        }
      }
      if (found) break;
    }
  }
  return Math.max(0, bits);
}

/** 0 too short, 1 weak, 2 fair, 3 good, 4 strong. */
export function strengthOf(passphrase: string): Strength {
  if (charCount(passphrase) < MIN_PASSPHRASE) return 0;
  const bits = entropyBits(passphrase);
  if (bits < 45) return 1;
  if (bits < 65) return 2;
  if (bits < 85) return 3;
  return 4;
}
