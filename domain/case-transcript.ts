// The readable part of a case export, shared by the console (which zips it in the browser) and
// `sealbox export --out` (which writes the same files to a folder): the transcript as one HTML
// page, the SHA256SUMS file, and the names files get in the export. Pure functions over decrypted
// data, no I/O.
//
// Everything a reporter or a reviewer wrote is attacker-controlled text, and so are the names of
// files, offices and users: every value goes into the page through `html`, which escapes it, and
// the page carries a Content-Security-Policy that runs no script and loads nothing, should an
// escape ever be missed.

import { PROCESSES } from './categories.js';
import { layoutAnswers, type Questionnaire, type ShownRow, type ShownValue } from './questionnaire.js';
import { dirOf, format, localText } from './text.js';

export const TRANSCRIPT_FILE = 'transcript.html';
export const CHECKSUMS_FILE = 'SHA256SUMS';
/** The folder of the decrypted attachments inside an export. */
export const FILES_DIR = 'files';

export const caseArchiveName = (reportId: string): string => `sealbox-case-${reportId}.zip`;

/** A file name that stays inside its folder and is readable on any system. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/\\/g, '/').split('/').pop()!
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return cleaned || 'attachment';
}

/** Where an attachment goes in the export: its id keeps two files of the same name apart. */
export const caseFilePath = (attachmentId: string, name: string): string => `${FILES_DIR}/${attachmentId}-${safeFileName(name)}`;

export interface CaseFile {
  id: string;
  /** From the decrypted metadata; null when the metadata itself could not be decrypted. */
  name: string | null;
  type: string | null;
  size: number | null;
  /** `ok`: in the export at `path`; `incomplete`: never fully uploaded; `damaged`: failed to decrypt. */
  state: 'ok' | 'incomplete' | 'damaged';
  path: string | null;
  sha256: string | null;
}

export interface CaseRecord {
  report: {
    id: string; channelId: string; status: string; severity: string | null; category: string | null; office: string | null;
    process: string | null; outcome: string | null; receivedAt: string; acknowledgedAt: string | null; closedAt: string | null;
    acknowledgeBy: string; feedbackBy: string;
  };
  channelTitle: string;
  /** The channel's questionnaire, which lays the answers out; without it they are listed as they are. */
  questionnaire: Questionnaire | undefined;
  /** The decrypted report content, or null when it could not be decrypted. */
  content: { locale: string; questionnaire: string; answers: Record<string, unknown> } | null;
  /**
   * `text` is null for a message that could not be decrypted; `missingBefore` where the message
   * names one before it that the server did not hand over (PROTOCOL.md §9).
   */
  messages: Array<{ author: 'reporter' | 'reviewer'; createdAt: string; text: string | null; missingBefore: boolean }>;
  /** null when the exporter does not hold the internal key. */
  notes: Array<{ author: string | null; createdAt: string; text: string | null }> | null;
  history: Array<{ seq: number; at: string; actor: string; actorName: string | null; action: string; details: unknown }>;
  files: CaseFile[];
  exportedBy: string;
  exportedAt: string;
}

/** The console's message catalogue for the reader's language (keys as in client/console/i18n). */
export type TranscriptLabels = Record<string, string>;

