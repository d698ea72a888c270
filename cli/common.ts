// What every command of the operator CLI shares: the I/O it is given, its error, the usage text,
// argument parsing (a positional that begins with "-" is still the positional), the data folder,
// reading a passphrase or the recovery secret, printing, and opening the instance's services. Commands import this file,
// never cli/main.ts, so that no command reaches the others (nor the decrypting room) through it.
import { basename, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseRecoverySecret, type BoxKeyPair } from '../crypto/index.js';
import { loadConfig } from '../server/config.js';
import { dataPaths, isInitialised } from '../server/instance.js';
import { recoveryKeyOf } from '../server/recipients.js';
import { createServices, type Services } from '../server/services.js';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

/** A failure to report on stderr with an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export const USAGE = `Usage: sealbox <command> [options]

  init [--recovery-key-out FILE] [--json]      make a new instance in the data folder
  serve [--init]                               serve the reporting page and the console
  user add USERNAME --role reviewer|admin|auditor [--channels staff,public] --passphrase-stdin [--json]
  export REPORT_ID --user USERNAME --passphrase-stdin [--out DIR] [--json]
  audit verify [--json]                        check the audit trail's hash chain
  audit export [--since DATE] [--after-seq N]  the audit trail as JSON Lines (for a SIEM) on stdout
  recover --user USERNAME [--json]             seal report keys to USERNAME with the recovery key
                                               (the recovery secret on standard input)
  roster show [--json]                         the unit fingerprint, each channel's members in the
                                               roster, and the members awaiting approval
  roster verify [--json]                       check the roster's signed hash chain from entry 0
  roster approve USERNAME --channel ID [--fingerprint FP] [--json]
                                               sign USERNAME's current keys into the channel's roster
                                               with the root key (the recovery secret on standard input)
  roster init [--yes] [--json]                 put an instance made before the roster under one: lists
                                               today's members; --yes signs the root and them (the
                                               recovery secret on standard input)
  backup FILE [--passphrase-stdin] [--json]    copy the instance (database, secret, files) into
                                               one archive while it runs; encrypted with a passphrase
  restore FILE [--passphrase-stdin] [--json]   check a backup whole, then restore it into the
                                               --data-dir folder, which must be empty or new
  purge [--dry-run] [--json]                   delete closed reports past their retention
                                               (--dry-run lists them and changes nothing)

Every command takes --data-dir DIR (default $SEALBOX_DATA_DIR, else ./data).`;

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Whether `arg` names one of `options` (`--name`, `--name=value`, `-x`). */
function isOption(arg: string, options: OptionSpec): boolean {
  if (arg.startsWith('--')) return Object.hasOwn(options, arg.slice(2).split('=')[0]!);
  return Object.values(options).some((o) => o.short !== undefined && arg === `-${o.short}`);
}

/**
 * Parses a command's arguments. With `leading`, the first argument is the command's positional
 * (REPORT_ID, FILE, USERNAME) even when it begins with "-" and is not an option: a report id is 16
 * random bytes in base64url, and one in 64 begins with "-", which parseArgs alone takes for an
 * option. ("--" before it works as well, as in any command.)
 */
export function parse<T extends OptionSpec>(args: string[], options: T, leading = false) {
  const spec = { ...common, ...options };
  const first = leading && args[0] !== undefined && args[0].startsWith('-') && args[0] !== '--' && !isOption(args[0], spec) ? args[0] : undefined;
  try {
    const parsed = parseArgs({ args: first === undefined ? args : args.slice(1), options: spec, allowPositionals: true, strict: true });
    return first === undefined ? parsed : { ...parsed, positionals: [first, ...parsed.positionals] };
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
}

export function dataDir(values: { 'data-dir'?: string | boolean | undefined }, io: Io): string {
  return resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : io.env.SEALBOX_DATA_DIR ?? './data');
}

export async function readPassphrase(io: Io): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) text += chunk.toString();
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.length === 0) throw new CliError('no passphrase on standard input');
  return passphrase.normalize('NFC');
}

/**
 * The recovery secret typed on standard input (as `sealbox init` showed it), as its key pair. The
 * caller zeroes `secretKey` when done; the typed text is a JavaScript string and cannot be zeroed.
 */
export async function readRecoverySecret(io: Io): Promise<BoxKeyPair> {
  let typed = '';
  for await (const chunk of io.stdin) typed += chunk.toString();
  try {
    return parseRecoverySecret(typed);
  } catch (error) {
    throw new CliError(`recovery key: ${(error as Error).message}`);
  }
}

/** Refuses a recovery secret that is not the one this instance seals every report to. */
export function checkRecoveryKey(services: Services, recovery: BoxKeyPair): void {
  const stored = recoveryKeyOf(services);
  if (!stored) throw new CliError('this instance has no recovery key yet (its first administrator makes one in the setup page)');
  // Without this, a secret from another instance would sign (or open) here as if it were this one's.
  if (!Buffer.from(stored).equals(Buffer.from(recovery.publicKey))) throw new CliError('this is not the instance’s recovery key');
}

export const print = (io: Io, json: boolean, value: unknown, text: string) => io.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);

export function openServices(dir: string, io: Io): Services {
  if (!isInitialised(dataPaths(dir))) throw new CliError(`${dir} holds no Sealbox instance; run "sealbox init" first`);
  return createServices(loadConfig({ ...io.env, SEALBOX_DATA_DIR: dir }));
}

/** A file name that stays inside the output folder and is readable on any system. */
export function safeName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return cleaned || 'attachment';
}

export function toCliError(error: unknown): unknown {
  const e = error as { code?: string; message?: string };
  if (error instanceof CliError) return error;
  if (typeof e.code === 'string' && e.code.startsWith('SBX_')) return new CliError(e.message ?? e.code);
  return error;
}
