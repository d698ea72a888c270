// Charts drawn as SVG by hand, for the statistics page: horizontal bars, grouped bars per month and
// a heat grid. Geometry lives in attributes and colours in classes (the CSP allows no inline
// style). Each chart is an image with a title and a description, and the same values follow it
// as a table, so that nothing is said by the drawing alone.
import type { ComponentChildren } from 'preact';
import { TableScroll } from './components.js';
import { useApp } from './context.js';

/** A published count: a number, "<5" (1 to 4) or "hidden" (withheld to protect a "<5"). */
export type Shown = number | '<5' | 'hidden';

export interface Key {
  key: string;
  label: string;
}

/** A count as text: the number in the reader's format, "<5", or the word for hidden. */
export function useCountText(): (v: Shown) => string {
  const { t, locale } = useApp();
  const number = new Intl.NumberFormat(locale);
  return (v) => (v === '<5' ? t('stats.small') : v === 'hidden' ? t('stats.hidden') : number.format(v));
}

const largest = (values: Shown[]): number => Math.max(1, ...values.map((v) => (typeof v === 'number' ? v : 0)));
/** A share of the largest value as an SVG length (percent of the chart's width). */
const percent = (v: number, max: number): string => `${Math.round((v / max) * 1000) / 10}%`;
/** Long labels are cut in the drawing; the table beside it has them whole. */
const clip = (text: string, max = 34): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function Svg({ id, title, desc, width, height, className, children }: {
  id: string; title: string; desc: string; width: string | number; height: number; className: string; children: ComponentChildren;
}) {
  return (
    <svg class={`chart ${className}`} width={width} height={height} role="img" aria-labelledby={`${id}-title ${id}-desc`} focusable="false">
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {children}
    </svg>
  );
}

/** A drawn bar for a count: its length for a number, a short dashed stub for "<5", nothing for "hidden". */
function Bar({ value, max, x, y, height, series }: { value: Shown; max: number; x: string; y: number; height: number; series: number }) {
  if (value === 'hidden' || value === 0) return null;
  if (value === '<5') return <rect class={`bar small series-${series}`} x={x} y={y} width="4" height={height} />;
  return <rect class={`bar series-${series}`} x={x} y={y} width={percent(value, max)} height={height} />;
}

/** One bar per item, its label and value written above it. */
export function HBars({ id, title, desc, items }: { id: string; title: string; desc: string; items: Array<Key & { value: Shown }> }) {
  const text = useCountText();
  const max = largest(items.map((i) => i.value));
  const ROW = 42;
  return (
    <Svg id={id} title={title} desc={desc} width="100%" height={items.length * ROW} className="hbars">
      {items.map((item, i) => (
        <g key={item.key}>
          <text class="label" x="0" y={i * ROW + 15}>{`${clip(item.label, 48)}: ${text(item.value)}`}</text>
          <rect class="track" x="0" y={i * ROW + 21} width="100%" height="14" />
          <Bar value={item.value} max={max} x="0" y={i * ROW + 21} height={14} series={0} />
        </g>
      ))}
    </Svg>
  );
}

