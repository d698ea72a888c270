// Backups in-process: what the archive holds, a restore that works (receipts, sign-in, files, an
// upload that goes on), every refusal before anything is written (one flipped byte anywhere,
// crafted archives, a non-empty folder, a wrong passphrase), failures while backing up, and the
// CLI's wiring of both commands.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract, pack } from 'tar-stream';
import t, { type Test } from 'tap';
import { BACKUP_HEADER_BYTES, BACKUP_MAGIC } from '../../crypto/backup-stream.js';
import { decryptAttachmentBytes, decryptAttachmentMeta, decryptReportContent, fromB64u, openSealedKey, PARAMS, ready } from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { BackupError, createBackup, move, restoreBackup } from '../../server/backup.js';
import { loadConfig } from '../../server/config.js';
import { createServices, type Services } from '../../server/services.js';
import { runCli } from '../helpers/cli.js';
import { addUser, LogCapture, makeInstance } from '../helpers/instance.js';
import { TestReporter } from '../helpers/reporter.js';
import { signIn } from './routes/console-fixtures.js';

await ready;
const root = mkdtempSync(join(tmpdir(), 'sealbox-backup-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const inst = await makeInstance();
t.teardown(() => inst.close());
const { services, clock } = inst;
const reporterApp = await inst.app('reporter');
const amal = addUser(services, 'amal', ['reviewer'], ['staff', 'public']);

// Three reports: one with a whole file, one with an upload half done, one with a file declared only.
const reporters: TestReporter[] = [];
for (const [i, channel] of ['staff', 'public', 'staff'].entries()) {
  const r = new TestReporter(reporterApp);
  const res = await r.submit(channel, { category: 'BRIBERY', description: `report ${i} — رشوة 🧾` });
  if (res.statusCode !== 201) throw new Error(res.body);
  reporters.push(r);
}
const photo = Buffer.alloc(150_000);
for (let i = 0; i < photo.length; i++) photo[i] = (i * 7) % 251;
const upload = (r: TestReporter, id: string, offset: number, piece: Uint8Array) => reporterApp.inject({
  method: 'PATCH', url: `/api/followup/attachments/${id}`,
  headers: { ...r.auth, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) }, payload: Buffer.from(piece),
});
const whole = await reporters[0]!.declareAttachment('photo.jpg', 'image/jpeg', photo);
await upload(reporters[0]!, whole.attachmentId, 0, whole.stream);
const partial = await reporters[1]!.declareAttachment('scan.pdf', 'application/pdf', photo.subarray(0, 100_000));
const half = 40_000;
await upload(reporters[1]!, partial.attachmentId, 0, partial.stream.subarray(0, half));
const declaredOnly = await reporters[2]!.declareAttachment('later.txt', 'text/plain', Buffer.from('later'));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let n = 0;
const fresh = (name = 'restored') => join(root, `${name}-${++n}`);
const leftovers = () => readdirSync(root).filter((f) => f.startsWith('.sealbox-restore-'));

interface Entry { name: string; data: Buffer; header: number; start: number; type: string }
async function entriesOf(file: string | Buffer): Promise<Entry[]> {
  const x = extract();
  const out: Entry[] = [];
  const done = (async () => {
    for await (const e of x) {
      const parts: Buffer[] = [];
      for await (const c of e as unknown as AsyncIterable<Buffer>) parts.push(c);
      out.push({ name: e.header.name, data: Buffer.concat(parts), header: e.offset, start: (e.header as unknown as { byteOffset: number }).byteOffset, type: e.header.type });
    }
  })();
  x.end(typeof file === 'string' ? readFileSync(file) : file);
  await done;
  return out;
}

/** A tar file as a backup writes it, from given entries; the manifest is made unless given. */
async function craft(entries: Array<{ name: string; data: Buffer; type?: 'file' | 'directory'; pax?: Record<string, string> }>, manifest?: Buffer | null): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const reading = (async () => { for await (const c of p as unknown as AsyncIterable<Buffer>) chunks.push(c); })();
  const listed = entries.map((e) => ({ name: e.name, size: e.data.length, sha256: sha(e.data) }));
  const all = manifest === null ? entries : [...entries, { name: 'manifest.json', data: manifest ?? Buffer.from(JSON.stringify({ entries: listed })) }];
  for (const e of all) {
    await new Promise<void>((done, fail) => {
      const type = (e as { type?: 'file' | 'directory' }).type ?? 'file';
      const pax = (e as { pax?: Record<string, string> }).pax;
      p.entry({ name: e.name, size: type === 'file' ? e.data.length : 0, mode: 0o600, type, mtime: new Date(0), ...(pax ? { pax } : {}) }, type === 'file' ? e.data : Buffer.alloc(0), (err) => (err ? fail(err) : done()));
    });
  }
  p.finalize();
  await reading;
  return Buffer.concat(chunks);
}

