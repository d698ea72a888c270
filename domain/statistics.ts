// The statistics as they are published (GET /api/statistics, its CSV, the console's page): tables
// of counts in which a count from 1 to 4 is never shown (server/statistics/suppression.ts withholds
// it), and the median and 90th percentile of the days to acknowledgement and to feedback.

/** Counts below this are withheld. */
export const MIN_COUNT = 5;
/** What a withheld count of 1 to 4 reads as. */
export const SMALL = '<5';
/** What a count withheld only to protect a "<5" next to it reads as. */
export const HIDDEN = 'hidden';

/** One count as published. */
export type Shown = number | typeof SMALL | typeof HIDDEN;

/** The category × outcome column of reports that have no outcome (not closed). */
export const OPEN = 'open';
export const ACKNOWLEDGE_STATES = ['met', 'late', 'overdue', 'pending', 'closedWithout'] as const;
export const FEEDBACK_STATES = ['met', 'late', 'overdue', 'pending'] as const;
/** The one column of a list. */
export const REPORTS = 'reports';

/** Rows × columns of published counts; a null row or column key is "not set". */
export interface Table {
  rows: (string | null)[];
  columns: (string | null)[];
  cells: Shown[][];
}

export interface Durations {
  /** Days, to one decimal; null when fewer than 5 reports give a value. */
  medianDays: number | null;
  p90Days: number | null;
}

export interface StatisticsReport {
  year: number;
  /** The years there are reports for, oldest first, always including `year`. */
  years: number[];
  generatedAt: string;
  threshold: number;
  total: Shown;
  channels: { id: string; title: Record<string, string> }[];
  monthChannel: Table;
  status: Table;
  categoryOutcome: Table;
  acknowledgement: Table;
  feedback: Table;
  durations: { acknowledge: Durations; feedback: Durations };
  riskMap: Table;
}
