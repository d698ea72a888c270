// Response-time comparison for the timing-attack tests, robust on a loaded 2-core machine: requests
// of two kinds are timed in pairs, in random order within each pair, so that a burst of load from
// elsewhere hits both kinds alike; the statistic is the median of the paired differences.
import { existsSync, accessSync, constants } from 'node:fs';
import type { Test } from 'tap';
import type { Config } from '../../server/config.js';
import { makeInstance, type TestInstance } from '../helpers/instance.js';

/** One kind of request: `prepare` runs untimed and returns the call that is timed. */
export interface Kind {
  name: string;
  prepare(): () => Promise<{ statusCode: number }>;
}

export interface TimingOptions {
  pairs?: number;
  warmup?: number;
  /** The smallest difference the test must tolerate, in microseconds. */
  floorUs?: number;
  /** ... or this fraction of the median response time, whichever is larger. */
  relative?: number;
  /**
   * Also require the share of pairs in which `a` was slower to lie within 0.5 ± band (a sign test:
   * it catches a small but steady difference that the median's tolerance lets through). Off when
   * undefined: one kind may do a little more work by design.
   */
  band?: number;
  /** Attempts before the difference is called real: a load spike can spoil one run, not three. */
  attempts?: number;
}

export interface Timing {
  medianA: number;
  medianB: number;
  /** Median of (time of a − time of b) over the pairs, in microseconds. */
  medianDiff: number;
  tolerance: number;
  /** Share of the pairs in which a was the slower one (0.5 when nothing tells them apart). */
  aSlower: number;
  ok: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function timed(kind: Kind, statuses: Set<number>): Promise<number> {
  const call = kind.prepare();
  const start = process.hrtime.bigint();
  const res = await call();
  const us = Number(process.hrtime.bigint() - start) / 1000;
  statuses.add(res.statusCode);
  return us;
}

type Options = Required<Omit<TimingOptions, 'band'>> & Pick<TimingOptions, 'band'>;

async function measure(a: Kind, b: Kind, o: Options, statuses: [Set<number>, Set<number>]): Promise<Timing> {
  for (let i = 0; i < o.warmup; i++) {
    await timed(a, statuses[0]);
    await timed(b, statuses[1]);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const diffs: number[] = [];
  let aSlower = 0;
  for (let i = 0; i < o.pairs; i++) {
    let x: number;
    let y: number;
    if (Math.random() < 0.5) {
      x = await timed(a, statuses[0]);
      y = await timed(b, statuses[1]);
    } else {
      y = await timed(b, statuses[1]);
      x = await timed(a, statuses[0]);
    }
    ta.push(x);
    tb.push(y);
    diffs.push(x - y);
    if (x > y) aSlower++;
  }
  const medianA = median(ta);
  const medianB = median(tb);
  const medianDiff = median(diffs);
  const tolerance = Math.max(o.floorUs, o.relative * Math.min(medianA, medianB));
  const share = aSlower / o.pairs;
  const ok = Math.abs(medianDiff) <= tolerance && (o.band === undefined || Math.abs(share - 0.5) <= o.band);
  return { medianA, medianB, medianDiff, tolerance, aSlower: share, ok };
}

/**
 * Asserts that requests of kinds `a` and `b` take the same time, within max(floorUs, relative ×
 * median) (and the sign test's band when given), and that each kind always got `status`. Returns
 * the figures of the last attempt.
 */
export async function sameTime(t: Test, what: string, a: Kind, b: Kind, status: [number, number], options: TimingOptions = {}): Promise<Timing> {
  const o: Options = { pairs: 800, warmup: 100, floorUs: 60, relative: 0.12, attempts: 3, ...options };
  let result: Timing | undefined;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    const statuses: [Set<number>, Set<number>] = [new Set(), new Set()];
    result = await measure(a, b, o, statuses);
    t.same([...statuses[0]], [status[0]], `${what}: ${a.name} always answers ${status[0]}`);
    t.same([...statuses[1]], [status[1]], `${what}: ${b.name} always answers ${status[1]}`);
    t.comment(`${what}, attempt ${attempt}: median ${a.name} ${result.medianA.toFixed(0)} µs, ${b.name} ${result.medianB.toFixed(0)} µs, `
      + `median paired difference ${result.medianDiff.toFixed(1)} µs (tolerance ${result.tolerance.toFixed(0)} µs), ${a.name} slower in ${(result.aSlower * 100).toFixed(1)} % of ${o.pairs} pairs`);
    if (result.ok) break;
  }
  const sign = o.band === undefined ? '' : `, ${a.name} slower in ${(result!.aSlower * 100).toFixed(1)} % of pairs (50 ± ${o.band * 100} %)`;
  t.ok(result!.ok, `${what}: ${a.name} and ${b.name} take the same time (|${result!.medianDiff.toFixed(1)}| ≤ ${result!.tolerance.toFixed(0)} µs${sign})`);
  return result!;
}

/**
 * An instance on a memory file system when there is one: there a commit costs no disk flush, whose
 * noise (milliseconds) would hide the CPU work that differs between two kinds of request (tens of
 * microseconds). Both kinds commit alike, which the tests check separately.
 */
export async function timingInstance(t: Test, overrides: Partial<Config> = {}): Promise<TestInstance> {
  const shm = '/dev/shm';
  let memory = false;
  try {
    accessSync(shm, constants.W_OK);
    memory = existsSync(shm);
  } catch {
    memory = false;
  }
  const saved = process.env.TMPDIR;
  if (memory) process.env.TMPDIR = shm;
  try {
    const inst = await makeInstance(overrides);
    t.teardown(() => inst.close());
    t.comment(`timing instance in ${memory ? shm : 'the default temporary folder'}`);
    return inst;
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}
