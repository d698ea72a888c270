// Notification e-mails: at once when a report arrives (for readers who chose that), and once a day
// a digest (sent even when empty) or a reminder of acknowledgement deadlines that pass tomorrow.
// Mail never holds up or fails a request: work is queued after the response is decided, a failed
// message is retried a few times and then dropped, and log lines carry the kind of mail and an
// error code only: never an address, a report id, or text from the SMTP server (which can quote
// the address back).
import type { Repositories } from '../../db/repositories/index.js';
import type { Config } from '../config.js';
import { readsReports } from '../../domain/vocabulary.js';
import { addMs, iso, type Clock } from '../time.js';
import { smtpMailer, type Mailer, type OutgoingMail } from './mailer.js';
import { mailTexts, type ChannelCounts } from './messages.js';
import { DAILY_SETTING } from '../../domain/settings.js';


interface DailyState {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** The highest report `seq` the digest of that day counted. */
  reportSeq: number;
}

export type MailKind = 'new_report' | 'digest' | 'reminder' | 'awaiting_approval';

/** Whom to tell that someone awaits approval, and in which channels (ids only). */
export interface AwaitingNotice {
  email: string;
  locale: string;
  channelIds: string[];
}

/** What the notifier logs through: the app's logger (pino), or nothing until one is given. */
export interface NotifyLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

const silent: NotifyLog = { info: () => undefined, warn: () => undefined };

export interface DailyResult {
  digests: number;
  reminders: number;
}

export interface NotifierDeps {
  repos: Repositories;
  config: Config;
  clock: Clock;
}

