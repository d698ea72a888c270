// The operator CLI (PROTOCOL.md §7): `sealbox init | serve | user add | export | audit verify`.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  decryptAttachment, decryptAttachmentMeta, decryptMessage, decryptReportContent, deriveUserKeys, generateUserSecrets,
  keyIdOf, newKdfParams, openKeyBundle, openSealedKey, parseRecoverySecret, ready, sealKey, sealKeyBundle, toB64u, fromB64u,
  type UserSecrets,
} from '../crypto/index.js';
import { ROLES, type Role } from '../db/schema.js';
import { loadConfig } from './config.js';
import { AlreadyInitialisedError, initInstance } from './init.js';
import { dataPaths, isInitialised } from './instance.js';
import { recoveryKeyOf } from './recipients.js';
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
  recover --user USERNAME [--json]             seal report keys to USERNAME with the recovery key
                                               (the recovery secret on standard input)

Every command takes --data-dir DIR (default $SEALBOX_DATA_DIR, else ./data).`;

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

function parse<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...common, ...options }, allowPositionals: true, strict: true });
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
  const { values, positionals } = parse(args, { role: { type: 'string' }, channels: { type: 'string' }, 'passphrase-stdin': { type: 'boolean' } });
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
  const { values, positionals } = parse(args, { user: { type: 'string' }, 'passphrase-stdin': { type: 'boolean' }, out: { type: 'string' } });
  const reportId = positionals[0];
  if (!reportId || positionals.length > 1) throw new CliError(`export takes one REPORT_ID\n\n${USAGE}`, 2);
  if (!values.user) throw new CliError('--user USERNAME is required', 2);
  if (!values['passphrase-stdin']) throw new CliError('give the passphrase on standard input with --passphrase-stdin', 2);
  const passphrase = await readPassphrase(io);
  const services = openServices(dataDir(values, io), io);
  try {
    await ready;
    const { repos } = services;
    const me = unlockUser(services, values.user, passphrase);
    const report = repos.reports.byId(reportId);
    const member = report && repos.channels.channelIdsOf(me.id).includes(report.channelId);
    if (!report || !member) throw new CliError(`no report ${reportId} in ${values.user}'s channels`);
    const envelope = repos.reports.key(reportId, me.keyId);
    if (!envelope) throw new CliError(`${values.user} holds no key for report ${reportId} yet; another member must grant it`);
    const key = openSealedKey(toB64u(envelope.sealedKey), me.secrets.box);
    const content = decryptReportContent(key, reportId, { nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext) });
    const messages = repos.messages.listForReport(reportId).map((m) => ({
      author: m.author, createdAt: m.createdAt,
      text: decryptMessage(key, reportId, m.author, { nonce: toB64u(m.nonce), ciphertext: toB64u(m.ciphertext) }),
    }));
    if (values.out) mkdirSync(values.out, { recursive: true, mode: 0o700 });
    const attachments = [];
    for (const a of repos.attachments.listForReport(reportId)) {
      const meta = decryptAttachmentMeta(key, reportId, a.id, { nonce: toB64u(a.metaNonce), ciphertext: toB64u(a.metaCiphertext) });
      if (!a.complete) {
        attachments.push({ id: a.id, name: meta.name, type: meta.type, size: meta.size, sha256: null, complete: false });
        continue;
      }
      const hash = createHash('sha256');
      const parts: Buffer[] = [];
      for await (const chunk of decryptAttachment(fromB64u(meta.key), services.blobs.read(a.id))) {
        hash.update(chunk);
        if (values.out) parts.push(Buffer.from(chunk));
      }
      if (values.out) writeFileSync(join(values.out, `${a.id}-${safeName(meta.name)}`), Buffer.concat(parts), { mode: 0o600 });
      attachments.push({ id: a.id, name: meta.name, type: meta.type, size: meta.size, sha256: hash.digest('hex') });
    }
    const status = report.status;
    services.audit({ actor: `user:${me.id}`, action: 'report.export', target: reportId, details: { via: 'cli', files: !!values.out } });
    const doc = { reportId, channelId: report.channelId, status, receivedAt: report.receivedAt, content, messages, attachments };
    io.stdout.write(`${JSON.stringify(doc, null, values.json ? undefined : 2)}\n`);
    return 0;
  } catch (error) {
    throw toCliError(error);
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
  const { values, positionals } = parse(args, {});
  if (positionals[0] !== 'verify') throw new CliError(`audit takes "verify"\n\n${USAGE}`, 2);
  const services = openServices(dataDir(values, io), io);
  try {
    const result = services.repos.audit.verify();
    print(io, !!values.json, result, result.ok ? `Audit trail intact: ${result.count} events.` : `Audit trail BROKEN at event ${result.seq}: ${result.reason}`);
    return result.ok ? 0 : 1;
  } finally {
    services.close();
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
