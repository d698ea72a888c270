// `sealbox purge [--dry-run] [--json]` on an instance made by `sealbox init`: the dry run lists and
// changes nothing, the real run deletes, and the audit chain still verifies afterwards.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ready } from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { DAY_MS } from '../../server/retention.js';
import { createServices } from '../../server/services.js';
import { addMs, iso } from '../../server/time.js';
import { runCli } from '../helpers/cli.js';
import { fingerprint, quietUser, submitReport } from './routes/console-fixtures.js';

await ready;
const root = mkdtempSync(join(tmpdir(), 'sealbox-purge-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const dir = join(root, 'data');
if ((await runCli(['init', '--data-dir', dir, '--json'])).code !== 0) throw new Error('sealbox init failed');

// The CLI runs on the system clock: reports are closed with dates in the past.
const services = createServices(loadConfig({ SEALBOX_DATA_DIR: dir, SEALBOX_POW_BITS: '0', SEALBOX_LOG_LEVEL: 'silent' }));
const reporterApp = await buildApp('reporter', services);
t.teardown(async () => {
  await reporterApp.close();
  services.close();
});
quietUser(services, 'amina', ['reviewer'], ['staff', 'public']);
const closeDaysAgo = (id: string, days: number, outcome: 'no_action' | 'spam' = 'no_action') =>
  services.repos.reports.updateTriage(id, { status: 'closed', outcome, closedAt: iso(addMs(new Date(), -days * DAY_MS)) }, iso(new Date()));

const old = await submitReport(reporterApp, 'staff');
const file = await old.declareAttachment('scan.png', 'image/png', Buffer.alloc(5000, 3));
await reporterApp.inject({ method: 'PUT', url: `/api/followup/attachments/${file.attachmentId}`, headers: { ...old.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(file.stream) });
const spam = await submitReport(reporterApp, 'public');
const young = await submitReport(reporterApp, 'staff');
const open = await submitReport(reporterApp, 'staff');
closeDaysAgo(old.reportId, 366);
closeDaysAgo(spam.reportId, 31, 'spam');
closeDaysAgo(young.reportId, 364);
const blob = services.blobs.path(file.attachmentId);

t.test('--dry-run --json lists the due reports and changes nothing', async (t) => {
  t.ok(existsSync(blob));
  const before = fingerprint(services);
  const r = await runCli(['purge', '--dry-run', '--json', '--data-dir', dir]);
  t.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  t.equal(out.dryRun, true);
  t.same(out.reports.map((x: { id: string }) => x.id), [old.reportId, spam.reportId], 'oldest closure first');
  t.match(out.reports[0], { channelId: 'staff', attachments: 1 });
  t.same(out.counts, { reports: 2, attachments: 1, blobs: 1 });
  t.equal(fingerprint(services), before, 'nothing changed');

  const human = await runCli(['purge', '--dry-run', '--data-dir', dir]);
  t.match(human.out, /2 reports are due for deletion \(1 files\); nothing was changed\./);
  t.match(human.out, old.reportId);
  t.equal(fingerprint(services), before);
});

t.test('--json deletes them and prints what it deleted', async (t) => {
  const r = await runCli(['purge', '--json', '--data-dir', dir]);
  t.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  t.equal(out.dryRun, false);
  t.same(out.reports.map((x: { id: string }) => x.id), [old.reportId, spam.reportId]);
  t.same(out.counts, { reports: 2, attachments: 1, blobs: 1 });
  t.notOk(services.repos.reports.byId(old.reportId));
  t.notOk(services.repos.reports.byId(spam.reportId));
  t.notOk(existsSync(blob), 'its file is gone');
  t.ok(services.repos.reports.byId(young.reportId), 'closed 364 days ago: stays');
  t.ok(services.repos.reports.byId(open.reportId), 'open: stays');
  t.same(services.repos.audit.list({ action: 'report.purged', limit: 10 }).map((e) => e.target), [old.reportId, spam.reportId]);

  const verify = await runCli(['audit', 'verify', '--json', '--data-dir', dir]);
  t.equal(verify.code, 0, 'the audit chain still verifies');
  t.equal(JSON.parse(verify.out).ok, true);

  const again = await runCli(['purge', '--data-dir', dir]);
  t.equal(again.code, 0);
  t.match(again.out, /Deleted 0 reports and 0 files\./);
});

t.test('usage errors', async (t) => {
  const extra = await runCli(['purge', 'now', '--data-dir', dir]);
  t.equal(extra.code, 2);
  t.match(extra.err, /purge takes no arguments/);
  t.equal((await runCli(['purge', '--force', '--data-dir', dir])).code, 2, 'unknown option');
  const none = await runCli(['purge', '--data-dir', join(root, 'nothing')]);
  t.equal(none.code, 1);
  t.match(none.err, /holds no Sealbox instance/);
  t.match((await runCli(['--help'])).out, /purge \[--dry-run\] \[--json\]/);
});
