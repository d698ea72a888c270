// Server throughput: submissions (challenge + submit, PoW off) and follow-ups at 32 concurrent
// clients against a real server process, each beside its limit measured in the same run:
// follow-ups against a bare Fastify route, submissions against a raw better-sqlite3 loop that
// inserts one 4 KiB row per transaction in WAL mode with synchronous=FULL.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import {
  encryptReportContent, fromB64u, generateReceiptCode, deriveReceiptKeys, generateReportKey, ready, receiptTokenHeader,
  sealKey, toB64u, randomBytes,
} from '../crypto/index.js';
import { loadConfig } from '../server/config.js';
import { initInstance } from '../server/init.js';
import { createServices } from '../server/services.js';
import { addUser } from '../test/helpers/instance.js';
import { check, cpuMsOf, percentile, rssOf, startProcess, startServer } from './process.js';
import type { Row, Section } from './table.js';

const CLIENTS = 32;
const SECONDS = Number(process.env.SEALBOX_BENCH_SECONDS ?? 6);

interface LoadResult {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  rssMiB: number;
  /** Server CPU time (user + system) per operation: a figure that the load generator sharing the cores does not skew. */
  cpuMsPerOp: number;
}

/** Runs `op` from CLIENTS concurrent loops for SECONDS; samples the server's RSS meanwhile. */
async function load(pid: number, op: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  const rss: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const sampler = setInterval(() => {
    try {
      rss.push(rssOf(pid));
    } catch {
      clearInterval(sampler); // the process is gone; the load will fail and say why
    }
  }, 250);
  let n = 0;
  const cpu0 = cpuMsOf(pid);
  const start = performance.now();
  try {
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await op(n++);
      latencies.push(performance.now() - t0);
    }
  }));
  } finally {
    clearInterval(sampler);
  }
  const elapsed = (performance.now() - start) / 1000;
  const cpuMsPerOp = (cpuMsOf(pid) - cpu0) / latencies.length;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rssMiB: Math.max(...rss, rssOf(pid)), cpuMsPerOp };
}