/** Text that is already HTML; anything else put into `html` is escaped. */
class Html {
  constructor(readonly text: string) {}
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose every interpolated value is escaped, unless it is itself `html`. */
function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/** `2026-11-28 16:05` (UTC): the same in every language and on every machine. */
export const utcTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.5;color:#1b1f24;max-width:60rem;margin:1rem auto;padding:0 1rem}
.warning{border-left:4px solid #b36b00;background:#fff6e0;padding:.5rem .75rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;vertical-align:top;border-top:1px solid #c9d0da;padding:.3rem .5rem}
dl.answers>div,dl.entry>div{display:grid;grid-template-columns:minmax(8rem,16rem) 1fr;gap:.75rem;border-top:1px dashed #c9d0da;padding:.25rem 0}
dt{font-weight:600}dd{margin:0}.text,dd{white-space:pre-wrap;overflow-wrap:anywhere}.identity{background:#fff6e0;padding:0 .5rem}
.message{border:1px solid #c9d0da;border-radius:6px;padding:.4rem .75rem;margin:.5rem 0}.meta{color:#4a5260;font-size:.875rem;margin:0}
.reviewer{background:#eef3fa}.note{background:#fff6e0}.error{color:#a4161a}code{overflow-wrap:anywhere}`;

/** The transcript: one self-contained HTML page, with no script and nothing loaded from anywhere. */
export function caseTranscript(record: CaseRecord, labels: TranscriptLabels, locale: string): string {
  const l = (key: string, params?: Record<string, string | number>) => format(labels[key] ?? key, params);
  const named = (prefix: string, code: string | null) => (code === null ? l('none') : labels[`${prefix}.${code}`] ?? code);
  const r = record.report;
  const when = (iso: string | null) => (iso ? utcTime(iso) : l('none'));
  const actorText = (e: CaseRecord['history'][number]) =>
    e.actorName ?? ({ reporter: l('audit.reporter'), system: l('audit.system'), anonymous: l('audit.anonymous') } as Record<string, string>)[e.actor] ?? e.actor;

  const summary: [string, string][] = [
    [l('transcript.reportId'), r.id],
    [l('transcript.channel'), record.channelTitle],
    [l('triage.status'), named('status', r.status)],
    [l('triage.outcome'), named('outcome', r.outcome)],
    [l('triage.severity'), named('severity', r.severity)],
    [l('triage.category'), named('category', r.category)],
    [l('triage.office'), r.office ?? l('none')],
    [l('triage.process'), r.process === null ? l('none') : localText(PROCESSES.find((p) => p.value === r.process)?.label, locale) || r.process],
    [l('transcript.received'), when(r.receivedAt)],
    [l('transcript.acknowledged'), when(r.acknowledgedAt)],
    [l('inbox.acknowledgeBy'), when(r.acknowledgeBy)],
    [l('inbox.feedbackBy'), when(r.feedbackBy)],
    [l('transcript.closed'), when(r.closedAt)],
  ];

  const value = (v: ShownValue): Html => {
    if (v.kind === 'yesno') return html`${l(v.yes ? 'yes' : 'no')}`;
    if (v.kind === 'entries') return html`<ol>${v.entries.map((rows) => html`<li>${rowList(rows, 'entry')}</li>`)}</ol>`;
    return html`${v.text}`;
  };
  const rowList = (rows: ShownRow[], kind = 'answers'): Html =>
    html`<dl class="${kind}">${rows.map((row) => html`<div><dt>${row.label}</dt><dd dir="auto">${value(row.value)}</dd></div>`)}</dl>`;

  let answers: Html;
  if (!record.content) {
    answers = html`<p class="error">${l('report.contentDamaged')}</p>`;
  } else {
    const shown = layoutAnswers(record.questionnaire, record.content.answers, locale);
    const sections = shown.sections.map((section) => html`<section${section.identity ? html` class="identity"` : ''}><h3>${section.title}</h3>
${section.identity ? html`<p>${l('report.identityNote')}</p>` : ''}${rowList(section.rows)}</section>`);
    answers = html`${sections}${shown.other.length > 0 ? html`<section><h3>${l('report.otherAnswers')}</h3>
${rowList(shown.other.map((o) => ({ id: o.key, label: o.key, value: { kind: 'text', text: o.text } })))}</section>` : ''}`;
  }

  const messages = record.messages.length === 0 ? html`<p>${l('conversation.none')}</p>`
    : html`<ol class="plain">${record.messages.map((m) => html`<li class="message ${m.author}">${m.missingBefore ? html`<p class="error">${l('conversation.missingBefore')}</p>` : ''}<p class="meta">${l(`author.${m.author}`)} · ${utcTime(m.createdAt)}</p>
${m.text === null ? html`<p class="error">${l('conversation.unreadable')}</p>` : html`<p class="text" dir="auto">${m.text}</p>`}</li>`)}</ol>`;

  const notes = record.notes === null ? html`<p class="error">${l('transcript.notesLocked')}</p>`
    : record.notes.length === 0 ? html`<p>${l('notes.none')}</p>`
      : html`<ol class="plain">${record.notes.map((n) => html`<li class="message note"><p class="meta">${n.author ?? l('notes.formerMember')} · ${utcTime(n.createdAt)}</p>
${n.text === null ? html`<p class="error">${l('notes.unreadable')}</p>` : html`<p class="text" dir="auto">${n.text}</p>`}</li>`)}</ol>`;

  const details = (d: unknown): string => {
    if (d === null || d === undefined) return '';
    if (typeof d !== 'object' || Array.isArray(d)) return JSON.stringify(d);
    return Object.entries(d as Record<string, unknown>).map(([k, v]) =>
      Array.isArray(v) && v.length === 2 ? `${k}: ${JSON.stringify(v[0])} → ${JSON.stringify(v[1])}` : `${k}: ${JSON.stringify(v)}`).join('; ');
  };
  const history = html`<table><thead><tr><th scope="col">${l('transcript.when')}</th><th scope="col">${l('transcript.who')}</th><th scope="col">${l('transcript.what')}</th><th scope="col">${l('transcript.details')}</th></tr></thead>
<tbody>${record.history.map((e) => html`<tr><td>${utcTime(e.at)}</td><td>${actorText(e)}</td><td><code>${e.action}</code></td><td><code>${details(e.details)}</code></td></tr>
`)}</tbody></table>`;

  const files = record.files.length === 0 ? html`<p>${l('files.none')}</p>`
    : html`<table><thead><tr><th scope="col">${l('transcript.name')}</th><th scope="col">${l('transcript.type')}</th><th scope="col">${l('transcript.size')}</th><th scope="col">${l('transcript.path')}</th><th scope="col">${l('transcript.sha256')}</th></tr></thead>
<tbody>${record.files.map((f) => html`<tr><td dir="auto">${f.name ?? l('files.unreadable')}</td><td>${f.type || l('files.unknownType')}</td><td>${f.size ?? ''}</td>
<td>${f.path ? html`<a href="${f.path}">${f.path}</a>` : f.state === 'incomplete' ? l('files.incomplete') : l('transcript.damaged')}</td><td><code>${f.sha256 ?? ''}</code></td></tr>
`)}</tbody></table>`;

  const page = html`<!doctype html>
<html lang="${locale}" dir="${dirOf(locale)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${l('transcript.title', { id: r.id })}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<h1>${l('transcript.title', { id: r.id })}</h1>
<p class="warning">${l('transcript.confidential')}</p>
<p>${l('transcript.exported', { user: record.exportedBy, time: utcTime(record.exportedAt) })}</p>
<h2>${l('transcript.case')}</h2>
<table><tbody>${summary.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>
`)}</tbody></table>
<h2>${l('report.answers')}</h2>
${answers}
<h2>${l('conversation.title')}</h2>
${messages}
<h2>${l('notes.title')}</h2>
${notes}
<h2>${l('transcript.history')}</h2>
${history}
<h2>${l('files.title')}</h2>
${files}
<p>${l('transcript.checksums')}</p>
</body>
</html>
`;
  return page.text;
}

/**
 * SHA256SUMS in the format `sha256sum -c` reads: the digest, two spaces, the path. Paths are
 * the export's own (made by `caseFilePath`), so none holds a line break.
 */
export function sha256Sums(entries: ReadonlyArray<{ path: string; sha256: string }>): string {
  return entries.map((e) => `${e.sha256}  ${e.path}\n`).join('');
}
