// The whole protocol through a real server process: a reporter (crypto/ in Node) submits with a
// 5 MB attachment, a reviewer made with `sealbox user add` and approved with `sealbox roster
// approve` signs in with passphrase and TOTP, decrypts the report, the message and the file,
// replies and acknowledges; the reporter reads the reply; `sealbox export` prints the decrypted
// report. Then nothing readable is at rest: marker strings from every answer, message and file are
// absent from the database, its WAL, the blobs and the server's log, and so are the reporters'
// user agent and receipt tokens.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  decryptAttachmentBytes, decryptAttachmentMeta, decryptMessage, decryptReportContent, deriveUserKeys, encryptMessage,
  fromB64u, openKeyBundle, openSealedKey, ready, toB64u, type Sealed,
} from '../../crypto/index.js';
import { initInstance } from '../../server/init.js';
import { totpCode } from '../../server/totp.js';
import { httpClient, runSealbox, startServerProcess } from '../helpers/process.js';
import { TestReporter } from '../helpers/reporter.js';

await ready;
const root = mkdtempSync(join(tmpdir(), 'sealbox-e2e-'));
const dir = join(root, 'data');
t.teardown(() => rmSync(root, { recursive: true, force: true }));

const UA = 'Mozilla/5.0 marker-ua-9f31c2';
const MARK = {
  answer: 'MARKER-ANSWER-b7e1 the officer at gate 4 asked for 500 dollars',
  identity: 'MARKER-IDENTITY-44aa',
  message: 'MARKER-REPORTER-MSG-c0d3',
  reply: 'MARKER-REVIEWER-REPLY-e5f6',
  file: 'MARKER-FILE-1a2b',
  fileName: 'MARKER-FILENAME-77.jpg',
};

const { recoverySecret } = initInstance(dir, { recoveryKey: true });
const passphrase = 'correct horse battery staple for amina';
const added = await runSealbox(['user', 'add', 'amina', '--role', 'reviewer', '--channels', 'public,staff', '--passphrase-stdin', '--json', '--data-dir', dir], {}, `${passphrase}\n`);
if (added.code !== 0) throw new Error(`sealbox user add failed: ${added.err}`);
// A new account receives nothing until the roster names it (PROTOCOL.md §9): the operator approves amina.
for (const channel of ['public', 'staff']) {
  const approved = await runSealbox(['roster', 'approve', 'amina', '--channel', channel, '--data-dir', dir], {}, recoverySecret);
  if (approved.code !== 0) throw new Error(`sealbox roster approve failed: ${approved.err}`);
}
const { totpSecret } = JSON.parse(added.out) as { totpSecret: string };

const server = await startServerProcess(dir, { SEALBOX_POW_BITS: '8', SEALBOX_LOG_LEVEL: 'info' });
t.teardown(() => server.stop());
const reporterHttp = httpClient(server.reporterUrl, UA);

/** A console session over real HTTP. */
class Reviewer {
  cookie = '';
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: () => any; bytes: Buffer }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(server.consoleUrl + path, {
      method,
      headers: { 'user-agent': UA, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.cookie ? { cookie: this.cookie } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = res.headers.get('set-cookie');
    if (set?.startsWith('sbx_session=')) this.cookie = set.split(';')[0]!;
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, bytes, json: () => JSON.parse(bytes.toString()) };
  }
}

const reporter = new TestReporter(reporterHttp);
const photo = Buffer.alloc(5 * 1000 * 1000);
for (let i = 0; i < photo.length; i += 64) photo.write(`${MARK.file}-${i}`.padEnd(64, '.'), i);
let attachmentId = '';

t.test('the reporter submits, writes and uploads 5 MB', async (t) => {
  const res = await reporter.submit('public', { category: 'BRIBERY', description: MARK.answer, identity: { name: MARK.identity } });
  t.equal(res.statusCode, 201, res.body);
  t.equal((await reporter.sendMessage(MARK.message)).statusCode, 201);
  const declared = await reporter.declareAttachment(MARK.fileName, 'image/jpeg', photo);
  t.equal(declared.res.statusCode, 201, declared.res.body);
  attachmentId = declared.attachmentId;
  // In pieces, as the page sends it, resuming from the server's offset each time.
  const piece = 1 << 20;
  for (let at = 0; at < declared.stream.length; at += piece) {
    const head = await reporterHttp.inject({ method: 'HEAD', url: `/api/followup/attachments/${attachmentId}`, headers: reporter.auth });
    t.equal(Number(head.headers['upload-offset']), at);
    const patch = await reporterHttp.inject({
      method: 'PATCH', url: `/api/followup/attachments/${attachmentId}`,
      headers: { ...reporter.auth, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(at) },
      payload: declared.stream.subarray(at, at + piece),
    });
    if (patch.statusCode !== 204) t.fail(patch.body);
  }
  const followup = (await reporter.followup()).json();
  t.same(followup.attachments.map((a: { complete: boolean }) => a.complete), [true]);
});

const reviewer = new Reviewer();
let reportKey: Uint8Array;

