// An acknowledged submission survives kill -9: a stream of submissions goes to a real server
// process, which is killed with SIGKILL mid-stream; after a restart every report that got its 201
// is there and decrypts with its receipt.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ready } from '../../crypto/index.js';
import { loadConfig } from '../../server/config.js';
import { initInstance } from '../../server/init.js';
import { createServices } from '../../server/services.js';
import { addUser } from '../helpers/instance.js';
import { httpClient, startServerProcess } from '../helpers/process.js';
import { TestReporter } from '../helpers/reporter.js';

await ready;
const dir = mkdtempSync(join(tmpdir(), 'sealbox-crash-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
initInstance(dir, { recoveryKey: true });
const setup = createServices(loadConfig({ SEALBOX_DATA_DIR: dir }));
addUser(setup, 'amina', ['reviewer'], ['public', 'staff']);
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
  while (acknowledged.length < 40) await new Promise((r) => setImmediate(r));
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
  await again.stop();
});
