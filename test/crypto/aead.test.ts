import t from 'tap';
import {
  ad, decryptAttachmentMeta, decryptBytes, decryptJson, decryptMessage, decryptNote, decryptReportContent, encryptAttachmentMeta,
  encryptBytes, encryptJson, encryptMessage, encryptNote, encryptReportContent, fromB64u, generateReportKey, isPaddedCiphertextLength,
  newId, ready, SealboxCryptoError, toB64u, utf8, type Sealed,
} from '../../crypto/index.js';

await ready;

const reportId = newId();
const key = generateReportKey();

/** Flips one bit of one byte of a b64u field. */
function flip(b64: string, index: number): string {
  const bytes = fromB64u(b64);
  bytes[index]! ^= 0x01;
  return toB64u(bytes);
}

t.test('report content round trip, with Arabic and emoji', async (t) => {
  const content = {
    channelId: 'public', locale: 'ar', questionnaire: 'customs-default@1',
    answers: { category: 'EXTORTION', description: 'طلب الموظف رشوة 💸 عند المعبر', people: [{ name: 'X', role: 'inspector' }] },
    recipients: ['AAAAAAAAAAAAAAAAAAAAAA'], excluded: ['BBBBBBBBBBBBBBBBBBBBBB'],
  };
  const obj = encryptReportContent(key, reportId, content);
  t.equal(fromB64u(obj.nonce).length, 24);
  t.ok(isPaddedCiphertextLength(fromB64u(obj.ciphertext).length), 'ciphertext is a bucket plus the tag');
  t.same(decryptReportContent(key, reportId, obj), { v: 2, ...content });
});

t.test('report content version 1 still opens, with no exclusions; version 2 must carry both lists', async (t) => {
  const v1 = { channelId: 'staff', locale: 'fr', questionnaire: 'customs-default@1', answers: { category: 'LEAK' } };
  t.same(decryptReportContent(key, reportId, encryptJson(key, ad.report(reportId), { v: 1, ...v1 })), { v: 1, ...v1, recipients: null, excluded: [] });
  for (const broken of [{ v: 2, ...v1 }, { v: 2, ...v1, recipients: [], excluded: 'x' }, { v: 2, ...v1, recipients: [1], excluded: [] }, { v: 3, ...v1, recipients: [], excluded: [] }]) {
    t.throws(() => decryptReportContent(key, reportId, encryptJson(key, ad.report(reportId), broken)), { code: 'SBX_BAD_PLAINTEXT' }, JSON.stringify(broken).slice(0, 60));
  }
});

t.test('messages, notes, attachment metadata round trip', async (t) => {
  const m = encryptMessage(key, reportId, 'reviewer', 'Merci — nous avons reçu votre signalement.');
  t.equal(decryptMessage(key, reportId, 'reviewer', m), 'Merci — nous avons reçu votre signalement.');
  const ki = generateReportKey();
  const n = encryptNote(ki, reportId, 'internal: check rota');
  t.equal(decryptNote(ki, reportId, n), 'internal: check rota');
  const attachmentId = newId();
  const meta = { name: 'photo.jpg', type: 'image/jpeg', size: 1234, key: toB64u(generateReportKey()), chunkSize: 65536 };
  const a = encryptAttachmentMeta(key, reportId, attachmentId, meta);
  t.same(decryptAttachmentMeta(key, reportId, attachmentId, a), { v: 1, ...meta });
});

t.test('every encryption uses a fresh nonce', async (t) => {
  const a = encryptMessage(key, reportId, 'reporter', 'same');
  const b = encryptMessage(key, reportId, 'reporter', 'same');
  t.not(a.nonce, b.nonce);
  t.not(a.ciphertext, b.ciphertext);
});

t.test('tampering anywhere fails, never partial plaintext', async (t) => {
  const obj = encryptMessage(key, reportId, 'reporter', 'a secret');
  const ctLen = fromB64u(obj.ciphertext).length;
  const cases: [string, Sealed][] = [
    ['nonce byte 0', { ...obj, nonce: flip(obj.nonce, 0) }],
    ['nonce byte 23', { ...obj, nonce: flip(obj.nonce, 23) }],
    ['ciphertext byte 0', { ...obj, ciphertext: flip(obj.ciphertext, 0) }],
    ['ciphertext middle', { ...obj, ciphertext: flip(obj.ciphertext, 256) }],
    ['tag', { ...obj, ciphertext: flip(obj.ciphertext, ctLen - 1) }],
  ];
  for (const [what, bad] of cases) {
    t.throws(() => decryptMessage(key, reportId, 'reporter', bad), { code: 'SBX_DECRYPT_FAILED' }, what);
  }
  t.throws(() => decryptMessage(key, reportId, 'reviewer', obj), { code: 'SBX_DECRYPT_FAILED' }, 'wrong author in AD');
  t.throws(() => decryptMessage(key, newId(), 'reporter', obj), { code: 'SBX_DECRYPT_FAILED' }, 'other report in AD');
  t.throws(() => decryptNote(key, reportId, obj), { code: 'SBX_DECRYPT_FAILED' }, 'other object kind in AD');
  t.throws(() => decryptMessage(generateReportKey(), reportId, 'reporter', obj), { code: 'SBX_DECRYPT_FAILED' }, 'wrong key');
  const truncated = { ...obj, ciphertext: toB64u(fromB64u(obj.ciphertext).subarray(0, ctLen - 1)) };
  t.throws(() => decryptMessage(key, reportId, 'reporter', truncated), { code: 'SBX_DECRYPT_FAILED' }, 'truncated');
});