/** Restoring `bytes` is refused with `message`, and neither the target nor a staging folder is left. */
async function refuses(t: Test, bytes: Buffer | string, message: RegExp, options: { passphrase?: string } = {}) {
  const file = typeof bytes === 'string' ? bytes : join(root, `archive-${++n}`);
  if (typeof bytes !== 'string') writeFileSync(file, bytes);
  const target = fresh('refused');
  await t.rejects(restoreBackup(file, target, options), { name: 'BackupError', message }, message.source);
  t.notOk(existsSync(target), 'nothing written');
  t.same(leftovers(), [], 'no staging folder left');
}

function openRestored(dir: string): Services {
  return createServices(loadConfig({ SEALBOX_DATA_DIR: dir, SEALBOX_POW_BITS: '4', SEALBOX_LOG_LEVEL: 'silent' }), clock);
}

const archive = join(root, 'nightly.tar');
let good: Entry[] = [];

t.test('the archive: header, database, secret, the blobs the copy counts, manifest', async (t) => {
  const result = await createBackup(services, archive);
  const bytes = readFileSync(archive);
  t.match(result, { file: archive, createdAt: clock.now().toISOString(), encrypted: false, attachments: 2, bytes: bytes.length, sha256: sha(bytes) });
  t.equal(statSync(archive).mode & 0o777, 0o600, 'the archive is 0600: it holds the server secret');
  good = await entriesOf(archive);
  const [first, second] = [whole.attachmentId, partial.attachmentId].sort();
  t.same(good.map((e) => e.name), ['sealbox-backup.json', 'sealbox.db', 'server-secret', `blobs/${first}`, `blobs/${second}`, 'manifest.json']);
  t.same(JSON.parse(good[0]!.data.toString()), { format: 'sealbox-backup', version: 1, createdAt: result.createdAt });
  t.same(good[2]!.data, readFileSync(join(inst.dir, 'server-secret')));
  const blob = (id: string) => good.find((e) => e.name === `blobs/${id}`)!.data;
  t.same(blob(whole.attachmentId), Buffer.from(whole.stream), 'a whole file');
  t.same(blob(partial.attachmentId), Buffer.from(partial.stream.subarray(0, half)), 'an upload in progress: the bytes received');
  t.notOk(good.some((e) => e.name.includes(declaredOnly.attachmentId)), 'a file with no byte yet has nothing to copy');
  const manifest = JSON.parse(good.at(-1)!.data.toString());
  t.same(manifest, { entries: good.slice(0, -1).map((e) => ({ name: e.name, size: e.data.length, sha256: sha(e.data) })) });
  t.match(services.repos.audit.list({ action: 'instance.backup', limit: 5 }), [{ actor: 'system', details: { encrypted: false, attachments: 2, bytes: bytes.length } }]);
  t.same(readdirSync(inst.dir).filter((f) => f.startsWith('.backup-')), [], 'the database copy is gone');
  t.same(readdirSync(root).filter((f) => f.includes('partial')), []);

  await t.rejects(createBackup(services, archive), { name: 'BackupError', message: /already exists; give a new file name/ });
  await t.rejects(createBackup(services, join(root, 'no', 'such', 'b.tar')), { message: /the folder .* does not exist/ });
});

