// The words of the domain, once: who uses the console, the states a report goes through (as the
// unit and as the reporter see them), how it ends, how serious it is, who wrote a message, the
// kinds of one-time link, how a user hears of new reports, and the languages the pages speak.
// Every layer takes these lists from here: the database's CHECK constraints, the API's zod
// schemas, the console's filters and labels, the reporting page's timeline.

export const ROLES = ['admin', 'reviewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
/** The roles that read reports (auditors see the trail and the statistics, never a report). */
export const READER_ROLES: readonly Role[] = ['admin', 'reviewer'];
/** Whether a user with `roles` reads reports: only they may belong to a channel, hold its keys, hear of its reports. */
export const readsReports = (roles: readonly string[]): boolean => roles.some((r) => (READER_ROLES as readonly string[]).includes(r));

/** Console statuses (PROTOCOL.md §6); `new` shows to the reporter as `received`. */
export const REPORT_STATUSES = ['new', 'acknowledged', 'in_review', 'needs_information', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** What the reporter sees (PROTOCOL.md §5), in the order a report goes through them. */
export const REPORTER_STATUSES = ['received', 'acknowledged', 'in_review', 'needs_information', 'closed'] as const;
export type ReporterStatus = (typeof REPORTER_STATUSES)[number];

/** The reporter's view of a console status: the only difference is `new`, which the reporter sees as `received`. */
export const reporterStatus = (status: ReportStatus): ReporterStatus => (status === 'new' ? 'received' : status);

/** How a closed report ended; closing needs one (see domain/triage.ts). */
export const OUTCOMES = ['substantiated', 'unsubstantiated', 'referred', 'no_action', 'duplicate', 'spam'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes whose reports go after the channel's short retention period (EU 2019/1937 art. 17). */
export const SHORT_RETENTION_OUTCOMES: readonly Outcome[] = ['spam', 'duplicate'];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const MESSAGE_AUTHORS = ['reporter', 'reviewer'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];
/** 1: AD binds report and author; 2 (PROTOCOL.md §9) adds the message's id to the AD and `prev` to the plaintext. */
export const MESSAGE_VERSIONS = [1, 2] as const;
export type MessageVersion = (typeof MESSAGE_VERSIONS)[number];

/** One-time links: the first administrator's setup, an invitation, a reset of a user's keys. */
export const TOKEN_KINDS = ['setup', 'invite', 'reset'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** How a console user hears of new reports by e-mail. */
export const NOTIFY_MODES = ['digest', 'immediate', 'none'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

/** The languages of the reporting page, the console and the e-mails (DOMAIN.md), English first. */
export const LOCALES = ['en', 'fr', 'es', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

/** Text per locale, e.g. `{"en": "Staff", "fr": "Personnel"}`. */
export type LocalText = Record<string, string>;