/** Bars grouped per column key (months), one colour per series (channels), with a legend. */
export function GroupedBars({ id, title, desc, groups, series, cells }: {
  id: string; title: string; desc: string; groups: Key[]; series: Key[]; cells: Shown[][];
}) {
  const text = useCountText();
  const max = largest(cells.flat());
  const TOP = 18;
  const PLOT = 180;
  const group = 100 / Math.max(1, groups.length);
  const bar = (group * 0.8) / Math.max(1, series.length);
  const y = (v: number) => TOP + PLOT - (v / max) * PLOT;
  return (
    <div>
      <Svg id={id} title={title} desc={desc} width="100%" height={TOP + PLOT + 26} className="vbars">
        <line class="grid" x1="0" x2="100%" y1={TOP} y2={TOP} />
        <text class="axis" x="100%" y={TOP - 5} text-anchor="end">{text(max)}</text>
        <line class="axis-line" x1="0" x2="100%" y1={TOP + PLOT} y2={TOP + PLOT} />
        {groups.map((g, gi) => (
          <g key={g.key}>
            {series.map((s, si) => {
              const v = cells[gi]?.[si] ?? 0;
              const x = `${gi * group + group * 0.1 + si * bar}%`;
              if (v === '<5') return <rect key={s.key} class={`bar small series-${si}`} x={x} y={TOP + PLOT - 4} width={`${bar}%`} height="4" />;
              if (typeof v !== 'number' || v === 0) return null;
              return <rect key={s.key} class={`bar series-${si}`} x={x} y={y(v)} width={`${bar}%`} height={TOP + PLOT - y(v)} />;
            })}
            {/* Every other label is left out on a narrow screen, where twelve would run together. */}
            <text class={`axis${gi % 2 ? ' every-other' : ''}`} x={`${(gi + 0.5) * group}%`} y={TOP + PLOT + 18} text-anchor="middle">{g.label}</text>
          </g>
        ))}
      </Svg>
      <ul class="legend">
        {series.map((s, si) => <li key={s.key}><span class={`swatch series-${si}`} aria-hidden="true" />{s.label}</li>)}
      </ul>
    </div>
  );
}

/** Heat level of a cell: 0 for none, 1–4 by its share of the largest count. */
function heat(v: Shown, max: number): string {
  if (v === '<5') return 'heat-small';
  if (v === 'hidden') return 'heat-hidden';
  if (v === 0) return 'heat-0';
  return `heat-${Math.min(4, Math.max(1, Math.ceil((v / max) * 4)))}`;
}

/** Rows × columns as shaded cells with their counts: the risk map, and categories by outcome. */
export function HeatGrid({ id, title, desc, label, rows, columns, cells }: {
  id: string; title: string; desc: string; label: string; rows: Key[]; columns: Key[]; cells: Shown[][];
}) {
  const text = useCountText();
  const max = largest(cells.flat());
  const LABEL = 250;
  const CELL_W = 66;
  const CELL_H = 30;
  const HEAD = 120;
  return (
    <TableScroll label={label}>
      <Svg id={id} title={title} desc={desc} width={LABEL + columns.length * CELL_W + 8} height={HEAD + rows.length * CELL_H + 4} className="heat">
        {columns.map((c, ci) => (
          <text key={c.key} class="axis" transform={`translate(${LABEL + ci * CELL_W + CELL_W / 2 + 4} ${HEAD - 8}) rotate(-40)`}>{clip(c.label, 22)}</text>
        ))}
        {rows.map((r, ri) => (
          <g key={r.key}>
            <text class="axis" x={LABEL - 8} y={HEAD + ri * CELL_H + CELL_H / 2 + 5} text-anchor="end">{clip(r.label)}</text>
            {columns.map((c, ci) => {
              const v = cells[ri]?.[ci] ?? 0;
              const level = heat(v, max);
              return (
                <g key={c.key}>
                  <rect class={`cell ${level}`} x={LABEL + ci * CELL_W} y={HEAD + ri * CELL_H} width={CELL_W - 2} height={CELL_H - 2} />
                  <text class={`cell-text ${level}`} x={LABEL + ci * CELL_W + CELL_W / 2 - 1} y={HEAD + ri * CELL_H + CELL_H / 2 + 4} text-anchor="middle">{text(v)}</text>
                </g>
              );
            })}
          </g>
        ))}
      </Svg>
    </TableScroll>
  );
}

/** The values of a chart as a table, folded under it. */
export function DataTable({ caption, corner, rows, columns, cells }: {
  caption: string; corner: string; rows: Key[]; columns: Key[]; cells: Shown[][];
}) {
  const { t } = useApp();
  const text = useCountText();
  return (
    <details class="data">
      <summary>{t('stats.table', { title: caption })}</summary>
      <TableScroll label={caption}>
        <table class="numbers">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{corner}</th>
              {columns.map((c) => <th scope="col" key={c.key}>{c.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, ri) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                {columns.map((c, ci) => <td key={c.key}>{text(cells[ri]?.[ci] ?? 0)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </details>
  );
}