t.test('restored into a new folder: receipts open, reviewers sign in, files decrypt, uploads go on', async (t) => {
  const dir = fresh();
  const result = await restoreBackup(archive, dir, { clock });
  t.match(result, { dataDir: dir, encrypted: false, attachments: 2, audit: { ok: true } });
  t.equal(statSync(dir).mode & 0o777, 0o700);
  t.equal(statSync(join(dir, 'server-secret')).mode & 0o777, 0o600);
  t.equal(statSync(join(dir, 'sealbox.db')).mode & 0o777, 0o600);
  const restored = openRestored(dir);
  const log = new LogCapture();
  const rApp = await buildApp('reporter', restored, { logStream: log });
  const cApp = await buildApp('console', restored, { logStream: log });
  t.teardown(async () => {
    await rApp.close();
    await cApp.close();
    restored.close();
  });
  for (const [i, r] of reporters.entries()) {
    const read = await new TestReporter(rApp, r.code).read();
    t.equal(read.content.answers.description, `report ${i} — رشوة 🧾`, `receipt ${i} opens its report`);
  }
  const reviewer = await signIn(cApp, clock, amal);
  const report = (await reviewer.get(`/api/reports/${reporters[0]!.reportId}`)).json();
  const key = openSealedKey(report.sealedKey, amal.secrets.box);
  t.equal(decryptReportContent(key, report.id, report.content).answers.description, 'report 0 — رشوة 🧾');
  const meta = decryptAttachmentMeta(key, report.id, whole.attachmentId, report.attachments[0].meta);
  const file = await reviewer.get(`/api/reports/${report.id}/attachments/${whole.attachmentId}`);
  t.same(Buffer.from(await decryptAttachmentBytes(fromB64u(meta.key), file.rawPayload)), photo, 'the file decrypts');

  const head = await rApp.inject({ method: 'HEAD', url: `/api/followup/attachments/${partial.attachmentId}`, headers: reporters[1]!.auth });
  t.equal(head.headers['upload-offset'], String(half), 'the upload goes on from where the backup left it');
  const rest = await rApp.inject({
    method: 'PATCH', url: `/api/followup/attachments/${partial.attachmentId}`,
    headers: { ...reporters[1]!.auth, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(half) }, payload: Buffer.from(partial.stream.subarray(half)),
  });
  t.equal(rest.statusCode, 204, rest.body);
  t.equal(restored.repos.attachments.get(partial.attachmentId)?.complete, true);

  t.same(restored.repos.audit.verify(), { ok: true, count: restored.repos.audit.list({ limit: 10_000 }).length });
  t.match(restored.repos.audit.list({ action: 'instance.restore', limit: 5 }), [{ actor: 'system', details: { backupCreatedAt: result.createdAt, encrypted: false } }]);
});

