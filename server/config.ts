// Configuration: read once from the environment, validated, and handed down to everything else.
import { resolve } from 'node:path';
import { z } from 'zod';
import { mailConfigOf, mailEnv, type MailConfig } from './notifications/config.js';

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const schema = z.object({
  SEALBOX_DATA_DIR: z.string().min(1).default('./data'),
  SEALBOX_HOST: z.string().min(1).default('127.0.0.1'),
  SEALBOX_REPORT_PORT: port.default(8080),
  SEALBOX_CONSOLE_PORT: port.default(8081),
  /** Proof-of-work difficulty in leading zero bits; 0 turns it off (tests, benchmarks). */
  SEALBOX_POW_BITS: z.coerce.number().int().min(0).max(32).default(18),
  /** Off by default: behind no proxy, X-Forwarded-For is attacker-controlled and useless anyway. */
  SEALBOX_TRUST_PROXY: flag.default(false),
  /** Global ceiling on new submissions per minute (all reporters together; no IPs to tell them apart). */
  SEALBOX_SUBMISSIONS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Global ceiling on all reporter-app requests per minute (page, follow-ups, uploads together). */
  SEALBOX_REPORTER_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(30_000),
  SEALBOX_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  /** Where people reach the pages, when not the listening address (a reverse proxy, an onion). */
  SEALBOX_PUBLIC_URL: z.string().url().optional(),
  SEALBOX_CONSOLE_URL: z.string().url().optional(),
  SEALBOX_ONION_URL: z.string().url().optional(),
  /** Notification e-mails: SMTP server, sender and the hour of the daily digest (see notifications/config.ts). */
  ...mailEnv,
});

export interface Config {
  dataDir: string;
  host: string;
  reportPort: number;
  consolePort: number;
  powBits: number;
  submissionsPerMinute: number;
  reporterRequestsPerMinute: number;
  trustProxy: boolean;
  logLevel: z.infer<typeof schema>['SEALBOX_LOG_LEVEL'];
  publicUrl?: string;
  consoleUrl?: string;
  onionUrl?: string;
  /** SMTP settings for content-free notification e-mails; absent when none are configured. */
  mail?: MailConfig;
  /** Proof-of-work challenges expire after this many ms (the client needs seconds, not hours). */
  challengeTtlMs: number;
  /** Incomplete uploads are purged after this many ms (PROTOCOL.md §5: 24 hours). */
  uploadTtlMs: number;
  /** Console sessions end after this many ms without a request (PROTOCOL.md §6: 30 minutes). */
  sessionIdleMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    dataDir: resolve(e.SEALBOX_DATA_DIR),
    host: e.SEALBOX_HOST,
    reportPort: e.SEALBOX_REPORT_PORT,
    consolePort: e.SEALBOX_CONSOLE_PORT,
    powBits: e.SEALBOX_POW_BITS,
    submissionsPerMinute: e.SEALBOX_SUBMISSIONS_PER_MINUTE,
    reporterRequestsPerMinute: e.SEALBOX_REPORTER_REQUESTS_PER_MINUTE,
    trustProxy: e.SEALBOX_TRUST_PROXY,
    logLevel: e.SEALBOX_LOG_LEVEL,
    ...(e.SEALBOX_PUBLIC_URL ? { publicUrl: e.SEALBOX_PUBLIC_URL } : {}),
    ...(e.SEALBOX_CONSOLE_URL ? { consoleUrl: e.SEALBOX_CONSOLE_URL } : {}),
    ...(e.SEALBOX_ONION_URL ? { onionUrl: e.SEALBOX_ONION_URL } : {}),
    ...mailConfigOf(e),
    challengeTtlMs: 60 * 60 * 1000,
    uploadTtlMs: 24 * 60 * 60 * 1000,
    sessionIdleMs: 30 * 60 * 1000,
    ...overrides,
  };
}
