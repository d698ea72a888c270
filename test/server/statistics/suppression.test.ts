// Small-count suppression: 1 to 4 read "<5", 0 stays 0, 5 stays 5; a lone "<5" in a row, column
// or table takes its smallest neighbour with it; and, over random tables, no count from 1 to 4 is
// ever published and no line is left with exactly one withheld cell that could be subtracted out.
import fc from 'fast-check';
import t from 'tap';
import { HIDDEN, MIN_COUNT, shown, SMALL, suppressTable, type Shown } from '../../../server/statistics/suppression.js';

const H = HIDDEN;
const S = SMALL;

t.test('one count: 0 as 0, 1 to 4 as "<5", 5 and more as they are', async (t) => {
  t.equal(MIN_COUNT, 5);
  t.same([0, 1, 2, 3, 4, 5, 6, 120].map(shown), [0, S, S, S, S, 5, 6, 120]);
});

t.test('lists: a lone "<5" takes the smallest other count above 0 with it', async (t) => {
  t.same(suppressTable([[7], [3], [0], [12]]), [[H], [S], [0], [12]], 'the total minus 7 and 12 would give the 3 away');
  t.same(suppressTable([[2], [3], [9]]), [[S], [S], [9]], 'two "<5" protect each other');
  t.same(suppressTable([[3], [0], [0]]), [[S], [0], [0]], 'beside zeros only, the total is the "<5" itself');
  t.same(suppressTable([[5], [0], [10]]), [[5], [0], [10]], 'nothing small, nothing hidden');
  t.same(suppressTable([[4]]), [[S]]);
  t.same(suppressTable([]), []);
});

t.test('tables: rows, columns and the whole table are each checked until nothing changes', async (t) => {
  t.same(suppressTable([
    [10, 2, 8],
    [6, 7, 9],
    [5, 12, 20],
  ]), [
    [10, S, H],
    [6, H, H],
    [5, 12, 20],
  ], 'row 1 hides 8; then column 2 hides 7 and column 3 hides 9');
  t.same(suppressTable([
    [7, 0],
    [0, 2],
  ]), [
    [H, H],
    [H, S],
  ], 'the whole table: 9 in all minus 7 would give the 2 away; then the 7 alone beside zeros takes a 0 in its row and its column');
  t.same(suppressTable([
    [8, 0, 0],
    [1, 0, 0],
  ]), [
    [H, H, 0],
    [S, H, 0],
  ], 'a lone hidden count beside zeros takes a 0 with it (or its row total would show it), and that 0 another in its column');
  t.same(suppressTable([[1, 2], [3, 4]]), [[S, S], [S, S]]);
  t.throws(() => suppressTable([[1, 2], [3]]), RangeError);
});

t.test('over random tables, nothing from 1 to 4 is published and no line has one withheld cell', async (t) => {
  const table = fc.integer({ min: 1, max: 7 }).chain((columns) =>
    fc.array(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 60 })), { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 8 }));
  fc.assert(fc.property(table, (cells) => {
    const out = suppressTable(cells);
    const withheld = (v: Shown) => v === SMALL || v === HIDDEN;
    for (const [r, row] of cells.entries()) {
      for (const [c, n] of row.entries()) {
        const v = out[r]![c]!;
        if (n >= 1 && n <= 4 && v !== SMALL) return false;
        if (typeof v === 'number' && v !== n) return false;
        if (v === HIDDEN && n < MIN_COUNT && n !== 0) return false;
      }
    }
    const lines: Shown[][] = [];
    if (cells[0]!.length > 1) lines.push(...out);
    if (cells.length > 1) for (let c = 0; c < cells[0]!.length; c++) lines.push(out.map((row) => row[c]!));
    for (const line of lines) {
      const hidden = line.filter(withheld);
      // One withheld cell may stand alone only where every other cell is 0 and it is a "<5".
      if (hidden.length === 1 && !(hidden[0] === SMALL && line.every((v) => withheld(v) || v === 0))) return false;
    }
    return true;
  }), { numRuns: 500 });
  t.pass('500 random tables');
});