t.test('refusals before anything is written', async (t) => {
  const busy = fresh('busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'keep.txt'), 'mine');
  await t.rejects(restoreBackup(archive, busy), { name: 'BackupError', message: /is not empty; restore into an empty or new folder/ });
  t.same(readdirSync(busy), ['keep.txt'], 'a non-empty folder is left as it was');
  const aFile = join(root, 'a-file');
  writeFileSync(aFile, 'x');
  await t.rejects(restoreBackup(archive, aFile), { message: /a-file is not a folder/ });
  await t.rejects(restoreBackup(archive, join(aFile, 'data')), { message: /data is not a folder/ });
  await refuses(t, join(root, 'missing.tar'), /cannot read/);
  await refuses(t, Buffer.alloc(0), /not a Sealbox backup \(it holds no entry\)/);
  await refuses(t, Buffer.from('x'.repeat(5000)), /not a Sealbox backup, or it is damaged/);
  await refuses(t, readFileSync(archive).subarray(0, 300_000), /not a Sealbox backup, or it is damaged \(Unexpected end of data\)/);
  await refuses(t, readFileSync(archive).subarray(0, readFileSync(archive).length - 1024), /lacks the end-of-archive blocks/);
  // An empty folder is fine, and is where the instance goes.
  const empty = fresh('empty');
  mkdirSync(empty);
  t.match(await restoreBackup(archive, empty), { dataDir: empty });
});

t.test('one flipped byte anywhere is refused: headers, data, padding, manifest, end blocks', async (t) => {
  const bytes = readFileSync(archive);
  const positions = new Set<number>();
  for (const e of good) {
    for (const at of [0, 100, 124, 136, 148, 154, 155, 156, 257, 511]) positions.add(e.header + at);
    positions.add(e.start);
    positions.add(e.start + e.data.length - 1);
    if ((e.start + e.data.length) % 512 !== 0) positions.add(e.start + e.data.length);
  }
  const last = good.at(-1)!;
  const end = Math.ceil((last.start + last.data.length) / 512) * 512;
  for (const at of [0, 148, 154, 511, 512, 1023]) positions.add(end + at);
  t.equal(end + 1024, bytes.length);
  for (const p of positions) {
    const flipped = Buffer.from(bytes);
    flipped[p]! ^= 0x10;
    await refuses(t, flipped, /damaged|not a Sealbox backup|format version/);
  }
});

t.test('crafted archives', async (t) => {
  const base = good.map((e) => ({ name: e.name, data: e.data })).slice(0, -1);
  writeFileSync(join(root, 'crafted.tar'), await craft(base));
  t.match(await restoreBackup(join(root, 'crafted.tar'), fresh('crafted')), { attachments: 2 }, 'the crafting is faithful: its archive restores');
  const replace = (name: string, data: Buffer) => base.map((e) => (e.name === name ? { name, data } : e));
  const without = (name: string) => base.filter((e) => e.name !== name);
  const header = (value: unknown) => replace('sealbox-backup.json', Buffer.from(JSON.stringify(value)));

  await refuses(t, await craft(header({ format: 'sealbox-backup', version: 2, createdAt: '2027-01-01T00:00:00.000Z' })), /format version 2; this Sealbox reads version 1 only/);
  await refuses(t, await craft(header({ format: 'other', version: 1, createdAt: '2027-01-01T00:00:00.000Z' })), /not a Sealbox backup \(sealbox-backup.json is not one\)/);
  await refuses(t, await craft(replace('sealbox-backup.json', Buffer.from('{'))), /sealbox-backup.json is not JSON/);
  await refuses(t, await craft(replace('sealbox-backup.json', Buffer.alloc(5000, 32))), /larger than 4096 bytes/);
  await refuses(t, await craft(base.slice(1)), /does not start with sealbox-backup.json/);
  await refuses(t, await craft([...base.slice(0, 2), { name: '../evil', data: Buffer.from('x') }, ...base.slice(2)]), /unexpected entry "..\/evil"/);
  t.notOk(existsSync(join(root, 'evil')));
  await refuses(t, await craft([...base.slice(0, 2), { name: 'blobs/../../evil', data: Buffer.from('x') }, ...base.slice(2)]), /unexpected entry/);
  await refuses(t, await craft([...base.slice(0, 2), { name: 'blobs', data: Buffer.alloc(0), type: 'directory' }, ...base.slice(2)]), /entry "blobs\/?" is not a file/);
  await refuses(t, await craft([...base, base[2]!]), /holds server-secret twice/);
  await refuses(t, await craft(base, null), /ends before its manifest/);
  await refuses(t, await craft([...base, { name: 'manifest.json', data: Buffer.from('{"entries":[]}') }, { name: 'late', data: Buffer.from('x') }], null), /data after its manifest/);
  const listed = base.map((e) => ({ name: e.name, size: e.data.length, sha256: sha(e.data) }));
  await refuses(t, await craft(base, Buffer.from(JSON.stringify({ entries: [...listed, listed[1]] }))), /the manifest lists 6 entries; the archive holds 5/);
  await refuses(t, await craft(base, Buffer.from(JSON.stringify({ entries: [listed[0], listed[2], listed[1], ...listed.slice(3)] }))), /sealbox.db is not where the manifest lists it/);
  await refuses(t, await craft(base, Buffer.from(JSON.stringify({ entries: listed }, null, 1))), /its manifest is malformed/);
  await refuses(t, await craft(base, Buffer.from(JSON.stringify({ entries: listed, extra: 1 }))), /its manifest is malformed/);
  await refuses(t, await craft(base, Buffer.from('not json')), /its manifest is not JSON/);
  await refuses(t, await craft(replace('server-secret', Buffer.alloc(31))), /server secret is not 32 bytes/);
  await refuses(t, await craft(base.map((e) => (e.name === 'server-secret' ? { ...e, pax: { comment: 'hidden' } } : e))), /unexpected blocks before the entry at byte/);
  await refuses(t, await craft(without('server-secret')), /it has no server-secret/);
  await refuses(t, await craft(without(`blobs/${whole.attachmentId}`)), new RegExp(`lacks the ${whole.stream.length} bytes of attachment ${whole.attachmentId}`));
  await refuses(t, await craft([...base, { name: `blobs/${'A'.repeat(22)}`, data: Buffer.from('stray') }]), /holds blobs\/A{22}, which its database does not refer to/);
  const db = Buffer.from(base[1]!.data);
  for (let p = 4096; p < db.length; p += 4096) db.fill(0xa5, p, p + 8);
  await refuses(t, await craft(replace('sealbox.db', db)), /failed SQLite's integrity check/);
});

t.test('encrypted: the whole archive, a wrong passphrase, a missing one, a swapped file', async (t) => {
  const file = join(root, 'offsite.sbx');
  const passphrase = 'a long passphrase for the offsite copy ✓';
  const result = await createBackup(services, file, { passphrase });
  t.match(result, { encrypted: true, attachments: 2 });
  const bytes = readFileSync(file);
  t.same(bytes.subarray(0, BACKUP_MAGIC.length), Buffer.from(BACKUP_MAGIC));
  t.equal(bytes.indexOf(readFileSync(join(inst.dir, 'server-secret'))), -1, 'the secret is not in the clear');
  t.equal(bytes.indexOf(Buffer.from('sealbox.db')), -1, 'nor are the names of the entries');
  t.match(await restoreBackup(file, fresh(), { passphrase }), { encrypted: true, attachments: 2, audit: { ok: true } });
  await refuses(t, file, /^wrong passphrase for this backup; nothing was restored$/, { passphrase: 'a long passphrase for the offsite copy ✗' });
  await refuses(t, file, /this backup is encrypted: give its passphrase on standard input with --passphrase-stdin/);
  await refuses(t, archive, /this backup is not encrypted, yet a passphrase was given/, { passphrase });
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.length / 2)]! ^= 1;
  await refuses(t, flipped, /the backup is damaged: a part of it failed authentication/, { passphrase });
  const chunkEnd = BACKUP_HEADER_BYTES + PARAMS.streamHeaderBytes + 2 * (PARAMS.chunkSize + PARAMS.streamChunkOverhead);
  await refuses(t, bytes.subarray(0, chunkEnd), /the backup is damaged: it is cut short; nothing was restored/, { passphrase });
});

