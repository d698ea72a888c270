// `npm run seed -- --reports N --data-dir DIR`: fills an instance (made as by `sealbox init`, which
// this runs when the folder is empty) with N reports for the channels' recipients: realistic
// triage metadata and dates, random ciphertext of realistic bucket sizes, messages and attachment
// rows. For scale tests and benchmarks; the reports cannot be decrypted by anyone.
import { randomBytes, randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deriveUserKeys, generateUserSecrets, keyIdOf, newKdfParams, ready, sealKeyBundle, toB64u } from '../crypto/index.js';
import type { BulkReport } from '../db/repositories/bulk.js';
import type { Outcome, ReportStatus } from '../db/schema.js';
import { loadConfig } from '../server/config.js';
import { initInstance } from '../server/init.js';
import { OFFICES_SETTING, PROCESSES_SETTING, RECOVERY_KEY_SETTING } from '../domain/settings.js';
import { dataPaths, isInitialised } from '../server/instance.js';
import { CATEGORY_CODES } from '../domain/categories.js';
import { createServices, type Services } from '../server/services.js';
import { newTotpSecret } from '../server/totp.js';
import { createUser } from '../server/users.js';

const SAMPLE_OFFICES = ['Seaport North', 'Seaport South', 'International Airport Cargo', 'International Airport Passengers', 'Border Post East',
  'Border Post West', 'Inland Container Depot 1', 'Inland Container Depot 2', 'Free Zone', 'Headquarters', 'Post-Clearance Audit Unit', 'Regional Office'];
const DAY = 86_400_000;

/** Picks from weighted choices. */
function pick<T>(choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((n, [, w]) => n + w, 0);
  let r = Math.random() * total;
  for (const [value, w] of choices) if ((r -= w) < 0) return value;
  return choices[choices.length - 1]![0];
}

const hour = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();
const b64id = () => randomBytes(16).toString('base64url');

/** A pool of random ciphertexts per size: what matters to the database is their size. */
const pools = new Map<number, Buffer[]>();
function ciphertext(bucket: number): Buffer {
  let pool = pools.get(bucket);
  if (!pool) pools.set(bucket, (pool = Array.from({ length: 32 }, () => randomBytes(bucket + 16))));
  return pool[randomInt(pool.length)]!;
}

function ensureRecipients(services: Services): void {
  for (const channel of services.repos.channels.list()) {
    if (services.repos.channels.members(channel.id).length > 0) continue;
    const username = `seed-reviewer-${channel.id}`;
    if (services.repos.users.byUsername(username)) continue;
    const params = newKdfParams();
    const keys = deriveUserKeys(`${username} passphrase`, params);
    const secrets = generateUserSecrets();
    createUser(services, {
      username, roles: ['reviewer'], channels: [channel.id], salt: toB64u(params.salt), opslimit: params.opslimit, memlimit: params.memlimit,
      authKey: toB64u(keys.authKey), boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
      keyBundle: sealKeyBundle(keys.wrapKey, username, secrets), totpSecret: newTotpSecret(),
    });
  }
}

