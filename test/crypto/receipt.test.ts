import t from 'tap';
import {
  checkSymbol, deriveReceiptKeys, formatReceiptCode, generateReceiptCode, normaliseReceiptCode, PARAMS, ready,
  ReceiptCodeError, receiptTokenHeader, toB64u,
} from '../../crypto/index.js';

await ready;

const valid = (() => {
  const body = '7K2QMXW9PD3HF8NR6TZAQ8HN';
  return body + checkSymbol(body);
})();
const grouped = formatReceiptCode(valid);

t.test('generated codes are 25 symbols of the alphabet with a valid check symbol', async (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const code = generateReceiptCode();
    t.equal(code.length, 25);
    t.match(code, /^[0-9A-HJKMNP-TV-Z]{25}$/);
    t.equal(normaliseReceiptCode(code), code);
    seen.add(code);
  }
  t.equal(seen.size, 200, 'no repeats');
});

t.test('symbols are uniform enough: every symbol appears in every position over many codes', async (t) => {
  const counts = new Map<string, number>();
  for (let i = 0; i < 2000; i++) for (const ch of generateReceiptCode().slice(0, 24)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  t.equal(counts.size, 32);
  for (const [, n] of counts) t.ok(n > 1500 / 1.5 && n < 1500 * 1.5, 'within 50% of the expected 1500');
});

t.test('format: five groups of five', async (t) => {
  t.match(grouped, /^([0-9A-Z]{5}-){4}[0-9A-Z]{5}$/);
  t.equal(grouped.replace(/-/g, ''), valid);
});

t.test('normalisation table', async (t) => {
  const lower = grouped.toLowerCase();
  const cases: [string, string][] = [
    [valid, 'canonical'],
    [grouped, 'grouped'],
    [lower, 'lower case'],
    [` ${grouped.replace(/-/g, ' ')} `, 'spaces instead of dashes'],
    [grouped.replace(/-/g, '\t'), 'tabs'],
    [grouped.replace(/-/g, '--'), 'double dashes'],
  ];
  for (const [typed, what] of cases) t.equal(normaliseReceiptCode(typed), valid, what);
  // O→0, I→1, L→1 on a code that contains 0 and 1.
  const body = '0011ABCDEFGHJKMNPQRSTVWX';
  const code = body + checkSymbol(body);
  t.equal(normaliseReceiptCode(`OoIl${code.slice(4)}`), code, 'O, o → 0 and I, l → 1');
});

t.test('each broken rule has its own error', async (t) => {
  const err = (typed: string) => {
    try {
      normaliseReceiptCode(typed);
    } catch (e) {
      return e as ReceiptCodeError;
    }
    throw new Error('accepted');
  };
  const short = err(valid.slice(0, 24));
  t.equal(short.reason, 'length');
  t.equal(short.length, 24);
  t.match(short.message, /25 characters; this one has 24/);
  t.equal(err(`${valid}7`).reason, 'length');
  t.equal(err('').reason, 'length');
  const u = err(`${valid.slice(0, 3)}U${valid.slice(4)}`);
  t.equal(u.reason, 'character');
  t.equal(u.character, 'U');
  t.equal(u.position, 4);
  t.equal(err(`${grouped.slice(0, 6)}é${grouped.slice(7)}`).reason, 'character', 'non-ASCII letter');
  t.equal(err(`${valid.slice(0, 5)}*${valid.slice(6)}`).reason, 'character', 'punctuation');
  t.equal(err(`${valid.slice(0, 10)}٣${valid.slice(11)}`).reason, 'character', 'Arabic-Indic digit');
  t.equal(err(`${valid.slice(0, 5)}🔑${valid.slice(6)}`).character, '🔑', 'emoji reported whole');
  // A single-symbol change is caught by the check symbol in all but 1/32 of cases; find one caught.
  const alphabet = PARAMS.receiptAlphabet;
  let caught = 0;
  for (const ch of alphabet) {
    if (ch === valid[0]) continue;
    try {
      normaliseReceiptCode(ch + valid.slice(1));
    } catch (e) {
      t.equal((e as ReceiptCodeError).reason, 'check');
      caught++;
    }
  }
  t.ok(caught >= 28, `single-symbol typos caught: ${caught}/31`);
  const swapped = valid[24] === '0' ? '1' : '0';
  t.equal(err(valid.slice(0, 24) + swapped).reason, 'check', 'wrong check symbol');
});

t.test('derivations are deterministic and typing-insensitive', async (t) => {
  const a = deriveReceiptKeys(valid);
  const b = deriveReceiptKeys(grouped.toLowerCase());
  t.same(a, b);
  t.equal(a.receiptToken.length, 32);
  t.equal(a.reporterPublicKey.length, 32);
  t.equal(a.reporterSecretKey.length, 32);
  t.not(toB64u(a.receiptToken), toB64u(a.reporterSecretKey), 'token and seed are independent subkeys');
  t.equal(receiptTokenHeader(a.receiptToken), `Receipt ${toB64u(a.receiptToken)}`);
  t.throws(() => deriveReceiptKeys('nonsense'), ReceiptCodeError);
});
