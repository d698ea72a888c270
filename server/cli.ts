// The operator CLI (PROTOCOL.md §7): `sealbox init | serve | user add | export | audit verify | recover | purge`.
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  decryptReportContent, deriveUserKeys, generateUserSecrets, keyIdOf, newKdfParams, openKeyBundle, openSealedKey, parseRecoverySecret, ready, sealKey,
  sealKeyBundle, toB64u, fromB64u,
  type UserSecrets,
} from '../crypto/index.js';
import { ROLES, type Role } from '../db/schema.js';
import { loadConfig } from './config.js';
import { parseSince, writeAuditExport } from './audit-export.js';
import { BackupError, createBackup, restoreBackup } from './backup.js';
import { CaseExportError, exportReport } from './case-export.js';
import { AlreadyInitialisedError, initInstance } from './init.js';
import { dataPaths, isInitialised } from './instance.js';
import { recoveryKeyOf } from './recipients.js';
import { purgeExpired } from './retention.js';
import { createServices, type Services } from './services.js';
import { newTotpSecret, totpUri } from './totp.js';
import { createUser } from './users.js';

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

const USAGE = `Usage: sealbox <command> [options]

  init [--recovery-key-out FILE] [--json]      make a new instance in the data folder
  serve [--init]                               serve the reporting page and the console
  user add USERNAME --role reviewer|admin|auditor [--channels staff,public] --passphrase-stdin [--json]
  export REPORT_ID --user USERNAME --passphrase-stdin [--out DIR] [--json]
  audit verify [--json]                        check the audit trail's hash chain
  audit export [--since DATE] [--after-seq N]  the audit trail as JSON Lines (for a SIEM) on stdout
  recover --user USERNAME [--json]             seal report keys to USERNAME with the recovery key
                                               (the recovery secret on standard input)
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
function parse<T extends OptionSpec>(args: string[], options: T, leading = false) {
  const spec = { ...common, ...options };
  const first = leading && args[0] !== undefined && args[0].startsWith('-') && args[0] !== '--' && !isOption(args[0], spec) ? args[0] : undefined;
  try {
    const parsed = parseArgs({ args: first === undefined ? args : args.slice(1), options: spec, allowPositionals: true, strict: true });
    return first === undefined ? parsed : { ...parsed, positionals: [first, ...parsed.positionals] };
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
}

function dataDir(values: { 'data-dir'?: string | boolean | undefined }, io: Io): string {
  return resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : io.env.SEALBOX_DATA_DIR ?? './data');
}

async function readPassphrase(io: Io): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) text += chunk.toString();
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.length === 0) throw new CliError('no passphrase on standard input');
  return passphrase.normalize('NFC');
}

const print = (io: Io, json: boolean, value: unknown, text: string) => io.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);

function openServices(dir: string, io: Io): Services {
  if (!isInitialised(dataPaths(dir))) throw new CliError(`${dir} holds no Sealbox instance; run "sealbox init" first`);
  return createServices(loadConfig({ ...io.env, SEALBOX_DATA_DIR: dir }));
}

async function cmdInit(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { 'recovery-key-out': { type: 'string' } });
  const dir = dataDir(values, io);
  let result;
  try {
    result = initInstance(dir, { recoveryKey: true });
  } catch (error) {
    if (error instanceof AlreadyInitialisedError) throw new CliError(error.message);
    throw error;
  }
  const out = values['recovery-key-out'];
  if (out) writeFileSync(out, `${result.recoverySecret}\n`, { mode: 0o600, flag: 'wx' });
  const shown = out ? undefined : result.recoverySecret;
  print(io, !!values.json, { dataDir: dir, recoveryKeyId: result.recoveryKeyId, ...(out ? { recoveryKeyFile: resolve(out) } : { recoverySecret: shown }) },
    `Initialised ${dir} with channels staff and public.\n` +
    (out ? `Recovery key written to ${resolve(out)}: keep it offline, then delete that file.`
      : `Recovery key (shown once; write it down and keep it offline; it opens every report):\n\n  ${shown}\n`));
  return 0;
}

async function cmdServe(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { init: { type: 'boolean' } });
  const dir = dataDir(values, io);
  const paths = dataPaths(dir);
  if (!isInitialised(paths)) {
    if (!values.init) throw new CliError(`${dir} holds no Sealbox instance; run "sealbox init" or "sealbox serve --init"`);
    // The first administrator makes the recovery key in the setup page, in their browser.
    initInstance(dir, { recoveryKey: false });
    io.stdout.write(`Initialised a new instance in ${dir}\n`);
  }
  const { startServer } = await import('./server.js');
  const server = await startServer(loadConfig({ ...io.env, SEALBOX_DATA_DIR: dir }));
  io.stdout.write(`Reporting page: ${server.services.config.publicUrl ?? server.reporterUrl}/\nReview console: ${server.services.config.consoleUrl ?? server.consoleUrl}/\n`);
  const { setupLink } = await import('./setup-link.js');
  const link = setupLink(server.services, server.consoleUrl);
  if (link) io.stdout.write(`\nNo administrator yet. Open this one-time link to create the first one (valid 24 hours):\n  ${link}\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      void server.close().then(resolveStop);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

