// What a benchmark section returns, and how it is printed: an aligned plain-text table with the
// row notes as numbered footnotes underneath, so that long explanations do not widen the table.

export interface Row {
  operation: string;
  /** The figure for Sealbox's own code path, already formatted with its unit ("412 ms", "310 MB/s"). */
  sealbox: string;
  /** The same operation through the baseline (for the crypto section: Node's native `crypto`), or "—". */
  baseline: string;
  /** Formatted ratio ("2.31×"), or "—" when there is no baseline. The section says which way round. */
  ratio: string;
  /** What the row measures or what the baseline does differently; printed as a footnote. */
  note?: string;
}

export interface Section {
  title: string;
  /** One or two lines under the title: what is measured, which way round the ratio is. */
  intro?: string;
  /** Overrides of the column headings. */
  headers?: Partial<Record<Column, string>>;
  rows: Row[];
  /** Footnotes that belong to the whole section rather than to one row. */
  notes?: string[];
}

type Column = 'operation' | 'sealbox' | 'baseline' | 'ratio';

const COLUMNS: Column[] = ['operation', 'sealbox', 'baseline', 'ratio'];
const DEFAULT_HEADERS: Record<Column, string> = { operation: 'operation', sealbox: 'Sealbox', baseline: 'baseline', ratio: 'ratio' };
const WIDTH = 100;

/** Display width in code points (enough for the ×, ÷, µ and dashes these tables use). */
const width = (text: string): number => [...text].length;

function align(text: string, size: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return right ? fill + text : text + fill;
}

/** Word-wraps `text` to WIDTH columns after the prefix `first`; later lines indented by `indent` spaces. */
function wrap(text: string, first: string, indent: number): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && width(line) + 1 + width(word) > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent);
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

export function formatSection(section: Section): string {
  // Identical notes share one number, so five PoW rows with the same caveat get one footnote.
  const footnotes: string[] = [];
  const marked = section.rows.map((row) => {
    if (!row.note) return row;
    let n = footnotes.indexOf(row.note) + 1;
    if (n === 0) n = footnotes.push(row.note);
    return { ...row, operation: `${row.operation} [${n}]` };
  });
  for (const note of section.notes ?? []) footnotes.push(note);

  const headers = { ...DEFAULT_HEADERS, ...section.headers };
  const sizes = COLUMNS.map((c) => Math.max(width(headers[c]), ...marked.map((r) => width(r[c]))));
  const line = (cells: Record<Column, string>): string =>
    COLUMNS.map((c, i) => align(cells[c], sizes[i]!, c !== 'operation')).join('   ').trimEnd();

  const out = [section.title, '='.repeat(width(section.title))];
  if (section.intro) out.push(...wrap(section.intro, '', 0), '');
  out.push(line(headers), COLUMNS.map((_, i) => '-'.repeat(sizes[i]!)).join('   '));
  for (const row of marked) out.push(line(row));
  if (footnotes.length > 0) out.push('');
  footnotes.forEach((note, i) => {
    const mark = `[${i + 1}] `;
    out.push(...wrap(note, mark, mark.length));
  });
  return out.join('\n');
}
