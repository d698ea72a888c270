// `sealbox audit export`: JSON Lines that a SIEM can check on its own. The hashes are recomputed
// here from the definition (not with the repository's code), the chain is followed line to line,
// and --since, --after-seq and bad values are tried.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import t from 'tap';
import { parseSince, writeAuditExport } from '../../server/audit-export.js';
import { runCli } from '../helpers/cli.js';
import { makeInstance } from '../helpers/instance.js';

const inst = await makeInstance();
t.teardown(() => inst.close());
const { services, clock } = inst;

// A day of events, then the next day's, with a reporter event (timed to the hour) among them.
services.audit({ actor: 'system', action: 'user.create', target: 'u1', details: { username: 'amal', roles: ['admin'], note: 'é – 👍' } });
services.auditReporterEvent({ action: 'report.received', target: 'r1', details: { channel: 'staff' } });
clock.advance(24 * 3600_000);
const dayTwo = clock.now().toISOString().slice(0, 10);
services.audit({ actor: 'user:u1', action: 'auth.login', target: null });
clock.advance(60_000);
services.audit({ actor: 'user:u1', action: 'report.view', target: 'r1', details: { nested: { b: 1, a: [true, null, 2.5] } } });

interface Line { seq: number; at: string; actor: string; action: string; target: string | null; details: unknown; prevHash: string; hash: string }

