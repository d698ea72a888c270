// Attack surface in the dependencies: `npm audit --omit=dev --audit-level=high` must find no high
// or critical advisory in the production dependencies (what `npm ci --omit=dev` would install).
//
// Decision: the audit needs the registry's advisory endpoint. Offline, or behind a registry mirror
// that does not offer it, this test skips and says why rather than fail for want of a network;
// with SEALBOX_REQUIRE_AUDIT=1 (a CI runner with network) that is a failure instead.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';

const ROOT = join(import.meta.dirname, '..', '..');
const SEVERE = ['high', 'critical'] as const;

type AuditOutcome =
  | { ran: true; counts: Record<string, number>; severe: string[] }
  | { ran: false; reason: string };

/** Reads `npm audit --json`: the counts and the packages with a high or critical advisory, or why it did not run. */
function readAudit(stdout: string, stderr = ''): AuditOutcome {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return { ran: false, reason: `npm audit printed no JSON: ${(stderr || stdout).trim().split('\n').at(-1) ?? ''}` };
  }
  const metadata = doc.metadata as { vulnerabilities?: Record<string, number> } | undefined;
  if (!metadata?.vulnerabilities) {
    const error = doc.error as { code?: string; summary?: string } | undefined;
    const why = [doc.message ?? doc.statusCode, error?.code, error?.summary].filter((x) => x !== undefined && x !== '').join(' ');
    return { ran: false, reason: `the advisory database could not be reached: ${why || 'no report'}` };
  }
  const vulnerabilities = (doc.vulnerabilities ?? {}) as Record<string, { severity: string }>;
  const severe = Object.entries(vulnerabilities).filter(([, v]) => (SEVERE as readonly string[]).includes(v.severity)).map(([name, v]) => `${name} (${v.severity})`);
  return { ran: true, counts: metadata.vulnerabilities, severe };
}

function npmAudit(): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Exit code 1 means "advisories found" or "could not audit": the JSON says which.
    execFile('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: ROOT, timeout: 120_000, maxBuffer: 16 << 20 }, (_error, stdout, stderr) => {
      resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

t.test('reading npm audit\'s answers', async (t) => {
  const clean = readAudit(JSON.stringify({ vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 } } }));
  t.match(clean, { ran: true, severe: [] });
  const found = readAudit(JSON.stringify({
    vulnerabilities: { 'left-pad': { severity: 'critical' }, 'is-odd': { severity: 'moderate' }, 'qs': { severity: 'high' } },
    metadata: { vulnerabilities: { moderate: 1, high: 1, critical: 1, total: 3 } },
  }));
  t.match(found, { ran: true, severe: ['left-pad (critical)', 'qs (high)'] }, 'high and critical only');
  const mirror = readAudit(JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405, error: { summary: '' } }));
  t.match(mirror, { ran: false, reason: /could not be reached: 405/ }, 'a mirror without the advisory endpoint');
  const offline = readAudit(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'request to https://registry.npmjs.org failed' } }));
  t.match(offline, { ran: false, reason: /ENOTFOUND/ }, 'no network');
  t.match(readAudit('', 'npm error network'), { ran: false, reason: /no JSON: npm error network/ }, 'no JSON at all');
});

t.test('no high or critical advisory in the production dependencies', async (t) => {
  const { stdout, stderr } = await npmAudit();
  const outcome = readAudit(stdout, stderr);
  if (!outcome.ran) {
    if (process.env.SEALBOX_REQUIRE_AUDIT === '1') {
      t.fail(`npm audit did not run (${outcome.reason}) and SEALBOX_REQUIRE_AUDIT=1`);
      return;
    }
    t.pass('npm audit', { skip: `it did not run, so nothing was checked: ${outcome.reason}. Set SEALBOX_REQUIRE_AUDIT=1 to make this a failure.` });
    return;
  }
  t.comment(`npm audit --omit=dev: ${JSON.stringify(outcome.counts)}`);
  t.same(outcome.severe, [], 'no high or critical advisory');
});
