// Timing and formatting helpers shared by the benchmark sections.
import { performance } from 'node:perf_hooks';

/** Runs `fn` `warmup` times untimed, then `runs` times; returns each run's duration in ms. */
export async function sample(runs: number, fn: () => unknown, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Three significant figures, in µs, ms or s as fits. */
export function fmtMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

/** Bytes per second as MB/s (10^6 bytes). */
export const fmtMBps = (bytes: number, ms: number): string => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;

/** A rate with a k/M multiplier: `1.23 M hash/s`. */
export function fmtRate(perSecond: number, unit: string): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toPrecision(3)} M ${unit}/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toPrecision(3)} k ${unit}/s`;
  return `${perSecond.toPrecision(3)} ${unit}/s`;
}

/** `sealbox / baseline` as `2.31×`. */
export const fmtRatio = (sealbox: number, baseline: number): string => `${(sealbox / baseline).toFixed(2)}×`;