t.test('many files: copied and checked a page at a time', async (t) => {
  const many = await makeInstance();
  t.teardown(() => many.close());
  const app = await many.app('reporter');
  const r = new TestReporter(app);
  t.equal((await r.submit('staff', { category: 'OTHER', description: 'many files' })).statusCode, 201);
  const ids: string[] = [];
  many.services.db.transaction(() => {
    for (let i = 0; i < 501; i++) {
      const id = `${String(i).padStart(4, '0')}${'x'.repeat(18)}`;
      many.services.repos.attachments.create({ id, reportId: r.reportId, size: 10, metaNonce: Buffer.alloc(24), metaCiphertext: Buffer.alloc(48), createdAt: '2026-11-28T16:00:00.000Z' });
      many.services.repos.attachments.addReceived(id, 10);
      writeFileSync(join(many.dir, 'blobs', id), Buffer.from(`file ${String(i).padStart(5, '0')}`));
      ids.push(id);
    }
  });
  const file = join(root, 'many.tar');
  t.match(await createBackup(many.services, file), { attachments: 501 });
  const dir = fresh('many');
  t.match(await restoreBackup(file, dir), { attachments: 501 });
  t.same(readdirSync(join(dir, 'blobs')).sort(), ids);
  t.equal(readFileSync(join(dir, 'blobs', ids[500]!)).toString(), 'file 00500');
});

const other = '/dev/shm';
const secondFileSystem = existsSync(other) && statSync(other).dev !== statSync(root).dev;
t.test('moving into a folder on another file system copies', { skip: secondFileSystem ? false : 'no second file system here' }, async (t) => {
  const from = join(root, 'to-move');
  mkdirSync(join(from, 'blobs'), { recursive: true });
  writeFileSync(join(from, 'blobs', 'a'), 'a');
  writeFileSync(join(from, 'server-secret'), 'b', { mode: 0o600 });
  const to = mkdtempSync(join(other, 'sealbox-move-'));
  t.teardown(() => rmSync(to, { recursive: true, force: true }));
  await move(join(from, 'blobs'), join(to, 'blobs'));
  await move(join(from, 'server-secret'), join(to, 'server-secret'));
  t.equal(readFileSync(join(to, 'blobs', 'a')).toString(), 'a');
  t.equal(statSync(join(to, 'server-secret')).mode & 0o777, 0o600);
  t.same(readdirSync(from), [], 'moved, not copied');
  await t.rejects(move(join(from, 'nothing'), join(to, 'nothing')), { code: 'ENOENT' });
});

