// "Export case" in Node, through the console worker's Vault against a real console app: the ZIP
// holds the transcript (answers, conversation, notes, history), the decrypted files byte for byte
// and SHA256SUMS that match them; a damaged or incomplete file is named, never half there; the
// export is audited. Then `sealbox export --out` writes the same set of files.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import t, { type Test } from 'tap';
import { en } from '../../client/console/i18n/en.js';
import { Vault } from '../../client/console/worker/vault.js';
import type { Questionnaire } from '../../domain/questionnaire.js';
import { totpCode } from '../../server/totp.js';
import { runCli } from '../helpers/cli.js';
import { addUser } from '../helpers/instance.js';
import { attach, cookieHttp, damage, nodeConsole, submitWith } from './console-fixtures.js';

const EVIL = '<script>alert("x")</script>';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** Every file under `dir`, by its path relative to it. */
function walk(dir: string, root = dir): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, walk(path, root));
    else out[relative(root, path)] = new Uint8Array(readFileSync(path));
  }
  return out;
}

/** Checks SHA256SUMS against the files beside it; returns the paths it lists. */
function checkSums(t: Test, files: Record<string, Uint8Array>): string[] {
  const lines = text(files.SHA256SUMS).split('\n').filter(Boolean);
  for (const line of lines) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    t.ok(m, `sha256sum format: ${line}`);
    t.equal(sha256(files[m![2]!]!), m![1], `${m![2]} matches its checksum`);
  }
  return lines.map((l) => l.slice(66)).sort();
}

