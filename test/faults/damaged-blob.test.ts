// A malformed or half-written blob on disk. The server refuses to send a stored file whose length
// is not the length its upload completed with (cut short, missing, grown): 410
// SBX_ATTACHMENT_DAMAGED, never a 500 and never a 200 that breaks off. A changed byte cannot be
// seen by the server (it holds ciphertext); the reviewer's decryption refuses it. Either way the
// report itself, and its other files, open as before. (The console's wording is checked in
// test/browser/console-damaged-files.test.ts.)
import { appendFileSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { decryptAttachmentBytes, decryptAttachmentMeta, decryptReportContent, fromB64u, openSealedKey, randomBytes } from '../../crypto/index.js';
import { addUser } from '../helpers/instance.js';
import { auditOf, consoleSetup, isError, signIn, submitReport } from '../server/routes/console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const report = await submitReport(reporterApp, 'staff');
const reviewer = await signIn(app, clock, zoe);
const id = report.reportId;

const files = new Map<string, { attachmentId: string; data: Uint8Array }>();
for (const name of ['intact', 'truncated', 'flipped', 'missing', 'grown']) {
  const data = randomBytes(200_000);
  const { attachmentId, stream } = await report.declareAttachment(`${name}.bin`, 'application/octet-stream', data);
  const put = await reporterApp.inject({
    method: 'PUT', url: `/api/followup/attachments/${attachmentId}`,
    headers: { ...report.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(stream),
  });
  if (put.statusCode !== 204) throw new Error(`upload refused: ${put.body}`);
  files.set(name, { attachmentId, data });
}
const blob = (name: string) => services.blobs.path(files.get(name)!.attachmentId);
const size = readFileSync(blob('intact')).length;

// The damage: a write cut short, one flipped bit, a lost file, bytes appended by mistake.
truncateSync(blob('truncated'), size - 1000);
const flipped = readFileSync(blob('flipped'));
flipped[100_000]! ^= 0x01;
writeFileSync(blob('flipped'), flipped);
unlinkSync(blob('missing'));
appendFileSync(blob('grown'), Buffer.alloc(10));

const download = (name: string) => reviewer.get(`/api/reports/${id}/attachments/${files.get(name)!.attachmentId}`);

t.test('the report and its listing open as before', async (t) => {
  const res = await reviewer.get(`/api/reports/${id}`);
  t.equal(res.statusCode, 200);
  const doc = res.json();
  const key = openSealedKey(doc.sealedKey, zoe.secrets.box);
  t.match(decryptReportContent(key, id, doc.content), { answers: { description: 'a payment was asked for' } }, 'the answers decrypt');
  t.same(doc.attachments.map((a: { complete: boolean }) => a.complete), [true, true, true, true, true], 'every file is listed, as uploaded');
  const names = doc.attachments.map((a: { id: string; meta: { nonce: string; ciphertext: string } }) => decryptAttachmentMeta(key, id, a.id, a.meta).name);
  t.same(names, ['intact.bin', 'truncated.bin', 'flipped.bin', 'missing.bin', 'grown.bin'], 'and every name decrypts');
});

t.test('a file of the wrong length, or none, is 410 SBX_ATTACHMENT_DAMAGED', async (t) => {
  const before = auditOf(services, 'attachment.download').length;
  const cut = isError(t, await download('truncated'), 410, 'SBX_ATTACHMENT_DAMAGED', 'cut short');
  t.equal(cut.message, `This file has ${size - 1000} bytes in storage instead of ${size}; it cannot be sent`);
  const gone = isError(t, await download('missing'), 410, 'SBX_ATTACHMENT_DAMAGED', 'missing');
  t.equal(gone.message, 'This file is missing from storage; it cannot be sent');
  const grown = isError(t, await download('grown'), 410, 'SBX_ATTACHMENT_DAMAGED', 'grown');
  t.equal(grown.message, `This file has ${size + 10} bytes in storage instead of ${size}; it cannot be sent`);
  t.equal(auditOf(services, 'attachment.download').length, before, 'refused downloads are not recorded as downloads');
});

t.test('a changed byte is sent as stored and refused by the reader; the intact file decrypts', async (t) => {
  const doc = (await reviewer.get(`/api/reports/${id}`)).json();
  const key = openSealedKey(doc.sealedKey, zoe.secrets.box);
  const open = async (name: string) => {
    const res = await download(name);
    t.equal(res.statusCode, 200, `${name}: 200`);
    t.equal(res.rawPayload.length, size, `${name}: every byte is sent`);
    const row = doc.attachments.find((a: { id: string }) => a.id === files.get(name)!.attachmentId);
    const meta = decryptAttachmentMeta(key, id, row.id, row.meta);
    return decryptAttachmentBytes(fromB64u(meta.key, 32), res.rawPayload);
  };
  await t.rejects(open('flipped'), { name: 'SealboxCryptoError' }, 'the flipped byte fails decryption: no partial content');
  const intact = await open('intact');
  t.ok(Buffer.from(intact).equals(Buffer.from(files.get('intact')!.data)), 'the intact file decrypts to the original');
});
