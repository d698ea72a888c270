// GET /api/reports/:id/attachments/:attachmentId: the encrypted stream as uploaded, which the
// reviewer decrypts; incomplete, missing and foreign attachments are refused.
import { unlinkSync } from 'node:fs';
import t from 'tap';
import { decryptAttachmentBytes, decryptAttachmentMeta, fromB64u, openSealedKey, randomBytes } from '../../../crypto/index.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, signIn, submitReport } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const report = await submitReport(reporterApp, 'staff');
const sibling = await submitReport(reporterApp, 'staff');
const elsewhere = await submitReport(reporterApp, 'public');
const reviewer = await signIn(app, clock, zoe);
const id = report.reportId;
const file = randomBytes(150_000);

const upload = async (attachmentId: string, stream: Uint8Array, auth = report.auth) => {
  const res = await reporterApp.inject({
    method: 'PUT', url: `/api/followup/attachments/${attachmentId}`,
    headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(stream),
  });
  if (res.statusCode !== 204) throw new Error(`upload refused: ${res.body}`);
};

t.test('a reviewer downloads the encrypted stream and decrypts the file', async (t) => {
  const { res: declared, attachmentId, stream } = await report.declareAttachment('invoice.pdf', 'application/pdf', file);
  t.equal(declared.statusCode, 201);
  await upload(attachmentId, stream);
  const res = await reviewer.get(`/api/reports/${id}/attachments/${attachmentId}`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/octet-stream');
  t.equal(res.headers['content-length'], String(stream.length));
  t.match(res.headers['content-disposition'], /^attachment;/);
  t.ok(res.rawPayload.equals(Buffer.from(stream)), 'byte for byte what was uploaded');

  const doc = (await reviewer.get(`/api/reports/${id}`)).json();
  const key = openSealedKey(doc.sealedKey, zoe.secrets.box);
  const listed = doc.attachments.find((a: { id: string }) => a.id === attachmentId);
  t.match(listed, { size: stream.length, complete: true });
  const meta = decryptAttachmentMeta(key, id, attachmentId, listed.meta);
  t.match(meta, { name: 'invoice.pdf', type: 'application/pdf', size: file.length });
  t.ok(Buffer.from(await decryptAttachmentBytes(fromB64u(meta.key, 32), res.rawPayload)).equals(Buffer.from(file)), 'the file decrypts');
  t.match(auditOf(services, 'attachment.download').at(-1), { actor: `user:${zoe.id}`, target: id, details: { attachmentId } });
});

t.test('incomplete, unknown, foreign and missing attachments', async (t) => {
  const { attachmentId: pending } = await report.declareAttachment('later.jpg', 'image/jpeg', randomBytes(10));
  isError(t, await reviewer.get(`/api/reports/${id}/attachments/${pending}`), 409, 'SBX_INCOMPLETE');

  const { attachmentId: theirs, stream } = await sibling.declareAttachment('other.txt', 'text/plain', randomBytes(10));
  await upload(theirs, stream, sibling.auth);
  isError(t, await reviewer.get(`/api/reports/${id}/attachments/${theirs}`), 404, 'SBX_NOT_FOUND', 'another report\'s file under this report');
  t.equal((await reviewer.get(`/api/reports/${sibling.reportId}/attachments/${theirs}`)).statusCode, 200, 'under its own report it is fine');
  isError(t, await reviewer.get(`/api/reports/${id}/attachments/AAAAAAAAAAAAAAAAAAAAAA`), 404, 'SBX_NOT_FOUND', 'no such file');
  isError(t, await reviewer.get(`/api/reports/${id}/attachments/bad`), 400, 'SBX_INVALID_REQUEST', 'a malformed id');

  const { attachmentId: far, stream: farStream } = await elsewhere.declareAttachment('x.txt', 'text/plain', randomBytes(10));
  await upload(far, farStream, elsewhere.auth);
  isError(t, await reviewer.get(`/api/reports/${elsewhere.reportId}/attachments/${far}`), 404, 'SBX_NOT_FOUND', 'another channel');

  const downloads = auditOf(services, 'attachment.download').length;
  unlinkSync(services.blobs.path(theirs));
  isError(t, await reviewer.get(`/api/reports/${sibling.reportId}/attachments/${theirs}`), 410, 'SBX_ATTACHMENT_DAMAGED', 'a file gone from storage is not a 5xx');
  t.equal(auditOf(services, 'attachment.download').length, downloads, 'refused downloads are not recorded as downloads');
});