/** RFC 8785 for the JSON values the trail holds, written independently of db/repositories/audit.ts. */
function jcs(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${jcs(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const recompute = (l: Line) => createHash('sha256').update(Buffer.from(l.prevHash, 'hex'))
  .update(jcs({ seq: l.seq, at: l.at, actor: l.actor, action: l.action, target: l.target, details: l.details }), 'utf8').digest('hex');

const lines = (out: string): Line[] => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

async function exported(...args: string[]) {
  const r = await runCli(['audit', 'export', '--data-dir', inst.dir, ...args]);
  t.equal(r.code, 0, r.err);
  t.ok(r.out === '' || r.out.endsWith('\n'), 'every line ends with a newline');
  return lines(r.out);
}

t.test('every event, one JSON object per line, verifiable without the server', async (t) => {
  const all = await exported();
  const count = services.db.sqlite.prepare('SELECT count(*) FROM audit_events').pluck().get() as number;
  t.equal(all.length, count, 'one line per event');
  t.same(all.map((l) => l.seq), all.map((_, i) => i + 1), 'oldest first, no gap');
  t.same(Object.keys(all[0]!), ['seq', 'at', 'actor', 'action', 'target', 'details', 'prevHash', 'hash']);
  t.equal(all[0]!.prevHash, '0'.repeat(64), 'the first event chains to 32 zero bytes');
  for (const [i, l] of all.entries()) {
    t.equal(recompute(l), l.hash, `line ${l.seq}: the hash matches its contents`);
    if (i > 0) t.equal(l.prevHash, all[i - 1]!.hash, `line ${l.seq}: chained to the line before`);
  }
  t.match(all.find((l) => l.action === 'user.create'), { actor: 'system', target: 'u1', details: { note: 'é – 👍' } });
  t.match(all.find((l) => l.action === 'report.received'), { actor: 'reporter', at: /T16:00:00\.000Z$/ });
  const verify = await runCli(['audit', 'verify', '--json', '--data-dir', inst.dir]);
  t.same(JSON.parse(verify.out), { ok: true, count });
});

t.test('--since keeps later events; the first line still anchors to the one before', async (t) => {
  const all = await exported();
  const later = await exported('--since', dayTwo);
  t.same(later.map((l) => l.action), ['auth.login', 'report.view']);
  const before = all.find((l) => l.seq === later[0]!.seq - 1)!;
  t.equal(later[0]!.prevHash, before.hash, 'its prevHash is the hash of the event before the range');
  t.equal(later[1]!.prevHash, later[0]!.hash);
  const loginAt = later[0]!.at;
  t.same((await exported('--since', new Date(Date.parse(loginAt) + 1).toISOString())).map((l) => l.action), ['report.view'], 'a time');
  const offset = `${dayTwo}T17:06:00+01:00`; // 16:06 UTC, after the login at 16:05
  t.same((await exported('--since', offset)).map((l) => l.action), ['report.view'], 'a time with an offset');
  t.same(await exported('--since', '2099-01-01'), [], 'nothing after the last event: no output');
  t.same((await exported('--after-seq', String(all.at(-2)!.seq))).map((l) => l.seq), [all.at(-1)!.seq], '--after-seq for increments');
});

t.test('a bad date or option is refused with a clear message and no output', async (t) => {
  for (const bad of ['yesterday', '2026-02-30', '2026-13-01', '2026-11-28T16:00', '28/11/2026', '']) {
    const r = await runCli(['audit', 'export', '--since', bad, '--data-dir', inst.dir]);
    t.equal(r.code, 2, bad);
    t.match(r.err, /--since must be a date \(2026-11-28\) or a time with its zone/, bad);
    t.equal(r.out, '');
  }
  for (const bad of ['--after-seq=-1', '--after-seq=3.5', '--after-seq=x']) {
    const seq = await runCli(['audit', 'export', bad, '--data-dir', inst.dir]);
    t.equal(seq.code, 2, bad);
    t.match(seq.err, /--after-seq must be a sequence number/);
  }
  t.equal((await runCli(['audit', 'export', 'extra', '--data-dir', inst.dir])).code, 2);
  t.equal((await runCli(['audit', 'export', '--until', 'x', '--data-dir', inst.dir])).code, 2, 'unknown option');
  const none = await runCli(['audit', 'export', '--data-dir', `${inst.dir}-missing`]);
  t.equal(none.code, 1);
  t.match(none.err, /holds no Sealbox instance/);
  const usage = await runCli(['audit', 'frob', '--data-dir', inst.dir]);
  t.match(usage.err, /audit takes "verify" or "export"/);
});

t.test('a tampered row is exported as it is, and the SIEM sees it', async (t) => {
  const all = await exported();
  const victim = all.find((l) => l.action === 'auth.login')!;
  services.db.sqlite.prepare("UPDATE audit_events SET actor = 'user:someone-else' WHERE seq = ?").run(victim.seq);
  const again = await exported();
  const changed = again.find((l) => l.seq === victim.seq)!;
  t.equal(changed.actor, 'user:someone-else');
  t.not(recompute(changed), changed.hash, 'the recomputed hash no longer matches');
  services.db.sqlite.prepare('UPDATE audit_events SET actor = ? WHERE seq = ?').run(victim.actor, victim.seq);
});

t.test('long trails go out in batches, in order, waiting for a slow reader', async (t) => {
  for (let i = 0; i < 600; i++) services.audit({ actor: 'system', action: 'report.view', target: String(i) });
  const received: string[] = [];
  let drains = 0;
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      received.push(chunk.toString());
      setImmediate(done);
    },
  });
  slow.on('drain', () => drains++);
  const n = await writeAuditExport(services.repos.audit, slow, { since: `${dayTwo}T00:00:00.000Z` });
  t.equal(n, 602);
  await new Promise<void>((done) => slow.end(done));
  t.equal(received.length, 602);
  t.same(received.slice(2).map((l) => JSON.parse(l).target), Array.from({ length: 600 }, (_, i) => String(i)));
  t.ok(drains > 0, 'it waited for the reader');
});

t.test('parseSince', async (t) => {
  t.equal(parseSince('2026-11-28'), '2026-11-28T00:00:00.000Z');
  t.equal(parseSince('2026-11-28T16:05:00Z'), '2026-11-28T16:05:00.000Z');
  t.equal(parseSince('2026-11-28T16:05Z'), '2026-11-28T16:05:00.000Z');
  t.equal(parseSince('2026-11-28T00:30:00.5-02:00'), '2026-11-28T02:30:00.500Z');
  t.equal(parseSince('2024-02-29'), '2024-02-29T00:00:00.000Z', 'a leap day');
  for (const bad of ['2026-02-29', '2026-11-28T25:00Z', '2026-11-28 16:05Z', 'now', '2026-11-28T16:05:00']) t.equal(parseSince(bad), undefined, bad);
});
