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

/**
 * Page-side JavaScript (a string, evaluated in the page): starts the reporting page's own worker as
 * `worker` and defines `call(op, args)`, which sends one request and resolves with its answer.
 */
export const PAGE_WORKER = `const url = document.querySelector('meta[name="sbx-worker"]').content;
  const worker = new Worker(url, { type: 'module' });
  let next = 1;
  const call = (op, args = {}) => new Promise((resolve, reject) => {
    const id = next++;
    const listener = (e) => {
      if (e.data.id !== id || 'progress' in e.data) return;
      worker.removeEventListener('message', listener);
      if (e.data.ok) resolve(e.data.value); else reject(new Error(e.data.error.message));
    };
    worker.addEventListener('message', listener);
    worker.postMessage({ id, op, ...args });
  });`;