async function cmdUserAdd(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { role: { type: 'string' }, channels: { type: 'string' }, 'passphrase-stdin': { type: 'boolean' } }, true);
  const username = positionals[0];
  if (!username || positionals.length > 1) throw new CliError(`user add takes one USERNAME\n\n${USAGE}`, 2);
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new CliError('--role must be reviewer, admin or auditor', 2);
  if (!values['passphrase-stdin']) throw new CliError('give the passphrase on standard input with --passphrase-stdin', 2);
  const passphrase = await readPassphrase(io);
  if ([...passphrase].length < 12) throw new CliError('the passphrase must have at least 12 characters');
  const channels = role === 'auditor' ? [] : (values.channels ?? 'staff,public').split(',').map((c) => c.trim()).filter(Boolean);
  const services = openServices(dataDir(values, io), io);
  try {
    await ready;
    const params = newKdfParams();
    const keys = deriveUserKeys(passphrase, params);
    const secrets = generateUserSecrets();
    const totpSecret = newTotpSecret();
    const user = createUser(services, {
      username, roles: [role], channels, salt: toB64u(params.salt), opslimit: params.opslimit, memlimit: params.memlimit,
      authKey: toB64u(keys.authKey), boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
      keyBundle: sealKeyBundle(keys.wrapKey, username, secrets), totpSecret,
    });
    services.audit({ actor: 'system', action: 'user.create', target: user.id, details: { username, roles: [role], channels, via: 'cli' } });
    const out = { username, keyId: user.keyId, totpSecret, otpauthUri: totpUri(username, totpSecret) };
    print(io, !!values.json, out, `Created ${role} ${username} (key ${user.keyId}).\nAuthenticator secret: ${totpSecret}\n${out.otpauthUri}`);
    return 0;
  } catch (error) {
    throw toCliError(error);
  } finally {
    services.close();
  }
}

/** Opens a user's key bundle with their passphrase, checking it against the stored verifier. */
function unlockUser(services: Services, username: string, passphrase: string): { id: string; keyId: string; secrets: UserSecrets } {
  const user = services.repos.users.byUsername(username);
  if (!user) throw new CliError(`no user ${username}`);
  const keys = deriveUserKeys(passphrase, { salt: user.salt, opslimit: user.opslimit, memlimit: user.memlimit });
  if (!services.keys.checkAuthKey(keys.authKey, user.authVerifier)) throw new CliError('wrong passphrase');
  const secrets = openKeyBundle(keys.wrapKey, username, { nonce: toB64u(user.keyBundleNonce), ciphertext: toB64u(user.keyBundleCiphertext) });
  return { id: user.id, keyId: user.keyId, secrets };
}

async function cmdExport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { user: { type: 'string' }, 'passphrase-stdin': { type: 'boolean' }, out: { type: 'string' } }, true);
  const reportId = positionals[0];
  if (!reportId || positionals.length > 1) throw new CliError(`export takes one REPORT_ID\n\n${USAGE}`, 2);
  if (!values.user) throw new CliError('--user USERNAME is required', 2);
  if (!values['passphrase-stdin']) throw new CliError('give the passphrase on standard input with --passphrase-stdin', 2);
  const passphrase = await readPassphrase(io);
  const services = openServices(dataDir(values, io), io);
  try {
    await ready;
    const me = unlockUser(services, values.user, passphrase);
    // With --out, the same files as the console's "Export case" (server/case-export.ts).
    const doc = await exportReport(services, { ...me, username: values.user }, reportId, values.out);
    io.stdout.write(`${JSON.stringify(doc, null, values.json ? undefined : 2)}\n`);
    return 0;
  } catch (error) {
    throw toCliError(error instanceof CaseExportError ? new CliError(error.message) : error);
  } finally {
    services.close();
  }
}

