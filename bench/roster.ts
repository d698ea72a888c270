// What the roster costs (PROTOCOL.md §9): a roster of 1,000 entries verified by the reporting
// page's worker in Chromium (the `channels` call: GET /api/channels, GET /api/roster, every
// signature and hash from seq 0, the recipients filtered), against the same call over a roster of
// one entry; the same verification in Node; and the roster's bytes on the wire.
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import {
  entryHash, generateUserSecrets, keyIdOf, parseRecoverySecret, rootKeysOf, signEntry, toB64u, verifyRoster, type RosterEntry, type SignedEntry,
} from '../crypto/index.js';
import { launchBrowser, startReporterServer } from '../test/helpers/browser.js';
import { fmtMs, fmtRatio, median, PAGE_WORKER } from './measure.js';
import type { Section } from './table.js';

const ENTRIES = 1000;
const RUNS = 7;

/** In the page: the page's own worker asked for the verified channels, timed from the call to the answer. */
const IN_PAGE = `async (runs) => {
  ${PAGE_WORKER}
  await call('channels');
  const times = [];
  let verdict;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    verdict = (await call('channels')).roster;
    times.push(performance.now() - start);
  }
  worker.terminate();
  return { times, ok: verdict.ok, entries: verdict.entries };
}`;

/** Grows the instance's roster to `total` entries: adds, then rekeys, signed by the root, stored as they are. */
function grow(server: Awaited<ReturnType<typeof startReporterServer>>, total: number): void {
  const { services, recoverySecret } = server.inst;
  const root = rootKeysOf(parseRecoverySecret(recoverySecret).secretKey);
  const entries = services.repos.roster.entries();
  let last: SignedEntry = entries.at(-1)!;
  const users = Array.from({ length: 250 }, (_, i) => ({ userId: `bench-user-${String(i).padStart(11, '0')}`, label: `member ${i}` }));
  for (let seq = entries.length, n = 0; seq < total; seq++, n++) {
    const u = users[n % users.length]!;
    const keys = generateUserSecrets();
    const entry = {
      v: 1, seq, prev: toB64u(entryHash(last)), at: new Date().toISOString(), by: keyIdOf(root.publicKey),
      op: n < users.length * 2 ? 'add' : 'rekey', channel: n % (users.length * 2) < users.length ? 'public' : 'bench',
      member: { ...u, boxPublicKey: toB64u(keys.box.publicKey), signPublicKey: toB64u(keys.sign.publicKey) },
    } as RosterEntry;
    if (entry.op === 'rekey') (entry as { channel: string }).channel = n % 2 === 0 ? 'public' : 'bench';
    last = signEntry(entry, root.secretKey);
    // Checked once as a whole below; appending through the route's check would verify the roster 1,000 times.
    services.repos.roster.append(last);
  }
  const checked = verifyRoster(services.repos.roster.entries());
  if (!checked.ok) throw new Error(`the benchmark roster does not verify: ${checked.reason}`);
}

async function pageTimes(server: Awaited<ReturnType<typeof startReporterServer>>, browser: Awaited<ReturnType<typeof launchBrowser>>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  const result = await page.evaluate(`(${IN_PAGE})(${RUNS})`) as { times: number[]; ok: boolean; entries: number };
  await context.close();
  if (!result.ok) throw new Error('the page did not verify the roster');
  return result;
}

export async function run(): Promise<Section> {
  const browser = await launchBrowser();
  const small = await startReporterServer();
  const large = await startReporterServer();
  try {
    const base = await pageTimes(small, browser);
    grow(large, ENTRIES);
    const big = await pageTimes(large, browser);
    const body = (await (await fetch(`${large.url}/api/roster`)).arrayBuffer());
    const bytes = body.byteLength;
    const gz = gzipSync(Buffer.from(body), { level: 9 }).length;
    const entries = large.inst.services.repos.roster.entries();
    const node: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      verifyRoster(entries);
      node.push(performance.now() - start);
    }
    const pageMs = median(big.times);
    const baseMs = median(base.times);
    return {
      title: 'The roster (PROTOCOL.md §9): verifying it on the reporting page',
      intro: `A roster of ${big.entries} entries (the root, adds for 250 members in two channels, then rekeys), against the ${base.entries}-entry roster `
        + 'of a small instance. Ratio: the large roster over the small one.',
      headers: { baseline: 'small roster', ratio: 'ratio' },
      rows: [
        { operation: `page worker, channels + roster fetched and verified, ${big.entries} entries, median of ${RUNS} (Chromium)`, sealbox: fmtMs(pageMs),
          baseline: fmtMs(baseMs), ratio: fmtRatio(pageMs, baseMs),
          note: `Runs: ${big.times.map((m) => fmtMs(m)).join(', ')}. Each entry: one Ed25519 verification and two BLAKE2b hashes over its canonical JSON, in libsodium's WebAssembly.` },
        { operation: `verifyRoster in Node, ${entries.length} entries, median of ${RUNS}`, sealbox: fmtMs(median(node)), baseline: '—', ratio: '—' },
        { operation: `GET /api/roster body, ${entries.length} entries`, sealbox: `${(bytes / 1024).toFixed(0)} KiB`, baseline: '—', ratio: '—',
          note: `${(bytes / entries.length).toFixed(0)} bytes an entry; ${(gz / 1024).toFixed(0)} KiB with gzip -9 (the server sends it uncompressed; a reverse proxy may compress it).` },
      ],
    };
  } finally {
    await browser.close();
    await small.close();
    await large.close();
  }
}
