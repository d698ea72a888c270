// Sends plain-text e-mails over SMTP with nodemailer. The transport is made on the first message,
// so a process that never mails (the CLI, an instance without SMTP) never opens a connection.
import { createTransport } from 'nodemailer';
import type { MailConfig } from './config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message; rejects with nodemailer's error. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpMailer(config: MailConfig): Mailer {
  let transport: ReturnType<typeof createTransport> | undefined;
  const open = () => createTransport({
    host: config.host,
    port: config.port,
    // `tls`: TLS from the first byte. `starttls`: refuse to go on if the server does not upgrade
    // (without requireTLS, a stripped STARTTLS would send the password and the mail in the clear).
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.password } } : {}),
    // A stalled server must not hold a retry for nodemailer's default of minutes.
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
    // nodemailer's own log would print the SMTP dialogue, addresses included.
    logger: false,
    debug: false,
  }, { from: config.from });
  return {
    async send(mail) {
      transport ??= open();
      await transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text });
    },
    close() {
      transport?.close();
      transport = undefined;
    },
  };
}
