// A local SMTP server for tests (smtp-server, from the nodemailer project): binds 127.0.0.1 on a
// port of the system's choosing, keeps every message it accepts, and decodes each one's subject
// and body, so that tests can look for text in what a reader would see, not only in raw bytes.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { waitFor } from './wait.js';

export interface CapturedMail {
  from: string;
  to: string[];
  /** The message as it came over the wire. */
  raw: string;
  headers: Map<string, string>;
  /** Decoded (RFC 2047 encoded words). */
  subject: string;
  /** Decoded (quoted-printable or base64). */
  text: string;
}

export interface TestSmtp {
  port: number;
  mails: CapturedMail[];
  /** Successful AUTH attempts, by user name. */
  logins: string[];
  /** Resolves once at least `n` messages were accepted; fails after `timeoutMs` (default 30 s). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(options: { user?: string; password?: string; server?: Partial<SMTPServerOptions> } = {}): Promise<TestSmtp> {
  const mails: CapturedMail[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: options.user === undefined,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) {
        logins.push(auth.username ?? '');
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          ...parse(raw),
          raw,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
    ...options.server,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port, mails, logins,
    waitFor: (n, timeoutMs = 30_000) => waitFor(() => mails.length >= n, { what: `${n} message(s) at the test SMTP server`, timeoutMs }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function parse(raw: string): Pick<CapturedMail, 'headers' | 'subject' | 'text'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8')
    : encoding === 'quoted-printable' ? quotedPrintable(body)
      : body;
  return { headers, subject: decodeWords(headers.get('subject') ?? ''), text: text.replace(/\r\n/g, '\n') };
}

function quotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** RFC 2047 encoded words; whitespace between two of them is not part of the text. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : quotedPrintable(data.replace(/_/g, ' ')));
}