t.test('the case as a ZIP, and the same files from the CLI', async (t) => {
  const { inst, base, reporterApp } = await nodeConsole(t);
  const { services } = inst;
  const alice = addUser(services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const reporter = await submitWith(reporterApp, 'staff', {
    category: 'EXTORTION', description: `MARKER-DESC held the container ${EVIL}`, people: [{ name: 'MARKER-PERSON' }], identity: { name: 'MARKER-ID' },
  });
  const id = reporter.reportId;
  const ledger = new TextEncoder().encode('MARKER ledger line\n'.repeat(12_000));
  const ledgerId = await attach(reporterApp, reporter, 'ledger.txt', 'text/plain', ledger);
  const emptyId = await attach(reporterApp, reporter, `../${EVIL}.bin`, 'application/octet-stream', new Uint8Array(0));
  const brokenId = await attach(reporterApp, reporter, 'broken.txt', 'text/plain', new TextEncoder().encode('y'.repeat(150_000)));
  damage(inst, brokenId);
  const half = await reporter.declareAttachment('half.pdf', 'application/pdf', new Uint8Array(10));
  await reporter.sendMessage(`MARKER-REPORTER-MSG ${EVIL}`);

  const vault = new Vault(cookieHttp(base));
  inst.clock.advance(30_000);
  await vault.login('alice', alice.passphrase, totpCode(alice.totpSecret, inst.clock.now()));
  await vault.openReport(id);
  await vault.sendMessage(id, 'MARKER-REPLY which port?');
  await vault.addNote(id, `MARKER-NOTE check the roster ${EVIL}`);
  services.repos.settings.set('offices', ['Tema']);
  services.repos.reports.updateTriage(id, { status: 'in_review', office: 'Tema' }, inst.clock.now().toISOString());

  const progress: Array<[number, number]> = [];
  const questionnaire = services.repos.channels.get('staff')!.questionnaire as Questionnaire;
  const archive = await vault.exportCase(id, { labels: en, locale: 'en', questionnaire, channelTitle: 'Customs staff', exportedBy: 'alice' },
    (p) => progress.push([p.received, p.total]));
  t.equal(archive.name, `sealbox-case-${id}.zip`);
  t.equal(archive.files, 2, 'the ledger and the empty file');
  t.equal(archive.blob.type, 'application/zip');
  t.same(progress, [[0, 3], [1, 3], [2, 3], [2, 3]], 'file by file (three complete, one damaged), then the transcript');

  const zip = unzipSync(new Uint8Array(await archive.blob.arrayBuffer()));
  const ledgerPath = `files/${ledgerId}-ledger.txt`;
  const emptyPath = `files/${emptyId}-script_.bin`;
  t.same(Object.keys(zip).sort(), ['SHA256SUMS', emptyPath, ledgerPath, 'transcript.html'].sort(), 'no damaged or incomplete file in it');
  t.same(zip[ledgerPath], ledger, 'the ledger, byte for byte');
  t.equal(zip[emptyPath]!.length, 0);
  t.same(checkSums(t, zip), [emptyPath, ledgerPath, 'transcript.html'].sort(), 'every file is listed');

  const page = text(zip['transcript.html']);
  t.match(page, 'MARKER-DESC held the container &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  t.notMatch(page, /<script/);
  for (const marker of ['MARKER-PERSON', 'MARKER-ID', 'MARKER-REPORTER-MSG', 'MARKER-REPLY which port?', 'MARKER-NOTE check the roster &lt;script&gt;']) {
    t.match(page, marker, `the transcript holds ${marker.slice(0, 24)}`);
  }
  t.match(page, /<p class="meta">alice · /, 'the note names its author');
  t.match(page, /<tr><th scope="row">Customs office<\/th><td>Tema<\/td><\/tr>/);
  t.match(page, /<tr><th scope="row">Channel<\/th><td>Customs staff<\/td><\/tr>/);
  t.match(page, new RegExp(`<td>${sha256(ledger)}</td>|<code>${sha256(ledger)}</code>`), 'the ledger\'s SHA-256 in the transcript');
  t.match(page, /<td dir="auto">broken.txt<\/td>.*\n<td>This file could not be decrypted; it is not in the export\./);
  t.match(page, /<td dir="auto">half.pdf<\/td>.*\n<td>This file was not uploaded completely\./);
  for (const action of ['report.received', 'report.view', 'report.message', 'report.note', 'report.export']) {
    t.match(page, `<code>${action}</code>`, `the history shows ${action}`);
  }
  t.notMatch(page, /attachment\.download/, 'the history is read before the files are fetched');
  t.notMatch(page, /auth\.login/, 'only what concerns the report');

  const exports = services.repos.audit.list({ action: 'report.export', limit: 10 });
  t.equal(exports.length, 1);
  t.match(exports[0], { actor: `user:${alice.id}`, target: id, details: { via: 'console' } });
  const downloads = services.repos.audit.list({ action: 'attachment.download', limit: 10 });
  t.same(downloads.map((e) => (e.details as { attachmentId: string }).attachmentId).sort(), [ledgerId, emptyId, brokenId].sort(), 'each file fetched is audited');
  t.notOk(half.attachmentId === undefined);

  // The CLI writes the same files into a folder.
  const out = mkdtempSync(join(tmpdir(), 'sealbox-case-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const cli = await runCli(['export', id, '--user', 'alice', '--passphrase-stdin', '--out', out, '--json', '--data-dir', inst.dir], { stdin: alice.passphrase });
  t.equal(cli.code, 0, cli.err);
  const doc = JSON.parse(cli.out);
  t.same(doc.attachments.map((a: { id: string; sha256: string | null; damaged?: boolean; complete?: boolean }) => [a.id, a.sha256, a.damaged ?? false, a.complete ?? true]).sort(),
    [[ledgerId, sha256(ledger), false, true], [emptyId, sha256(new Uint8Array(0)), false, true], [brokenId, null, true, true], [half.attachmentId, null, false, false]].sort());
  const written = walk(out);
  t.same(Object.keys(written).sort(), Object.keys(zip).sort(), 'the same set of files as the ZIP');
  t.same(written[ledgerPath], zip[ledgerPath]);
  t.same(checkSums(t, written), [emptyPath, ledgerPath, 'transcript.html'].sort());
  const cliPage = text(written['transcript.html']);
  for (const marker of ['MARKER-DESC held the container &lt;script&gt;', 'MARKER-REPORTER-MSG', 'MARKER-REPLY which port?', 'MARKER-NOTE check the roster', sha256(ledger)]) {
    t.match(cliPage, marker, `the CLI's transcript holds ${marker.slice(0, 24)}`);
  }
  t.notMatch(cliPage, /<script/);
  t.match(cliPage, /Exported by alice on /);
  t.equal(statSync(join(out, ledgerPath)).mode & 0o777, 0o600, 'decrypted files readable by the operator only');
  t.notOk(readdirSync(join(out, 'files')).some((f) => f.endsWith('.part')), 'no partial file left');
  const cliExports = services.repos.audit.list({ action: 'report.export', limit: 10 });
  t.match(cliExports[1], { actor: `user:${alice.id}`, target: id, details: { via: 'cli', files: true } });
  t.match(cliPage, /<code>report\.export<\/code><\/td><td><code>files: true; via: &quot;cli&quot;/, 'the CLI export is in its own history');
  t.match(cliPage, /<code>attachment\.download<\/code>/, 'and so are the console export\'s downloads');
});

t.test('without the internal key, the notes are said to be missing', async (t) => {
  const { inst, base, reporterApp } = await nodeConsole(t);
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const bob = addUser(inst.services, 'bob', ['reviewer'], ['staff'], { kdf: 'real' });
  const reporter = await submitWith(reporterApp, 'staff', { category: 'BRIBERY', description: 'MARKER' });
  const id = reporter.reportId;
  const vault = new Vault(cookieHttp(base));
  inst.clock.advance(30_000);
  await vault.login('alice', alice.passphrase, totpCode(alice.totpSecret, inst.clock.now()));
  await vault.openReport(id);
  await vault.addNote(id, 'MARKER-NOTE');
  // bob's envelope loses its internal key (as after a reset that nobody has handed it back since).
  inst.services.db.sqlite.prepare('UPDATE report_keys SET sealed_internal_key = NULL WHERE key_id = ?').run(bob.keyId);
  const out = mkdtempSync(join(tmpdir(), 'sealbox-case-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const cli = await runCli(['export', id, '--user', 'bob', '--passphrase-stdin', '--out', out, '--data-dir', inst.dir], { stdin: bob.passphrase });
  t.equal(cli.code, 0, cli.err);
  const page = readFileSync(join(out, 'transcript.html'), 'utf8');
  t.match(page, /The internal notes are not in this export/);
  t.notMatch(page, /MARKER-NOTE/);

  const bobVault = new Vault(cookieHttp(base));
  inst.clock.advance(30_000);
  await bobVault.login('bob', bob.passphrase, totpCode(bob.totpSecret, inst.clock.now()));
  const view = await bobVault.openReport(id);
  t.equal(view.notesState, 'waiting');
  const archive = await bobVault.exportCase(id, { labels: en, locale: 'en', questionnaire: undefined, channelTitle: 'staff', exportedBy: 'bob' });
  const zip = unzipSync(new Uint8Array(await archive.blob.arrayBuffer()));
  t.match(text(zip['transcript.html']), /The internal notes are not in this export/);
  t.equal(archive.files, 0);
  await t.rejects(bobVault.exportCase('AAAAAAAAAAAAAAAAAAAAAA', { labels: en, locale: 'en', questionnaire: undefined, channelTitle: '', exportedBy: 'bob' }),
    /the report is not open/, 'only the open report');
});