export interface NotifierOptions {
  /** The transport (tests may give their own); by default SMTP from `config.mail`. */
  mailer?: Mailer;
  /** Waits before each new attempt at a failed message; after the last, it is dropped. */
  retryDelaysMs?: readonly number[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** nodemailer's error code (`ECONNECTION`, `EAUTH`, …) and the SMTP reply code; never the message. */
function errorCode(error: unknown): Record<string, string | number> {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return {
    code: typeof e.code === 'string' && /^[A-Z_]{1,32}$/.test(e.code) ? e.code : 'unknown',
    ...(typeof e.responseCode === 'number' ? { smtpCode: e.responseCode } : {}),
  };
}

export class Notifier {
  /** Waits before the 2nd, 3rd and 4th attempt at a message. */
  retryDelaysMs: readonly number[];
  private log: NotifyLog = silent;
  private readonly mailer: Mailer | undefined;
  private readonly inboxUrl: string;
  private readonly approvalsUrl: string;
  private outstanding = 0;
  private waiters: Array<() => void> = [];
  private readonly timers = new Set<{ cancel: () => void }>();
  private closed = false;

  constructor(private readonly deps: NotifierDeps, options: NotifierOptions = {}) {
    const { config } = deps;
    this.mailer = options.mailer ?? (config.mail ? smtpMailer(config.mail) : undefined);
    this.retryDelaysMs = options.retryDelaysMs ?? [60_000, 10 * 60_000, 60 * 60_000];
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const consoleUrl = config.consoleUrl ?? `http://${host}:${config.consolePort}/`;
    this.inboxUrl = new URL('#/inbox', consoleUrl).href;
    this.approvalsUrl = new URL('#/approvals', consoleUrl).href;
  }

  /** Whether e-mail is configured at all. */
  get enabled(): boolean {
    return this.mailer !== undefined;
  }

  useLogger(log: NotifyLog): void {
    this.log = log;
  }

  /**
   * A report was committed: tells its readers who chose "immediately". Returns at once; the
   * recipients are looked up and the mails sent after the current response has gone out.
   */
  reportReceived(reportId: string): void {
    if (!this.mailer || this.closed) return;
    this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      for (const r of this.deps.repos.notifications.immediateRecipients(reportId)) {
        this.queue('new_report', { to: r.email, ...mailTexts(r.locale).newReport(r.channelId, this.inboxUrl) });
      }
    }));
  }

  /**
   * Someone awaits approval (added to a channel, or reset): `lookup`, run after the current
   * response has gone out, says whom to tell about which channels. The mail names no person and
   * no report: only the channels, and that fingerprints are to be compared in the console.
   */
  awaitingApproval(lookup: () => AwaitingNotice[]): void {
    if (!this.mailer || this.closed) return;
    this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      for (const r of lookup()) this.queue('awaiting_approval', { to: r.email, ...mailTexts(r.locale).awaitingApproval(r.channelIds, this.approvalsUrl) });
    }));
  }

  /**
   * The day's digests and deadline reminders, once a day at or after the configured hour (UTC).
   * Called by the hourly maintenance; returns what it queued, or undefined when it was not time.
   */
  daily(now: Date = this.deps.clock.now()): DailyResult | undefined {
    const mail = this.deps.config.mail;
    if (!this.mailer || !mail || this.closed || now.getUTCHours() < mail.dailyHourUtc) return undefined;
    const { repos } = this.deps;
    const day = iso(now).slice(0, 10);
    const last = repos.settings.get(DAILY_SETTING);
    // `>=` rather than `===`: a clock set back must not send a second digest for a day.
    if (last && last.day >= day) return undefined;
    const upTo = repos.notifications.lastReportSeq();
    // The first digest ever counts the last 24 hours.
    const after = last?.reportSeq ?? repos.notifications.lastReportSeq(iso(addMs(now, -DAY_MS)));
    // Recorded before anything is sent: a crash or restart later today must not send it all again.
    repos.settings.set(DAILY_SETTING, { day, reportSeq: upTo } satisfies DailyState);

    const midnight = Date.parse(`${day}T00:00:00.000Z`);
    const dueFrom = new Date(midnight + DAY_MS);
    const dueDay = iso(dueFrom).slice(0, 10);
    const byReader = (rows: { userId: string; channelId: string; n: number }[]) => new Map(rows.map((r) => [`${r.userId} ${r.channelId}`, r.n]));
    const received = byReader(repos.notifications.receivedBetween(after, upTo));
    const due = byReader(repos.notifications.acknowledgementDue(iso(dueFrom), iso(new Date(midnight + 2 * DAY_MS))));

    const result: DailyResult = { digests: 0, reminders: 0 };
    for (const s of repos.notifications.subscribers()) {
      if (!readsReports(s.roles)) continue;
      const channels = repos.channels.channelIdsOf(s.id);
      const countsOf = (m: Map<string, number>): ChannelCounts => channels.map((channelId) => ({ channelId, n: m.get(`${s.id} ${channelId}`) ?? 0 }));
      const texts = mailTexts(s.locale);
      if (s.notify === 'digest') {
        result.digests++;
        this.queue('digest', { to: s.email, ...texts.digest({ day, received: countsOf(received), due: countsOf(due), dueDay, inboxUrl: this.inboxUrl }) });
      } else {
        const dueCounts = countsOf(due);
        if (dueCounts.every((c) => c.n === 0)) continue;
        result.reminders++;
        this.queue('reminder', { to: s.email, ...texts.reminder({ due: dueCounts, dueDay, inboxUrl: this.inboxUrl }) });
      }
    }
    this.log.info({ ...result }, 'daily notifications queued');
    return result;
  }

  /** Resolves when nothing is being sent or waiting for a retry (tests, a graceful stop). */
  idle(): Promise<void> {
    return this.outstanding === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops: pending retries are dropped, the SMTP connection closed. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) timer.cancel();
    this.mailer?.close();
  }

  private queue(kind: MailKind, mail: OutgoingMail): void {
    this.track(this.send(kind, mail));
  }

  private async send(kind: MailKind, mail: OutgoingMail): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.mailer!.send(mail);
        return;
      } catch (error) {
        const delay = this.retryDelaysMs[attempt - 1];
        const code = errorCode(error);
        if (delay !== undefined && !this.closed) {
          this.log.warn({ kind, attempt, ...code }, 'notification e-mail failed; will retry');
          if (await this.pause(delay)) continue;
        }
        this.log.warn({ kind, attempts: attempt, ...code }, 'notification e-mail dropped');
        return;
      }
    }
  }

  /** Waits `ms`; false when the notifier closed meanwhile. */
  private pause(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const entry = {
        cancel: () => {
          clearTimeout(timer);
          this.timers.delete(entry);
          resolve(false);
        },
      };
      const timer = setTimeout(() => {
        this.timers.delete(entry);
        resolve(true);
      }, ms);
      // Not unref'd: close() cancels it, and until then a retry is work the process still has.
      this.timers.add(entry);
    });
  }

  private track(work: Promise<void>): void {
    this.outstanding++;
    work
      .catch((error: unknown) => this.log.warn({ errName: error instanceof Error ? error.name : 'unknown' }, 'notifications failed'))
      .finally(() => {
        this.outstanding--;
        if (this.outstanding === 0) for (const wake of this.waiters.splice(0)) wake();
      });
  }
}