t.test('the reviewer signs in with passphrase and TOTP, decrypts everything', async (t) => {
  const params = (await reviewer.call('POST', '/api/auth/params', { username: 'amina' })).json();
  const keys = deriveUserKeys(passphrase, { salt: fromB64u(params.salt), opslimit: params.opslimit, memlimit: params.memlimit });
  const login = await reviewer.call('POST', '/api/auth/login', { username: 'amina', authKey: toB64u(keys.authKey), totp: totpCode(totpSecret, new Date()) });
  t.equal(login.status, 200, login.bytes.toString());
  const secrets = openKeyBundle(keys.wrapKey, 'amina', login.json().keyBundle);
  const inbox = (await reviewer.call('GET', '/api/reports?status=new')).json();
  t.same(inbox.reports.map((r: { id: string }) => r.id), [reporter.reportId]);
  t.equal(inbox.reports[0].unread, true);
  const report = (await reviewer.call('GET', `/api/reports/${reporter.reportId}`)).json();
  reportKey = openSealedKey(report.sealedKey, secrets.box);
  const content = decryptReportContent(reportKey, reporter.reportId, report.content);
  t.equal(content.answers.description, MARK.answer);
  t.same(report.messages.map((m: Sealed & { author: 'reporter' }) => decryptMessage(reportKey, reporter.reportId, m.author, m)), [MARK.message]);
  const a = report.attachments[0];
  const meta = decryptAttachmentMeta(reportKey, reporter.reportId, a.id, a.meta);
  t.equal(meta.name, MARK.fileName);
  const stream = await reviewer.call('GET', `/api/reports/${reporter.reportId}/attachments/${a.id}`);
  t.equal(stream.status, 200);
  const plain = await decryptAttachmentBytes(fromB64u(meta.key), stream.bytes);
  t.equal(createHash('sha256').update(plain).digest('hex'), createHash('sha256').update(photo).digest('hex'), '5 MB file intact');
});

t.test('the reviewer replies and acknowledges; the reporter reads the reply', async (t) => {
  const reply = await reviewer.call('POST', `/api/reports/${reporter.reportId}/messages`, encryptMessage(reportKey, reporter.reportId, 'reviewer', MARK.reply));
  t.equal(reply.status, 201, reply.bytes.toString());
  const ack = await reviewer.call('PATCH', `/api/reports/${reporter.reportId}`, { status: 'acknowledged' });
  t.equal(ack.status, 200, ack.bytes.toString());
  const read = await reporter.read();
  t.equal(read.doc.status, 'acknowledged');
  t.same(read.messages.map((m: { text: string }) => m.text), [MARK.message, MARK.reply]);
  t.ok(read.doc.acknowledgedAt);
});

t.test('sealbox export prints the decrypted report', async (t) => {
  const out = join(root, 'export');
  const r = await runSealbox(['export', reporter.reportId, '--user', 'amina', '--passphrase-stdin', '--json', '--out', out, '--data-dir', dir], {}, passphrase);
  t.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  t.equal(doc.content.answers.description, MARK.answer);
  t.equal(doc.status, 'acknowledged');
  t.same(doc.messages.map((m: { author: string; text: string }) => [m.author, m.text]), [['reporter', MARK.message], ['reviewer', MARK.reply]]);
  t.equal(doc.attachments[0].sha256, createHash('sha256').update(photo).digest('hex'));
  // The case export's layout: the transcript, the checksums, and the one file under files/.
  t.same(readdirSync(out).sort(), ['SHA256SUMS', 'files', 'transcript.html']);
  t.equal(readdirSync(join(out, 'files')).length, 1);
});

t.test('nothing readable at rest, nothing identifying in the log', async (t) => {
  await server.stop();
  const files = [join(dir, 'sealbox.db'), join(dir, 'sealbox.db-wal'), ...readdirSync(join(dir, 'blobs')).map((f) => join(dir, 'blobs', f))]
    .flatMap((f) => { try { return [{ f, bytes: readFileSync(f) }]; } catch { return []; } });
  t.ok(files.length >= 2, `${files.length} files scanned`);
  const log = Buffer.from(server.output());
  t.match(log.toString(), /"route":"\/api\/reports"/, 'the log has request lines');
  const secrets: [string, Buffer][] = [
    ...Object.entries(MARK).map(([k, v]) => [k, Buffer.from(v)] as [string, Buffer]),
    ['user agent', Buffer.from('marker-ua-9f31c2')],
    ['receipt token (b64)', Buffer.from(toB64u(reporter.keys.receiptToken))],
    ['receipt token (raw)', Buffer.from(reporter.keys.receiptToken)],
    ['receipt code', Buffer.from(reporter.code.replace(/-/g, ''))],
    ['passphrase', Buffer.from(passphrase)],
    ['report key', Buffer.from(reportKey)],
  ];
  for (const [what, needle] of secrets) {
    for (const { f, bytes } of files) t.equal(bytes.indexOf(needle), -1, `${what} not in ${f.slice(dir.length + 1)}`);
    t.equal(log.indexOf(needle), -1, `${what} not in the log`);
  }
  t.notMatch(log.toString(), /127\.0\.0\.1:\d+"?,?"?(remote|client)/i, 'no client address in the log');
  t.notMatch(log.toString(), /remoteAddress|remotePort|user-agent|userAgent/i, 'no address or user-agent fields in the log');
});
