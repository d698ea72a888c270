// Waiting in tests, the one way every suite does it: for a condition, with a bound that fails the
// test by naming what never came, and for a stretch in which something must NOT change. No test
// polls or sleeps on its own, so none can hang on a condition that never comes.
import { isDeepStrictEqual } from 'node:util';

export interface WaitOptions {
  /** What is awaited, for the failure message ("timed out after 5000 ms waiting for <what>"). */
  what: string;
  /** Gives up after this long (default 10 s); the test then fails with the message above. */
  timeoutMs?: number;
  /** How often the condition is checked (default 5 ms); 0 checks on every turn of the event loop. */
  intervalMs?: number;
}

export type UnchangedOptions = { what: string; intervalMs?: number } & ({ forMs: number } | { turns: number });

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 5;

const pause = (ms: number): Promise<void> => new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/**
 * A timer that says when `ms` have passed. Being a timer, it fires after every timer that was due
 * before it (the code under test's own, say), so a check made once it has fired sees their work,
 * even on a machine so busy that the event loop ran late.
 */
function alarm(ms: number): { rung: () => boolean; stop: () => void } {
  let rung = false;
  const timer = setTimeout(() => (rung = true), ms);
  return { rung: () => rung, stop: () => clearTimeout(timer) };
}

/**
 * Resolves as soon as `condition` holds (checked at once, then every `intervalMs`); throws once
 * `timeoutMs` have passed without it, after one last check. An error the condition throws ends
 * the wait with that error.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, options: WaitOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const deadline = alarm(timeoutMs);
  try {
    for (;;) {
      const late = deadline.rung();
      if (await condition()) return;
      if (late) throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}`);
      await pause(interval);
    }
  } finally {
    deadline.stop();
  }
}

/**
 * Checks that `read()` gives the same value (deep equality) throughout `forMs` milliseconds, or
 * `turns` turns of the event loop, and resolves with that value; throws, naming the change, as
 * soon as it differs. For asserting that something does NOT happen (a timer that must not fire, a
 * job that must leave a row alone) without a bare sleep. The last check comes once the stretch is
 * over, never before.
 */
export async function unchanged<T>(read: () => T, options: UnchangedOptions): Promise<T> {
  const first = read();
  const check = (when: string) => {
    const now = read();
    if (!isDeepStrictEqual(now, first)) {
      throw new Error(`${options.what} changed ${when}: it was ${JSON.stringify(first)}, then ${JSON.stringify(now)}`);
    }
  };
  if ('turns' in options) {
    for (let turn = 1; turn <= options.turns; turn++) {
      await pause(0);
      check(`after ${turn} turn(s) of the event loop`);
    }
    return first;
  }
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const started = performance.now();
  const end = alarm(options.forMs);
  try {
    let over: boolean;
    do {
      over = end.rung();
      if (!over) await pause(interval);
      check(`within ${Math.round(performance.now() - started)} ms`);
    } while (!over);
  } finally {
    end.stop();
  }
  return first;
}
