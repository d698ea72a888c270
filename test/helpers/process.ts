// A real server process (the CLI's `serve`, run from the sources), for tests that need a port,
// a crash or a restart. Binds 127.0.0.1 on ports the OS picks.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../cli/bin.ts', import.meta.url));

/**
 * How the child loads TypeScript: the same way as this test process (under tap, tap's own loader
 * and its process-info hook), else tsx. Two loaders would compile the same file to different code,
 * and the coverage both processes write for one file would then be merged over mismatched offsets:
 * the report came out different from run to run, and lower than what the tests cover.
 */
const LOADER = process.execArgv.some((a) => /typescript|tsx/.test(a)) ? process.execArgv : ['--import', 'tsx'];

export interface ServerProcess {
  child: ChildProcess;
  reporterUrl: string;
  consoleUrl: string;
  output(): string;
  /** Sends a signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `sealbox <args>` from the sources and resolves when it exits. */
export function runSealbox(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...LOADER, MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin ?? '');
  });
}

export function startServerProcess(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...LOADER, MAIN, 'serve', '--init', '--data-dir', dataDir], {
    env: { ...process.env, SEALBOX_HOST: '127.0.0.1', SEALBOX_REPORT_PORT: '0', SEALBOX_CONSOLE_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const reporter = /Reporting page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
      const consoleUrl = /Review console: (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
      if (reporter && consoleUrl) {
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
        resolve({
          child,
          reporterUrl: reporter[1]!,
          consoleUrl: consoleUrl[1]!,
          output: () => text,
          stop: (signal = 'SIGTERM') => new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill(signal);
          }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${text}`)));
  });
}

/** A minimal `inject`-shaped client over real HTTP, so the test helpers work against a process. */
export function httpClient(base: string, userAgent = 'sealbox-test') {
  return {
    async inject(opts: { method: string; url: string; headers?: Record<string, string>; payload?: unknown }) {
      const isBytes = opts.payload instanceof Uint8Array;
      const headers: Record<string, string> = { 'user-agent': userAgent, ...opts.headers };
      if (opts.payload !== undefined && !isBytes && !headers['content-type']) headers['content-type'] = 'application/json';
      const res = await fetch(base + opts.url, {
        method: opts.method,
        headers,
        ...(opts.payload === undefined ? {} : { body: isBytes ? (Buffer.from(opts.payload as Uint8Array) as unknown as BodyInit) : JSON.stringify(opts.payload) }),
      });
      const body = Buffer.from(await res.arrayBuffer()).toString();
      return {
        statusCode: res.status,
        body,
        headers: Object.fromEntries(res.headers.entries()),
        json: () => JSON.parse(body),
      };
    },
  };
}
