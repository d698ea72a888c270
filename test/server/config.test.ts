// Configuration from the environment: defaults, parsing, and a clear error for a bad value.
import { resolve } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../server/config.js';

t.test('defaults', async (t) => {
  const c = loadConfig({});
  t.same(c, {
    dataDir: resolve('./data'),
    host: '127.0.0.1',
    reportPort: 8080,
    consolePort: 8081,
    powBits: 18,
    submissionsPerMinute: 120,
      reporterRequestsPerMinute: 30_000,
    trustProxy: false,
    logLevel: 'info',
    challengeTtlMs: 3600_000,
    uploadTtlMs: 24 * 3600_000,
    sessionIdleMs: 30 * 60_000,
  });
  t.notOk('publicUrl' in c || 'consoleUrl' in c || 'onionUrl' in c, 'no URL unless one is given');
  t.equal(loadConfig().dataDir, resolve(process.env.SEALBOX_DATA_DIR ?? './data'), 'process.env by default');
});

t.test('every variable is read and parsed', async (t) => {
  const c = loadConfig({
    SEALBOX_DATA_DIR: '/srv/sealbox',
    SEALBOX_HOST: '0.0.0.0',
    SEALBOX_REPORT_PORT: '9080',
    SEALBOX_CONSOLE_PORT: '0',
    SEALBOX_POW_BITS: '0',
    SEALBOX_SUBMISSIONS_PER_MINUTE: '600',
    SEALBOX_REPORTER_REQUESTS_PER_MINUTE: '9000',
    SEALBOX_TRUST_PROXY: 'true',
    SEALBOX_LOG_LEVEL: 'silent',
    SEALBOX_PUBLIC_URL: 'https://report.example.org/',
    SEALBOX_CONSOLE_URL: 'https://console.example.org/',
    SEALBOX_ONION_URL: 'http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/',
    UNRELATED: 'ignored',
  });
  t.match(c, {
    dataDir: '/srv/sealbox', host: '0.0.0.0', reportPort: 9080, consolePort: 0, powBits: 0, submissionsPerMinute: 600, reporterRequestsPerMinute: 9000, trustProxy: true, logLevel: 'silent',
    publicUrl: 'https://report.example.org/', consoleUrl: 'https://console.example.org/',
    onionUrl: 'http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/',
  });
  t.equal(loadConfig({ SEALBOX_DATA_DIR: 'rel/dir' }).dataDir, resolve('rel/dir'), 'the data folder is made absolute');
  for (const [v, want] of [['1', true], ['true', true], ['0', false], ['false', false]] as const) {
    t.equal(loadConfig({ SEALBOX_TRUST_PROXY: v }).trustProxy, want, `SEALBOX_TRUST_PROXY=${v}`);
  }
  t.equal(loadConfig({ SEALBOX_POW_BITS: '32' }).powBits, 32);
});

t.test('overrides win over the environment', async (t) => {
  const c = loadConfig({ SEALBOX_POW_BITS: '20' }, { powBits: 0, challengeTtlMs: 1000, onionUrl: 'http://x.onion/' });
  t.equal(c.powBits, 0);
  t.equal(c.challengeTtlMs, 1000);
  t.equal(c.onionUrl, 'http://x.onion/');
});

t.test('bad values throw, naming the variable (never a default in silence)', async (t) => {
  const bad: [string, string][] = [
    ['SEALBOX_REPORT_PORT', '65536'], ['SEALBOX_REPORT_PORT', '-1'], ['SEALBOX_REPORT_PORT', 'http'], ['SEALBOX_REPORT_PORT', '80.5'],
    ['SEALBOX_CONSOLE_PORT', '1e6'],
    ['SEALBOX_POW_BITS', '33'], ['SEALBOX_POW_BITS', '-1'], ['SEALBOX_POW_BITS', '1.5'], ['SEALBOX_POW_BITS', 'many'],
    ['SEALBOX_SUBMISSIONS_PER_MINUTE', '0'], ['SEALBOX_SUBMISSIONS_PER_MINUTE', '2.5'], ['SEALBOX_SUBMISSIONS_PER_MINUTE', 'lots'], ['SEALBOX_REPORTER_REQUESTS_PER_MINUTE', '0'],
    ['SEALBOX_TRUST_PROXY', 'yes'], ['SEALBOX_TRUST_PROXY', 'TRUE'], ['SEALBOX_TRUST_PROXY', ''],
    ['SEALBOX_LOG_LEVEL', 'verbose'], ['SEALBOX_LOG_LEVEL', 'trace'],
    ['SEALBOX_PUBLIC_URL', 'not a url'], ['SEALBOX_CONSOLE_URL', 'example.org'], ['SEALBOX_ONION_URL', '//x.onion'],
    ['SEALBOX_DATA_DIR', ''], ['SEALBOX_HOST', ''],
  ];
  for (const [name, value] of bad) {
    t.throws(() => loadConfig({ [name]: value }), { message: new RegExp(`^configuration: ${name}: `) }, `${name}=${JSON.stringify(value)}`);
  }
});