export function makeReport(channelId: string, keyIds: string[], userIds: string[], offices: string[], processes: string[], now: number): BulkReport {
  const received = now - Math.floor(Math.random() ** 1.3 * 730 * DAY);
  const age = now - received;
  const status: ReportStatus = age < 7 * DAY ? pick([['new', 6], ['acknowledged', 3], ['in_review', 1]] as const)
    : pick([['closed', 60], ['in_review', 15], ['acknowledged', 8], ['needs_information', 7], ['new', 3]] as const);
  const triaged = status !== 'new';
  const acknowledgedAt = triaged || Math.random() < 0.1 ? hour(received + Math.floor(Math.random() ** 2 * 12 * DAY)) : null;
  const closedAt = status === 'closed' ? hour(Math.min(now, received + Math.floor((20 + Math.random() * 150) * DAY))) : null;
  const outcome: Outcome | null = status === 'closed'
    ? pick([['substantiated', 25], ['unsubstantiated', 30], ['referred', 15], ['no_action', 15], ['duplicate', 5], ['spam', 10]] as const) : null;
  const messages: BulkReport['messages'] = [];
  for (let i = 0, n = triaged ? randomInt(0, 7) : randomInt(0, 2); i < n; i++) {
    const author = i % 2 === 0 ? 'reviewer' : 'reporter';
    messages.push({ id: b64id(), author, createdAt: hour(received + (i + 1) * DAY), nonce: randomBytes(24), ciphertext: ciphertext(pick([[512, 8], [1024, 2]] as const)) });
  }
  const attachments: BulkReport['attachments'] = [];
  for (let i = 0, n = pick([[0, 6], [1, 2], [2, 1], [3, 1]] as const); i < n; i++) {
    attachments.push({ id: b64id(), size: 24 + randomInt(10_000, 5_000_000), createdAt: hour(received), metaNonce: randomBytes(24), metaCiphertext: ciphertext(512) });
  }
  return {
    id: b64id(), channelId, receiptTag: randomBytes(32), reporterPublicKey: randomBytes(32), contentNonce: randomBytes(24),
    contentCiphertext: ciphertext(pick([[1024, 60], [2048, 25], [4096, 10], [8192, 5]] as const)), reporterSealedKey: randomBytes(80),
    status, severity: triaged ? pick([['low', 3], ['medium', 4], ['high', 2], ['critical', 1]] as const) : null,
    category: triaged ? CATEGORY_CODES[randomInt(CATEGORY_CODES.length)]! : null,
    office: triaged ? offices[randomInt(offices.length)]! : null, process: triaged ? processes[randomInt(processes.length)]! : null,
    outcome, receivedAt: hour(received), acknowledgedAt, closedAt,
    keys: keyIds.map((keyId) => ({ keyId, sealedKey: randomBytes(80) })),
    messages, attachments,
    assignees: triaged && userIds.length > 0 && Math.random() < 0.7 ? [userIds[randomInt(userIds.length)]!] : [],
  };
}

export async function seed(dataDir: string, count: number, log: (line: string) => void = () => undefined): Promise<void> {
  await ready;
  if (!isInitialised(dataPaths(dataDir))) initInstance(dataDir, { recoveryKey: true });
  const services = createServices(loadConfig({ SEALBOX_DATA_DIR: dataDir, SEALBOX_LOG_LEVEL: 'silent' }));
  try {
    const { repos } = services;
    ensureRecipients(services);
    let offices = repos.settings.get(OFFICES_SETTING) ?? [];
    if (offices.length === 0) repos.settings.set(OFFICES_SETTING, (offices = SAMPLE_OFFICES));
    const processes = repos.settings.get(PROCESSES_SETTING) ?? ['declaration'];
    const recovery = repos.settings.get(RECOVERY_KEY_SETTING);
    const channels = repos.channels.list().map((c) => {
      const members = repos.channels.members(c.id);
      return { id: c.id, keyIds: [...members.map((m) => m.keyId), ...(recovery ? [keyIdOf(Buffer.from(recovery, 'base64url'))] : [])], userIds: members.map((m) => m.id) };
    });
    const now = services.clock.now().getTime();
    const BATCH = 2000;
    for (let done = 0; done < count;) {
      const rows: BulkReport[] = [];
      for (let i = 0; i < BATCH && done < count; i++, done++) {
        const c = channels[Math.random() < 0.35 ? 0 : channels.length - 1]!;
        rows.push(makeReport(c.id, c.keyIds, c.userIds, offices, processes, now));
      }
      repos.bulk.insertReports(rows);
      if (done % 50_000 < BATCH) log(`${done} reports`);
    }
    services.db.sqlite.exec('ANALYZE');
    services.audit({ actor: 'system', action: 'instance.seed', details: { reports: count } });
  } finally {
    services.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { reports: { type: 'string' }, 'data-dir': { type: 'string' } }, strict: true });
  const count = Number(values.reports);
  if (!Number.isInteger(count) || count < 0 || !values['data-dir']) {
    console.error('usage: npm run seed -- --reports N --data-dir DIR');
    process.exit(2);
  }
  const start = Date.now();
  await seed(resolve(values['data-dir']), count, (line) => process.stderr.write(`${line}\n`));
  console.log(`seeded ${count} reports into ${resolve(values['data-dir'])} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}
