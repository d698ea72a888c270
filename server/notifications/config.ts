// The SMTP settings for notification e-mails, read from the environment with the rest of the
// configuration (server/config.ts). Only from the environment: the password then never sits in the
// database or in a backup of it, and the console has nothing secret to show or to leak.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** How the connection to the SMTP server is protected. */
export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/** The usual port of each kind: submission with STARTTLS, implicit TLS, a plain local relay. */
const DEFAULT_PORT: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, none: 25 };

export interface MailConfig {
  host: string;
  port: number;
  /**
   * `starttls` (default): the server must offer STARTTLS, else nothing is sent; `tls`: TLS from
   * the first byte (port 465); `none`: plain text, for a relay on the same machine only.
   */
  security: SmtpSecurity;
  auth?: { user: string; password: string };
  /** The From header: `sealbox@example.org` or `Sealbox <sealbox@example.org>`. */
  from: string;
  /** Hour of the day (UTC) at which daily digests and deadline reminders go out. */
  dailyHourUtc: number;
}

/** The variables, spread into the configuration schema of server/config.ts. */
export const mailEnv = {
  /** Turns notification e-mails on; without it nothing is ever sent. */
  SEALBOX_SMTP_HOST: z.string().min(1).optional(),
  SEALBOX_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SEALBOX_SMTP_SECURITY: z.enum(SMTP_SECURITY).default('starttls'),
  SEALBOX_SMTP_USER: z.string().min(1).optional(),
  SEALBOX_SMTP_PASSWORD: z.string().min(1).optional(),
  /** A file holding the password (a Docker or systemd secret); wins over SEALBOX_SMTP_PASSWORD. */
  SEALBOX_SMTP_PASSWORD_FILE: z.string().min(1).optional(),
  SEALBOX_SMTP_FROM: z.string().optional(),
  SEALBOX_MAIL_HOUR: z.coerce.number().int().min(0).max(23).default(7),
};

type MailEnv = z.infer<ReturnType<typeof z.object<typeof mailEnv>>>;

const fail = (variable: string, message: string) => new Error(`configuration: ${variable}: ${message}`);

/** `a@b.org` or `Name <a@b.org>`; no line breaks, which would let a value add mail headers. */
const FROM = /^(?:[^<>\r\n"]*<([^<>\s]+)>|([^<>\s]+))$/;

/** The mail settings, or nothing when no SMTP host is set. Throws on a half-made configuration. */
export function mailConfigOf(e: MailEnv): { mail?: MailConfig } {
  if (!e.SEALBOX_SMTP_HOST) return {};
  const from = e.SEALBOX_SMTP_FROM?.trim() ?? '';
  const match = FROM.exec(from);
  const address = match?.[1] ?? match?.[2];
  if (!address || !z.email().safeParse(address).success) {
    throw fail('SEALBOX_SMTP_FROM', 'give the sender as "sealbox@example.org" or "Sealbox <sealbox@example.org>"');
  }
  let password = e.SEALBOX_SMTP_PASSWORD;
  if (e.SEALBOX_SMTP_PASSWORD_FILE) {
    try {
      password = readFileSync(e.SEALBOX_SMTP_PASSWORD_FILE, 'utf8').trim();
    } catch {
      // The path is the operator's own; the contents never go into a message.
      throw fail('SEALBOX_SMTP_PASSWORD_FILE', 'the file cannot be read');
    }
  }
  if (!e.SEALBOX_SMTP_USER !== !password) throw fail('SEALBOX_SMTP_USER', 'give both a user and a password, or neither');
  return {
    mail: {
      host: e.SEALBOX_SMTP_HOST,
      port: e.SEALBOX_SMTP_PORT ?? DEFAULT_PORT[e.SEALBOX_SMTP_SECURITY],
      security: e.SEALBOX_SMTP_SECURITY,
      ...(e.SEALBOX_SMTP_USER && password ? { auth: { user: e.SEALBOX_SMTP_USER, password } } : {}),
      from,
      dailyHourUtc: e.SEALBOX_MAIL_HOUR,
    },
  };
}