/** A file name that stays inside the output folder and is readable on any system. */
export function safeName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return cleaned || 'attachment';
}

/**
 * Gives a user the report keys they lack, opened with the recovery key: after a reset, or for a
 * member added when no other member can hand keys over. Internal keys are not sealed to the
 * recovery key, so notes come back only from another member's console.
 */
async function cmdRecover(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { user: { type: 'string' } });
  if (!values.user) throw new CliError('--user USERNAME is required', 2);
  let typed = '';
  for await (const chunk of io.stdin) typed += chunk.toString();
  let recovery;
  try {
    recovery = parseRecoverySecret(typed);
  } catch (error) {
    throw new CliError(`recovery key: ${(error as Error).message}`);
  }
  const services = openServices(dataDir(values, io), io);
  try {
    const { repos } = services;
    const stored = recoveryKeyOf(services);
    if (!stored || !Buffer.from(stored).equals(Buffer.from(recovery.publicKey))) throw new CliError('this is not the instance’s recovery key');
    const user = repos.users.byUsername(values.user);
    if (!user || user.disabled) throw new CliError(`no enabled user ${values.user}`);
    const recoveryId = keyIdOf(recovery.publicKey);
    let granted = 0;
    let unavailable = 0;
    for (const channelId of repos.channels.channelIdsOf(user.id)) {
      let cursor: number | undefined;
      do {
        const page = repos.reports.list({ viewerId: user.id, channelIds: [channelId], limit: 500, ...(cursor === undefined ? {} : { cursor }) });
        for (const item of page.reports) {
          if (repos.reports.key(item.id, user.keyId)) continue;
          const envelope = repos.reports.key(item.id, recoveryId);
          if (!envelope) {
            unavailable++;
            continue;
          }
          const key = openSealedKey(toB64u(envelope.sealedKey), recovery);
          // The inbox query already leaves out reports that exclude the user; the content, which
          // this command can read, must agree before a key goes to them (PROTOCOL.md §9).
          const report = repos.reports.byId(item.id)!;
          const content = decryptReportContent(key, item.id, { nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext) });
          if (content.excluded.includes(user.id)) continue;
          repos.reports.addKeys(item.id, [{ keyId: user.keyId, sealedKey: Buffer.from(fromB64u(sealKey(key, user.boxPublicKey))) }]);
          granted++;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    }
    services.audit({ actor: 'system', action: 'report.keys_recovered', target: user.id, details: { via: 'cli', granted, unavailable } });
    print(io, !!values.json, { username: user.username, granted, unavailable },
      `Sealed ${granted} report keys to ${user.username}.${unavailable ? ` ${unavailable} reports have no recovery envelope (made before the recovery key existed).` : ''}`);
    return 0;
  } catch (error) {
    throw toCliError(error);
  } finally {
    services.close();
  }
}

async function cmdAudit(args: string[], io: Io): Promise<number> {
  if (args[0] === 'export') return cmdAuditExport(args.slice(1), io);
  const { values, positionals } = parse(args, {});
  if (positionals[0] !== 'verify') throw new CliError(`audit takes "verify" or "export"\n\n${USAGE}`, 2);
  const services = openServices(dataDir(values, io), io);
  try {
    const result = services.repos.audit.verify();
    print(io, !!values.json, result, result.ok ? `Audit trail intact: ${result.count} events.` : `Audit trail BROKEN at event ${result.seq}: ${result.reason}`);
    return result.ok ? 0 : 1;
  } finally {
    services.close();
  }
}

async function cmdAuditExport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { since: { type: 'string' }, 'after-seq': { type: 'string' } });
  if (positionals.length > 0) throw new CliError(`audit export takes no arguments\n\n${USAGE}`, 2);
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (values.since !== undefined && since === undefined) {
    throw new CliError(`--since must be a date (2026-11-28) or a time with its zone (2026-11-28T16:00:00Z), not "${values.since}"`, 2);
  }
  const afterSeq = values['after-seq'];
  if (afterSeq !== undefined && !/^\d{1,15}$/.test(afterSeq)) throw new CliError(`--after-seq must be a sequence number, not "${afterSeq}"`, 2);
  const services = openServices(dataDir(values, io), io);
  try {
    await writeAuditExport(services.repos.audit, io.stdout, {
      ...(since !== undefined ? { since } : {}), ...(afterSeq !== undefined ? { afterSeq: Number(afterSeq) } : {}),
    });
    return 0;
  } finally {
    services.close();
  }
}

