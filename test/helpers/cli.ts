// Runs the CLI's main() in-process with captured output and a given standard input.
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../cli/main.js';

export async function runCli(argv: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(argv, {
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout, stderr, env: { SEALBOX_LOG_LEVEL: 'silent', ...options.env },
  });
  return { code, out, err };
}