t.test('wrong lengths and encodings are refused with exact messages', async (t) => {
  const obj = encryptMessage(key, reportId, 'reporter', 'x');
  t.throws(() => encryptMessage(new Uint8Array(31), reportId, 'reporter', 'x'), { code: 'SBX_BAD_LENGTH', message: 'key must be 32 bytes' });
  t.throws(() => decryptMessage(new Uint8Array(33), reportId, 'reporter', obj), { code: 'SBX_BAD_LENGTH' });
  t.throws(() => decryptMessage(key, reportId, 'reporter', { ...obj, nonce: toB64u(new Uint8Array(12)) }), { code: 'SBX_BAD_LENGTH', message: 'nonce must be 24 bytes' });
  t.throws(() => decryptMessage(key, reportId, 'reporter', { ...obj, nonce: `${obj.nonce}=` }), { code: 'SBX_BAD_ENCODING' }, 'padding');
  t.throws(() => decryptMessage(key, reportId, 'reporter', { ...obj, ciphertext: obj.ciphertext.replace(/.$/, '+') }), { code: 'SBX_BAD_ENCODING' }, 'standard alphabet');
  t.throws(() => encryptBytes(key, 'ad', utf8('x'), new Uint8Array(8)), { code: 'SBX_BAD_LENGTH' });
});

t.test('fromB64u rejects non-canonical spellings', async (t) => {
  t.same(fromB64u('AQ'), new Uint8Array([1]));
  t.throws(() => fromB64u('AR'), { code: 'SBX_BAD_ENCODING' }, 'trailing bits set');
  t.throws(() => fromB64u('A'), { code: 'SBX_BAD_ENCODING' }, 'impossible length');
  t.throws(() => fromB64u('AQ', 2), { code: 'SBX_BAD_LENGTH' });
  t.throws(() => fromB64u(42 as unknown as string), { code: 'SBX_BAD_ENCODING' });
  t.same(fromB64u(''), new Uint8Array(0));
});

t.test('decrypted plaintext that is not a v1 object is refused', async (t) => {
  const adText = ad.message(reportId, 'reporter');
  const notJson = encryptBytes(key, adText, utf8('not json'));
  t.throws(() => decryptJson(key, adText, notJson), { code: 'SBX_BAD_PLAINTEXT' });
  const v2 = encryptJson(key, adText, { v: 2, text: 'x' });
  t.throws(() => decryptMessage(key, reportId, 'reporter', v2), { code: 'SBX_BAD_PLAINTEXT' });
  const arr = encryptJson(key, adText, [1]);
  t.throws(() => decryptJson(key, adText, arr), { code: 'SBX_BAD_PLAINTEXT' });
  const noText = encryptJson(key, adText, { v: 1 });
  t.throws(() => decryptMessage(key, reportId, 'reporter', noText), { code: 'SBX_BAD_PLAINTEXT' });
  const badUtf8 = encryptBytes(key, adText, new Uint8Array([0xff, 0xfe]));
  t.throws(() => decryptJson(key, adText, badUtf8), { code: 'SBX_BAD_PLAINTEXT' });
  const report = encryptJson(key, ad.report(reportId), { v: 1, channelId: 'x', locale: 'en', questionnaire: 'q@1', answers: [] });
  t.throws(() => decryptReportContent(key, reportId, report), { code: 'SBX_BAD_PLAINTEXT' });
  const attachmentId = newId();
  const meta = encryptJson(key, ad.attachment(reportId, attachmentId), { v: 1, name: 'a', type: 'b', size: -1, key: 'x', chunkSize: 65536 });
  t.throws(() => decryptAttachmentMeta(key, reportId, attachmentId, meta), { code: 'SBX_BAD_PLAINTEXT' });
  const badKey = encryptJson(key, ad.attachment(reportId, attachmentId), { v: 1, name: 'a', type: 'b', size: 1, key: 'AQ', chunkSize: 65536 });
  t.throws(() => decryptAttachmentMeta(key, reportId, attachmentId, badKey), { code: 'SBX_BAD_LENGTH' });
  t.type(new SealboxCryptoError('SBX_BAD_LENGTH', 'x'), Error);
});