/** The hourly retention purge, now (server/retention.ts). */
async function cmdPurge(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { 'dry-run': { type: 'boolean' } });
  if (positionals.length > 0) throw new CliError(`purge takes no arguments\n\n${USAGE}`, 2);
  const services = openServices(dataDir(values, io), io);
  try {
    const result = await purgeExpired(services, { dryRun: !!values['dry-run'] });
    const ids = result.reports.map((r) => `\n  ${r.id} (${r.channelId}, closed ${r.closedAt.slice(0, 10)})`).join('');
    print(io, !!values.json, result, result.dryRun
      ? `${result.counts.reports} reports are due for deletion (${result.counts.attachments} files); nothing was changed.${ids}`
      : `Deleted ${result.counts.reports} reports and ${result.counts.blobs} files.${ids}`);
    return 0;
  } finally {
    services.close();
  }
}

/**
 * `backup FILE` and `restore FILE`: the archive's path, its passphrase when `--passphrase-stdin`
 * is given (as the options backup.ts takes), and the common options.
 */
async function archiveArgs(command: string, args: string[], io: Io) {
  const { values, positionals } = parse(args, { 'passphrase-stdin': { type: 'boolean' } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(`${command} takes one FILE\n\n${USAGE}`, 2);
  const passphrase = values['passphrase-stdin'] ? await readPassphrase(io) : undefined;
  return { values, file, passphrase, options: passphrase === undefined ? {} : { passphrase } };
}

/** `sealbox backup FILE` (server/backup.ts). */
async function cmdBackup(args: string[], io: Io): Promise<number> {
  const { values, file, passphrase, options } = await archiveArgs('backup', args, io);
  if (passphrase !== undefined && [...passphrase].length < 12) throw new CliError('the passphrase must have at least 12 characters');
  const services = openServices(dataDir(values, io), io);
  try {
    const r = await createBackup(services, file, options);
    print(io, !!values.json, r, `Backup written to ${r.file}: ${r.bytes} bytes, ${r.attachments} attachment files${r.encrypted ? ', encrypted' : ''}.\nSHA-256 ${r.sha256}` +
      (r.encrypted ? '' : '\nIt is not encrypted: for a copy that leaves this machine, use --passphrase-stdin.'));
    return 0;
  } catch (error) {
    throw error instanceof BackupError ? new CliError(error.message) : error;
  } finally {
    services.close();
  }
}

/** `sealbox restore FILE --data-dir DIR` (server/backup.ts). */
async function cmdRestore(args: string[], io: Io): Promise<number> {
  const { values, file, options } = await archiveArgs('restore', args, io);
  try {
    const r = await restoreBackup(file, dataDir(values, io), options);
    print(io, !!values.json, r, `Restored the backup of ${r.createdAt} into ${r.dataDir} (${r.attachments} attachment files).\n` +
      (r.audit.ok ? `Audit trail intact: ${r.audit.count} events.` : `Audit trail BROKEN at event ${r.audit.seq}: ${r.audit.reason}`));
    return 0;
  } catch (error) {
    throw error instanceof BackupError ? new CliError(error.message) : error;
  }
}

function toCliError(error: unknown): unknown {
  const e = error as { code?: string; message?: string };
  if (error instanceof CliError) return error;
  if (typeof e.code === 'string' && e.code.startsWith('SBX_')) return new CliError(e.message ?? e.code);
  return error;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  await ready;
  try {
    switch (command) {
      case 'init': return await cmdInit(rest, io);
      case 'serve': return await cmdServe(rest, io);
      case 'user':
        if (rest[0] !== 'add') throw new CliError(`user takes "add"\n\n${USAGE}`, 2);
        return await cmdUserAdd(rest.slice(1), io);
      case 'export': return await cmdExport(rest, io);
      case 'audit': return await cmdAudit(rest, io);
      case 'recover': return await cmdRecover(rest, io);
      case 'backup': return await cmdBackup(rest, io);
      case 'restore': return await cmdRestore(rest, io);
      case 'purge': return await cmdPurge(rest, io);
      case undefined: case 'help': case '--help': case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default: throw new CliError(`unknown command "${command}"\n\n${USAGE}`, 2);
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`sealbox: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
