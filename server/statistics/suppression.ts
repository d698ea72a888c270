// Small-count suppression for the statistics: no count from 1 to 4 ever leaves the server, so that
// a table cell cannot point at a handful of reports, and so at their reporters.
//
// 1. Primary: a count of 1 to 4 is replaced by "<5". 0 stays 0 (it points at no one) and 5 or more
//    is shown as it is.
// 2. Complementary: a "<5" alone in a row, a column or a whole table could be worked out by
//    subtracting the other cells from that line's total, which other tables may give away (the
//    year's total always is). So wherever a line has exactly one withheld cell, its smallest other
//    count above 0 is withheld too, shown as "hidden", until no line has exactly one withheld cell.
//    A "<5" whose line is otherwise all 0 is left alone: the line's total is then that count
//    itself, below 5, so no table publishes it either. A lone "hidden" count beside zeros gets a
//    0 withheld with it.
//
// This is the usual cell suppression of official statistics. It is not a proof against every
// combination of tables: the page and the CSV show one calendar year at a time, so that
// overlapping periods cannot be subtracted from one another, and only administrators and auditors
// see them at all.

import { HIDDEN, MIN_COUNT, SMALL, type Shown } from '../../domain/statistics.js';

export { HIDDEN, MIN_COUNT, SMALL, type Shown };

/** One count as published. */
export const shown = (n: number): Shown => (n > 0 && n < MIN_COUNT ? SMALL : n);

/**
 * A table of exact counts (rows × columns) as it may be published. A table with one column is a
 * list: its one column is checked as a line; single-cell rows have nothing to hide beside them.
 */
export function suppressTable(cells: readonly (readonly number[])[]): Shown[][] {
  const rows = cells.length;
  const columns = rows === 0 ? 0 : cells[0]!.length;
  if (cells.some((row) => row.length !== columns)) throw new RangeError('every row of a table must have as many cells');
  const withheld = cells.map((row) => row.map((n) => n > 0 && n < MIN_COUNT));
  const extra = cells.map((row) => row.map(() => false));

  const lines: [number, number][][] = [];
  if (columns > 1) for (let r = 0; r < rows; r++) lines.push(Array.from({ length: columns }, (_, c) => [r, c]));
  if (rows > 1) for (let c = 0; c < columns; c++) lines.push(Array.from({ length: rows }, (_, r) => [r, c]));
  // The whole table: its total is the year's total, or can be had from another table.
  if (rows > 1 && columns > 1) lines.push(cells.flatMap((row, r) => row.map((_, c): [number, number] => [r, c])));

  const out = (r: number, c: number) => withheld[r]![c] || extra[r]![c];
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const alone = line.filter(([r, c]) => out(r, c));
      if (alone.length !== 1) continue;
      const open = line.filter(([r, c]) => !out(r, c));
      // The smallest count gives away least. A lone "hidden" count (5 or more) beside zeros only
      // would equal its line's total, so a 0 is withheld with it then.
      const pick = open.filter(([r, c]) => cells[r]![c]! > 0).sort(([r1, c1], [r2, c2]) => cells[r1]![c1]! - cells[r2]![c2]!)[0]
        ?? (extra[alone[0]![0]]![alone[0]![1]] ? open[0] : undefined);
      if (!pick) continue;
      extra[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
  return cells.map((row, r) => row.map((n, c) => (withheld[r]![c] ? SMALL : extra[r]![c] ? HIDDEN : n)));
}