t.test('a backup that cannot be faithful fails, and leaves nothing', async (t) => {
  const blob = join(inst.dir, 'blobs', whole.attachmentId);
  renameSync(blob, `${blob}.away`);
  await t.rejects(createBackup(services, join(root, 'gap.tar')), { name: 'BackupError', message: /the file of attachment .* is missing from .*run the backup again/ });
  renameSync(`${blob}.away`, blob);
  const content = readFileSync(blob);
  writeFileSync(blob, content.subarray(0, 1000));
  await t.rejects(createBackup(services, join(root, 'gap.tar')), { message: /is shorter than the database says \(1000 < \d+ bytes\)/ });
  writeFileSync(blob, content);
  t.notOk(existsSync(join(root, 'gap.tar')));
  t.same(readdirSync(root).filter((f) => f.includes('partial')), []);
  t.same(readdirSync(inst.dir).filter((f) => f.startsWith('.backup-')), []);
});

t.test('the CLI: sealbox backup and sealbox restore', async (t) => {
  const file = join(root, 'cli.tar');
  const text = await runCli(['backup', file, '--data-dir', inst.dir]);
  t.equal(text.code, 0, text.err);
  t.match(text.out, /^Backup written to .*cli\.tar: \d+ bytes, 2 attachment files\.\nSHA-256 [0-9a-f]{64}\nIt is not encrypted: for a copy that leaves this machine, use --passphrase-stdin\./);
  const again = await runCli(['backup', file, '--data-dir', inst.dir]);
  t.equal(again.code, 1);
  t.match(again.err, /already exists/);
  t.equal((await runCli(['backup', '--data-dir', inst.dir])).code, 2, 'FILE is required');
  t.equal((await runCli(['backup', 'a', 'b', '--data-dir', inst.dir])).code, 2);
  const short = await runCli(['backup', join(root, 'short.sbx'), '--passphrase-stdin', '--data-dir', inst.dir], { stdin: 'too short\n' });
  t.equal(short.code, 1);
  t.match(short.err, /at least 12 characters/);
  t.match((await runCli(['backup', join(root, 'x.tar'), '--data-dir', join(root, 'nothing')])).err, /holds no Sealbox instance/);

  const enc = join(root, 'cli.sbx');
  const passphrase = 'the CLI passphrase, long enough';
  const made = await runCli(['backup', enc, '--passphrase-stdin', '--json', '--data-dir', inst.dir], { stdin: `${passphrase}\n` });
  t.equal(made.code, 0, made.err);
  t.match(JSON.parse(made.out), { file: enc, encrypted: true, attachments: 2, sha256: sha(readFileSync(enc)) });

  const dir = fresh('cli');
  const wrong = await runCli(['restore', enc, '--passphrase-stdin', '--data-dir', dir], { stdin: 'not the passphrase at all\n' });
  t.equal(wrong.code, 1);
  t.match(wrong.err, /sealbox: wrong passphrase for this backup; nothing was restored/);
  t.notOk(existsSync(dir));
  const restored = await runCli(['restore', enc, '--passphrase-stdin', '--json', '--data-dir', dir], { stdin: `${passphrase}\n` });
  t.equal(restored.code, 0, restored.err);
  t.match(JSON.parse(restored.out), { dataDir: dir, encrypted: true, attachments: 2, audit: { ok: true } });
  const refused = await runCli(['restore', file, '--data-dir', dir]);
  t.equal(refused.code, 1);
  t.match(refused.err, /is not empty/);
  const plain = await runCli(['restore', file, '--data-dir', fresh('cli')]);
  t.equal(plain.code, 0, plain.err);
  t.match(plain.out, /^Restored the backup of .* into .* \(2 attachment files\)\.\nAudit trail intact: \d+ events\./);
  t.equal((await runCli(['restore', '--data-dir', fresh('cli')])).code, 2, 'FILE is required');
  t.equal((await runCli(['restore', 'a', 'b'])).code, 2);

  // A broken trail is restored as it is, and said so.
  const first = services.repos.audit.list({ limit: 1 })[0]!;
  services.db.sqlite.prepare("UPDATE audit_events SET actor = 'someone' WHERE seq = 1").run();
  const tampered = join(root, 'tampered.tar');
  t.equal((await runCli(['backup', tampered, '--data-dir', inst.dir])).code, 0);
  services.db.sqlite.prepare('UPDATE audit_events SET actor = ? WHERE seq = 1').run(first.actor);
  const broken = await runCli(['restore', tampered, '--data-dir', fresh('cli')]);
  t.equal(broken.code, 0);
  t.match(broken.out, /Audit trail BROKEN at event 1: hash does not match/);
});

t.test('BackupError is what the CLI reports', async (t) => {
  t.equal(new BackupError('x').name, 'BackupError');
});
