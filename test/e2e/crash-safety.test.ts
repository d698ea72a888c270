// An acknowledged submission survives kill -9: a stream of submissions goes to a real server
// process, which is killed with SIGKILL mid-stream; after a restart every report that got its 201
// is there and decrypts with its receipt, and no half-written report is in a reviewer's inbox:
// every report listed has its content and every key envelope, and the reviewer can decrypt it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { decryptReportContent, keyIdOf, openSealedKey, ready, toB64u } from '../../crypto/index.js';
import { loadConfig } from '../../server/config.js';
import { initInstance } from '../../server/init.js';
import { recoveryKeyOf } from '../../server/recipients.js';
import { createServices } from '../../server/services.js';
import { addUser, knowRecoverySecret } from '../helpers/instance.js';
import { httpClient, startServerProcess } from '../helpers/process.js';
import { TestReporter } from '../helpers/reporter.js';
import { waitFor } from '../helpers/wait.js';

await ready;
const dir = mkdtempSync(join(tmpdir(), 'sealbox-crash-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const init = initInstance(dir, { recoveryKey: true });
const setup = knowRecoverySecret(createServices(loadConfig({ SEALBOX_DATA_DIR: dir })), init.recoverySecret);
const amina = addUser(setup, 'amina', ['reviewer'], ['public', 'staff']);
setup.close();

const env = { SEALBOX_POW_BITS: '0', SEALBOX_LOG_LEVEL: 'warn' };

t.test('every 201 survives SIGKILL', async (t) => {
  const server = await startServerProcess(dir, env);
  t.teardown(() => server.stop('SIGKILL'));
  const client = httpClient(server.reporterUrl);
  const acknowledged: { reporter: TestReporter; marker: string }[] = [];
  let stopped = false;
  let attempts = 0;
  const worker = async (w: number) => {
    for (let i = 0; !stopped; i++) {
      const reporter = new TestReporter(client);
      const marker = `crash-${w}-${i}`;
      attempts++;
      try {
        const res = await reporter.submit('public', { category: 'BRIBERY', description: marker });
        if (res.statusCode === 201) acknowledged.push({ reporter, marker });
      } catch {
        return; // the connection died with the server
      }
    }
  };
  const workers = [0, 1, 2, 3].map(worker);
  // Kill in the middle of the stream, once a good number of reports have been acknowledged.
  await waitFor(() => acknowledged.length >= 40, { what: '40 acknowledged submissions before the kill', timeoutMs: 60_000, intervalMs: 0 });
  await server.stop('SIGKILL');
  stopped = true;
  await Promise.all(workers);
  t.ok(acknowledged.length >= 40, `${acknowledged.length} acknowledged of ${attempts} attempted before the kill`);

  const again = await startServerProcess(dir, env);
  t.teardown(() => again.stop());
  const after = httpClient(again.reporterUrl);
  let intact = 0;
  for (const { reporter, marker } of acknowledged) {
    const read = await new TestReporter(after, reporter.code).read();
    if (read.content.answers.description === marker) intact++;
  }
  t.equal(intact, acknowledged.length, 'every acknowledged report is present and decrypts');

  // What a reviewer sees: the inbox lists only whole reports (a report row without its content or
  // its envelopes would be an entry nobody can open).
  const check = createServices(loadConfig({ SEALBOX_DATA_DIR: dir }));
  t.teardown(() => check.close());
  const recoveryKeyId = keyIdOf(recoveryKeyOf(check)!);
  const inbox = check.repos.reports.list({ viewerId: amina.id, channelIds: ['public', 'staff'], limit: 100_000 }).reports;
  const listed = new Set(inbox.map((r) => r.id));
  t.ok(acknowledged.every(({ reporter }) => listed.has(reporter.reportId)), 'every acknowledged report is in the inbox');
  t.ok(inbox.length <= attempts, `${inbox.length} reports listed, of ${attempts} attempted (those in flight at the kill are whole or absent)`);
  let whole = 0;
  for (const item of inbox) {
    const report = check.repos.reports.byId(item.id);
    const keyIds = check.repos.reports.keys(item.id).map((k) => k.keyId).sort();
    const envelope = check.repos.reports.key(item.id, amina.keyId);
    if (!report || !envelope || keyIds.join() !== [amina.keyId, recoveryKeyId].sort().join()) continue;
    const content = decryptReportContent(openSealedKey(toB64u(envelope.sealedKey), amina.secrets.box), item.id, {
      nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext),
    });
    if (String(content.answers.description).startsWith('crash-')) whole++;
  }
  t.equal(whole, inbox.length, 'every report in the inbox has its content and every envelope, and the reviewer decrypts it');
  const rows = check.db.sqlite.prepare('SELECT (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM report_contents) AS contents').get() as { reports: number; contents: number };
  t.same(rows, { reports: inbox.length, contents: inbox.length }, 'no report row without its content, none outside the inbox');
  t.equal(check.db.sqlite.pragma('integrity_check', { simple: true }), 'ok', 'the database is intact');
  await again.stop();
});
