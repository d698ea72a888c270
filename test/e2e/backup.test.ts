// Backups of a running server: `sealbox backup` (plain, then encrypted) runs while reporters keep
// submitting to a real server process; every submission answered during the backups gets its 201.
// The archive is restored into an empty folder and served: every report acknowledged before the
// backup began opens with its receipt, a file decrypts, a reviewer signs in, the audit trail
// verifies; a report acknowledged after the backup is not there. Restore refuses a non-empty
// folder, a flipped byte and a wrong passphrase without writing anything.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  decryptAttachmentBytes, decryptAttachmentMeta, decryptReportContent, deriveUserKeys, fromB64u, openKeyBundle, openSealedKey, ready, toB64u,
} from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { initInstance } from '../../server/init.js';
import { createServices } from '../../server/services.js';
import { totpCode } from '../../server/totp.js';
import { addUser, LogCapture, knowRecoverySecret } from '../helpers/instance.js';
import { httpClient, runSealbox, startServerProcess } from '../helpers/process.js';
import { TestReporter } from '../helpers/reporter.js';
import { waitFor } from '../helpers/wait.js';

await ready;
const root = mkdtempSync(join(tmpdir(), 'sealbox-backup-e2e-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const dir = join(root, 'data');
const init = initInstance(dir, { recoveryKey: true });
const setup = knowRecoverySecret(createServices(loadConfig({ SEALBOX_DATA_DIR: dir })), init.recoverySecret);
const amina = addUser(setup, 'amina', ['reviewer'], ['public', 'staff'], { kdf: 'real' });
setup.close();

// No proof of work and no submission ceiling: the stream must not be slowed by anything but the server.
const env = { SEALBOX_POW_BITS: '0', SEALBOX_LOG_LEVEL: 'warn', SEALBOX_SUBMISSIONS_PER_MINUTE: '1000000' };
const PASSPHRASE = 'the off-site copy passphrase, long enough';
const plainFile = join(root, 'nightly.tar');
const encryptedFile = join(root, 'offsite.sbx');

interface Sent { reporter: TestReporter; marker: string; answeredAt: number }
const acknowledged: Sent[] = [];
const refused: Array<{ status: number; answeredAt: number }> = [];
const file = Buffer.alloc(300_000);
for (let i = 0; i < file.length; i++) file[i] = (i * 31) % 256;
let withFile: TestReporter;
let fileId = '';
const windows: Array<[number, number]> = [];

t.test('backups while reporters keep submitting', async (t) => {
  const server = await startServerProcess(dir, env);
  t.teardown(() => server.stop());
  const client = httpClient(server.reporterUrl);

  withFile = new TestReporter(client);
  t.equal((await withFile.submit('public', { category: 'BRIBERY', description: 'with a file' })).statusCode, 201);
  const declared = await withFile.declareAttachment('invoice.pdf', 'application/pdf', file);
  fileId = declared.attachmentId;
  const put = await client.inject({ method: 'PUT', url: `/api/followup/attachments/${fileId}`, headers: { ...withFile.auth, 'content-type': 'application/octet-stream' }, payload: declared.stream });
  t.equal(put.statusCode, 204, put.body);
  acknowledged.push({ reporter: withFile, marker: 'with a file', answeredAt: Date.now() });

  let stopped = false;
  const worker = async (w: number) => {
    for (let i = 0; !stopped; i++) {
      const reporter = new TestReporter(client);
      const marker = `backup-${w}-${i}`;
      const res = await reporter.submit(i % 2 ? 'staff' : 'public', { category: 'EXTORTION', description: marker });
      if (res.statusCode === 201) acknowledged.push({ reporter, marker, answeredAt: Date.now() });
      else refused.push({ status: res.statusCode, answeredAt: Date.now() });
    }
  };
  const workers = [0, 1, 2].map(worker);
  // (A refusal ends the wait: the assertion below then names it.)
  await waitFor(() => acknowledged.length >= 20 || refused.length > 0, { what: '20 submissions acknowledged before the backups', timeoutMs: 60_000, intervalMs: 20 });

  const plainStart = Date.now();
  const plain = await runSealbox(['backup', plainFile, '--json', '--data-dir', dir], env);
  windows.push([plainStart, Date.now()]);
  t.equal(plain.code, 0, plain.err);
  t.match(JSON.parse(plain.out), { encrypted: false, attachments: 1 });

  const encryptedStart = Date.now();
  const encrypted = await runSealbox(['backup', encryptedFile, '--passphrase-stdin', '--json', '--data-dir', dir], env, `${PASSPHRASE}\n`);
  windows.push([encryptedStart, Date.now()]);
  t.equal(encrypted.code, 0, encrypted.err);
  t.match(JSON.parse(encrypted.out), { encrypted: true, attachments: 1 });

  // A few more after the backups, to show they are not in them.
  const after = acknowledged.length;
  await waitFor(() => acknowledged.length >= after + 5 || refused.length > 0, { what: '5 more submissions acknowledged after the backups', timeoutMs: 60_000, intervalMs: 20 });
  stopped = true;
  await Promise.all(workers);

  const during = acknowledged.filter((a) => windows.some(([s, e]) => a.answeredAt > s && a.answeredAt < e));
  t.ok(during.length >= 5, `${during.length} submissions got their 201 while a backup ran`);
  t.same(refused, [], 'none was refused, during the backups or at any other time');
  t.same((await runSealbox(['audit', 'verify', '--json', '--data-dir', dir])).code, 0);
  await server.stop();
});

t.test('restored into an empty folder and served: receipts, files, sign-in, audit', async (t) => {
  const restored = join(root, 'restored');
  const r = await runSealbox(['restore', plainFile, '--json', '--data-dir', restored]);
  t.equal(r.code, 0, r.err);
  t.match(JSON.parse(r.out), { dataDir: restored, attachments: 1, audit: { ok: true } });

  const server = await startServerProcess(restored, env);
  t.teardown(() => server.stop());
  const client = httpClient(server.reporterUrl);
  const before = acknowledged.filter((a) => a.answeredAt < windows[0]![0]);
  t.ok(before.length >= 20);
  let intact = 0;
  for (const { reporter, marker } of before) {
    const read = await new TestReporter(client, reporter.code).read();
    if (read.content.answers.description === marker) intact++;
  }
  t.equal(intact, before.length, `every report acknowledged before the backup began (${before.length}) opens with its receipt`);
  const late = acknowledged.at(-1)!;
  t.equal((await new TestReporter(client, late.reporter.code).followup()).statusCode, 404, 'a report acknowledged after the backups is not in them');

  // A reviewer signs in with passphrase and TOTP, and decrypts the report and its file.
  const call = async (method: string, path: string, cookie: string, body?: unknown) => fetch(server.consoleUrl + path, {
    method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const params = await (await call('POST', '/api/auth/params', '', { username: 'amina' })).json() as { salt: string; opslimit: number; memlimit: number };
  const keys = deriveUserKeys(amina.passphrase, { salt: fromB64u(params.salt), opslimit: params.opslimit, memlimit: params.memlimit });
  const login = await call('POST', '/api/auth/login', '', { username: 'amina', authKey: toB64u(keys.authKey), totp: totpCode(amina.totpSecret, new Date()) });
  t.equal(login.status, 200, 'the reviewer signs in on the restored instance');
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const secrets = openKeyBundle(keys.wrapKey, 'amina', ((await login.json()) as { keyBundle: { nonce: string; ciphertext: string } }).keyBundle);
  const report = await (await call('GET', `/api/reports/${withFile.reportId}`, cookie)).json() as {
    sealedKey: string; content: { nonce: string; ciphertext: string }; attachments: Array<{ id: string; meta: { nonce: string; ciphertext: string } }>;
  };
  const key = openSealedKey(report.sealedKey, secrets.box);
  t.equal(decryptReportContent(key, withFile.reportId, report.content).answers.description, 'with a file');
  const meta = decryptAttachmentMeta(key, withFile.reportId, fileId, report.attachments[0]!.meta);
  const stream = Buffer.from(await (await call('GET', `/api/reports/${withFile.reportId}/attachments/${fileId}`, cookie)).arrayBuffer());
  t.same(Buffer.from(await decryptAttachmentBytes(fromB64u(meta.key), stream)), file, 'the file decrypts');
  await server.stop();

  const verify = await runSealbox(['audit', 'verify', '--json', '--data-dir', restored]);
  t.equal(verify.code, 0, verify.out);
  t.match(JSON.parse(verify.out), { ok: true });

  const again = await runSealbox(['restore', plainFile, '--data-dir', restored]);
  t.equal(again.code, 1, 'a non-empty folder is refused');
  t.match(again.err, /is not empty; restore into an empty or new folder/);
});

t.test('a flipped byte and a wrong passphrase are refused before anything is written', async (t) => {
  const bytes = readFileSync(plainFile);
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.length / 2)]! ^= 0x04;
  const damagedFile = join(root, 'damaged.tar');
  writeFileSync(damagedFile, flipped);
  const target = join(root, 'from-damaged');
  const damaged = await runSealbox(['restore', damagedFile, '--data-dir', target]);
  t.equal(damaged.code, 1);
  t.match(damaged.err, /the backup is damaged: .*; nothing was restored/);
  t.notOk(existsSync(target), 'nothing written');

  const wrongTarget = join(root, 'from-wrong');
  const wrong = await runSealbox(['restore', encryptedFile, '--passphrase-stdin', '--data-dir', wrongTarget], {}, 'not the passphrase of this backup\n');
  t.equal(wrong.code, 1);
  t.match(wrong.err, /wrong passphrase for this backup; nothing was restored/);
  t.notOk(existsSync(wrongTarget), 'nothing written');

  // The encrypted copy restores too, and its reports open.
  const encTarget = join(root, 'from-offsite');
  const ok = await runSealbox(['restore', encryptedFile, '--passphrase-stdin', '--json', '--data-dir', encTarget], {}, `${PASSPHRASE}\n`);
  t.equal(ok.code, 0, ok.err);
  t.match(JSON.parse(ok.out), { encrypted: true, attachments: 1, audit: { ok: true } });
  const services = createServices(loadConfig({ SEALBOX_DATA_DIR: encTarget, SEALBOX_LOG_LEVEL: 'silent' }));
  const app = await buildApp('reporter', services, { logStream: new LogCapture() });
  t.teardown(async () => {
    await app.close();
    services.close();
  });
  const before = acknowledged.filter((a) => a.answeredAt < windows[1]![0]);
  for (const { reporter, marker } of before.slice(0, 10)) {
    t.equal((await new TestReporter(app, reporter.code).read()).content.answers.description, marker);
  }
});