/** The raw SQLite limit: one 4 KiB row per transaction, WAL, synchronous=FULL. */
function rawInsertRate(dir: string): { perSecond: number; p50: number; p99: number } {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const tx = db.transaction((b: Buffer) => insert.run(b));
  const body = Buffer.alloc(4096, 7);
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    const t0 = performance.now();
    tx(body);
    latencies.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - start) / 1000;
  db.close();
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const BARE = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/bare', async () => ({ ok: true }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
console.log('listening ' + url);
`;

export async function run(): Promise<Section> {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-bench-'));
  const children: ChildProcess[] = [];
  try {
    initInstance(dir, { recoveryKey: true });
    const setup = createServices(loadConfig({ SEALBOX_DATA_DIR: dir }));
    addUser(setup, 'bench-reviewer', ['reviewer'], ['public', 'staff']);
    setup.close();

    const server = await startServer(dir);
    children.push(server.child);
    const base = server.reporter;
    const pid = server.child.pid!;
    await new Promise((r) => setTimeout(r, 500));
    const idleRss = rssOf(pid);

    // Everything the client can prepare ahead is prepared, so the figure is the server's.
    const channels = await (await fetch(`${base}/api/channels`)).json() as { channels: { id: string; recipients: { keyId: string; publicKey: string }[] }[]; recoveryKey: { keyId: string; publicKey: string } };
    const channel = channels.channels.find((c) => c.id === 'public')!;
    const recipients = [...channel.recipients, channels.recoveryKey];
    const reportKey = generateReportKey();
    const answers = { category: 'BRIBERY', description: 'x'.repeat(3900) };
    const content = encryptReportContent(reportKey, 'bench', { channelId: 'public', locale: 'en', questionnaire: 'customs-default@1', answers, recipients: [], excluded: [] });
    const keys = recipients.map((r) => ({ keyId: r.keyId, sealedKey: sealKey(reportKey, fromB64u(r.publicKey)) }));
    const reporterPublicKey = toB64u(randomBytes(32));
    const reporterSealedKey = sealKey(reportKey, fromB64u(recipients[0]!.publicKey));
    const json = { 'content-type': 'application/json' };

    const submissions = await load(pid, async () => {
      const ch = await fetch(`${base}/api/submissions`, { method: 'POST', headers: json, body: '{"channelId":"public"}' });
      if (ch.status !== 201) throw new Error(`challenge ${ch.status}`);
      const { reportId } = await ch.json() as { reportId: string };
      const body = { reportId, powNonce: 0, channelId: 'public', receiptToken: toB64u(randomBytes(32)), reporterPublicKey, content, keys, reporterSealedKey };
      await check(await fetch(`${base}/api/reports`, { method: 'POST', headers: json, body: JSON.stringify(body) }), 201);
    });

    // Follow-ups read real reports with two messages each.
    const receipts: string[] = [];
    for (let i = 0; i < 64; i++) {
      const code = generateReceiptCode();
      const k = deriveReceiptKeys(code);
      const ch = await (await fetch(`${base}/api/submissions`, { method: 'POST', headers: json, body: '{"channelId":"public"}' })).json() as { reportId: string };
      const body = { reportId: ch.reportId, powNonce: 0, channelId: 'public', receiptToken: toB64u(k.receiptToken), reporterPublicKey: toB64u(k.reporterPublicKey), content, keys, reporterSealedKey };
      await check(await fetch(`${base}/api/reports`, { method: 'POST', headers: json, body: JSON.stringify(body) }), 201);
      receipts.push(receiptTokenHeader(k.receiptToken));
    }
    const followups = await load(pid, async (i) => {
      await check(await fetch(`${base}/api/followup`, { headers: { authorization: receipts[i % receipts.length]! } }), 200);
    });

    const bare = await startProcess(['--input-type=module', '-e', BARE], {}, /listening (http:\/\/127\.0\.0\.1:\d+)/);
    children.push(bare.child);
    const bareRoute = await load(bare.child.pid!, async () => {
      await check(await fetch(`${bare.match[1]}/bare`), 200);
    });
    const raw = rawInsertRate(dir);

    const rate = (r: { perSecond: number }) => `${r.perSecond.toFixed(0)}/s`;
    const lat = (r: { p50: number; p99: number }) => `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} ms`;
    const rows: Row[] = [
      { operation: `submissions (challenge + submit, PoW off), ${CLIENTS} clients`, sealbox: rate(submissions), baseline: rate(raw), ratio: `${(submissions.perSecond / raw.perSecond).toFixed(2)}× (target ≥ 0.50)`, note: 'Baseline: raw better-sqlite3 inserting one 4 KiB row per transaction, WAL, synchronous=FULL, in one process with no HTTP. Each submission is two requests and one such transaction (report row, key envelopes, audit row).' },
      { operation: 'submissions p50 / p99 latency', sealbox: lat(submissions), baseline: lat(raw), ratio: '—' },
      {
        operation: 'submissions against the HTTP ceiling (two bare Fastify requests per submission)',
        sealbox: rate(submissions),
        baseline: `${(bareRoute.perSecond / 2).toFixed(0)}/s`,
        ratio: `${(submissions.perSecond / (bareRoute.perSecond / 2)).toFixed(2)}× (raw loop ÷ HTTP ceiling: ${(raw.perSecond / (bareRoute.perSecond / 2)).toFixed(1)})`,
        note: 'A submission is two requests (challenge, report). When the raw loop runs faster than half the bare route, no server that answers over HTTP can reach 0.5× of it on this machine; this row says how far Sealbox is from what HTTP alone allows.',
      },
      { operation: `follow-ups (GET /api/followup), ${CLIENTS} clients`, sealbox: rate(followups), baseline: rate(bareRoute), ratio: `${(followups.perSecond / bareRoute.perSecond).toFixed(2)}× (target ≥ 0.50)`, note: 'Baseline: a bare Fastify 5 route returning {"ok":true}, in its own process, same load generator.' },
      { operation: 'follow-ups p50 / p99 latency', sealbox: lat(followups), baseline: lat(bareRoute), ratio: '—' },
      { operation: 'server CPU time per operation (user + system)', sealbox: `${submissions.cpuMsPerOp.toFixed(2)} ms / submission, ${followups.cpuMsPerOp.toFixed(2)} ms / follow-up`, baseline: `${bareRoute.cpuMsPerOp.toFixed(2)} ms / bare request`, ratio: '—', note: 'From /proc/PID/stat: what each operation costs the server, whatever else runs on the machine. A submission is two HTTP requests.' },
      { operation: 'server RSS: idle / peak under load', sealbox: `${idleRss.toFixed(0)} / ${Math.max(submissions.rssMiB, followups.rssMiB).toFixed(0)} MiB`, baseline: `— / ${bareRoute.rssMiB.toFixed(0)} MiB`, ratio: '—' },
    ];
    return {
      title: `Server throughput: a real server process, ${CLIENTS} concurrent clients, ${SECONDS} s per run`,
      intro: 'ratio = Sealbox rate ÷ baseline rate (higher is better). The load generator shares the two cores with the server.',
      headers: { sealbox: 'Sealbox', baseline: 'limit (baseline)', ratio: 'ratio' },
      rows,
      notes: [`${submissions.count} submissions and ${followups.count} follow-ups in the timed runs. SEALBOX_BENCH_SECONDS sets the run length.`],
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
