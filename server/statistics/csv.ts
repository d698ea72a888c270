// The statistics as CSV: the same published tables as the page ("<5" and "hidden" included, never
// an exact small count), one line per cell, so that a spreadsheet's pivot table takes them as they
// are. No report ids, no dates finer than the month, no content.
//
// Columns: year, table, row, column, value. An empty row or column is "not set" (a report without
// that label). RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line end.

import type { StatisticsReport, Table } from './report.js';

/** A header line and the table names, stable for whoever scripts against the file. */
export const CSV_HEADER = ['year', 'table', 'row', 'column', 'value'] as const;
export const CSV_TABLES = {
  total: 'reports_total',
  monthChannel: 'reports_by_month_and_channel',
  status: 'reports_by_status',
  categoryOutcome: 'reports_by_category_and_outcome',
  acknowledgement: 'acknowledgement_deadline',
  feedback: 'feedback_deadline',
  acknowledgeDays: 'days_to_acknowledge',
  feedbackDays: 'days_to_feedback',
  riskMap: 'substantiated_by_office_and_process',
} as const;

/**
 * One field. Office and process names are typed by administrators: one starting with `=`, `+`,
 * `-`, `@` or a control character would run as a formula when the file is opened in a
 * spreadsheet, so it gets a leading apostrophe (OWASP's advice against CSV injection).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statisticsCsv(report: StatisticsReport): string {
  const lines: (string | number | null)[][] = [[...CSV_HEADER]];
  const add = (table: string, row: string | null, column: string | null, value: string | number | null) =>
    lines.push([report.year, table, row, column, value]);
  const cells = (name: string, t: Table) =>
    t.rows.forEach((row, r) => t.columns.forEach((column, c) => add(name, row, column, t.cells[r]![c]!)));

  add(CSV_TABLES.total, null, null, report.total);
  cells(CSV_TABLES.monthChannel, report.monthChannel);
  cells(CSV_TABLES.status, report.status);
  cells(CSV_TABLES.categoryOutcome, report.categoryOutcome);
  cells(CSV_TABLES.acknowledgement, report.acknowledgement);
  cells(CSV_TABLES.feedback, report.feedback);
  for (const [name, d] of [[CSV_TABLES.acknowledgeDays, report.durations.acknowledge], [CSV_TABLES.feedbackDays, report.durations.feedback]] as const) {
    add(name, 'median', 'days', d.medianDays);
    add(name, 'p90', 'days', d.p90Days);
  }
  cells(CSV_TABLES.riskMap, report.riskMap);
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
