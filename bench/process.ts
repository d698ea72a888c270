// A real server process for the load benchmarks, and what /proc says about it: resident memory,
// CPU time and open file descriptors.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The built server, as `npm start` runs it (the build is part of `npm ci`); tsx only as a fallback.
const BUILT = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const SOURCE = fileURLToPath(new URL('../cli/bin.ts', import.meta.url));
export const SERVER_ARGS = existsSync(BUILT) ? [BUILT] : ['--import', 'tsx', SOURCE];
// SEALBOX_BENCH_PROFILE=DIR writes a V8 CPU profile of the server process into DIR.
export const PROFILE = process.env.SEALBOX_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.SEALBOX_BENCH_PROFILE] : [];
/** USER_HZ: the unit of /proc/PID/stat times; 100 on Linux on every common architecture. */
const CLOCK_TICKS = 100;

/** Environment for a benchmark server: no PoW, ceilings out of the way, quiet log, any free port. */
export const BENCH_ENV = {
  SEALBOX_POW_BITS: '0', SEALBOX_SUBMISSIONS_PER_MINUTE: '1000000', SEALBOX_REPORTER_REQUESTS_PER_MINUTE: '10000000',
  SEALBOX_LOG_LEVEL: 'warn', SEALBOX_REPORT_PORT: '0', SEALBOX_CONSOLE_PORT: '0', SEALBOX_HOST: '127.0.0.1',
};

/** Starts `node args…` and resolves when its stdout matches `ready`. */
export function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const match = ready.exec(text);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}): ${text}`)));
  });
}

/** Starts `sealbox serve` on `dataDir`; resolves with both addresses. */
export async function startServer(dataDir: string): Promise<{ child: ChildProcess; reporter: string; console: string }> {
  const { child, match } = await startProcess([...PROFILE, ...SERVER_ARGS, 'serve', '--data-dir', dataDir], BENCH_ENV,
    /Reporting page: (http:\/\/127\.0\.0\.1:\d+)\/[\s\S]*Review console: (http:\/\/127\.0\.0\.1:\d+)\//);
  return { child, reporter: match[1]!, console: match[2]! };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Resident memory of `pid`, MiB. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** CPU time (user + system) the process has used so far, in ms. */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Open file descriptors of `pid`: sockets (connections, listeners) and the rest (database, WAL, blobs, pipes). */
export function fdsOf(pid: number): { sockets: number; files: number } {
  let sockets = 0;
  let files = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (target.startsWith('socket:')) sockets++;
    else files++;
  }
  return { sockets, files };
}

/** Fails with the body when the status is not `status`; drains the body either way. */
export async function check(res: Response, status: number): Promise<void> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}
