// Statistics and the integrity risk map, for administrators and auditors: one calendar year over
// every channel, as the server publishes it (counts from 1 to 4 arrive as "<5" already), drawn as
// SVG charts each followed by its table, with the CSV of the same tables to download.
import { useEffect, useState } from 'preact/hooks';
import { localText } from '../../domain/text.js';
import { api, query } from './api.js';
import { DataTable, GroupedBars, HBars, HeatGrid, type Key, type Shown } from './charts.js';
import { Busy, ErrorText, PageHeading, TableScroll } from './components.js';
import { formatDateTime, useApp, useFocusHeading } from './context.js';
import { catalogues, type MessageKey } from './i18n/index.js';
import { processLabel } from './labels.js';
import type { StatisticsReport } from '../../domain/statistics.js';
import type { ErrorInfo } from './types.js';

// The document's shape is the server's own type (a type-only import: nothing of the server is bundled).
type Table = StatisticsReport['riskMap'];

/** GET /api/statistics. */
export type StatisticsDoc = StatisticsReport;

const column = (table: Table): Shown[] => table.cells.map((row) => row[0] ?? 0);

export function Statistics({ params }: { params: URLSearchParams }) {
  const { t, locale, http, failed, navigate } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [doc, setDoc] = useState<StatisticsDoc | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const year = params.get('year') ?? '';

  useEffect(() => {
    setDoc(undefined);
    setError(undefined);
    api<StatisticsDoc>(http, 'GET', `/api/statistics${query({ year: /^\d{4}$/.test(year) ? year : undefined })}`)
      .then(setDoc).catch((e) => setError(failed(e)));
  }, [year]);

  const notSet = t('stats.notSet');
  const keys = (list: (string | null)[], label: (k: string) => string): Key[] =>
    list.map((k) => ({ key: k ?? '', label: k === null ? notSet : label(k) }));
  // A code the catalogue has no name for (a label from elsewhere) is shown as it is.
  const known = (prefix: string) => (k: string) => {
    const key = `${prefix}.${k}`;
    return key in catalogues.en! ? t(key as MessageKey) : k;
  };

  return (
    <div class="statistics">
      <PageHeading headingRef={heading}>{t('stats.title')}</PageHeading>
      <p>{t('stats.intro')}</p>
      <ErrorText error={error} />
      {!doc && !error && <Busy label={t('loading')} />}
      {doc && (() => {
        const month = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
        const months = keys(doc.monthChannel.rows, (m) => month.format(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1)));
        const channels = keys(doc.monthChannel.columns, (id) => localText(doc.channels.find((c) => c.id === id)?.title, locale) || id);
        const statuses = keys(doc.status.rows, known('status'));
        const categories = keys(doc.categoryOutcome.rows, known('category'));
        const outcomes = keys(doc.categoryOutcome.columns, (o) => (o === 'open' ? t('stats.open') : known('outcome')(o)));
        const ack = keys(doc.acknowledgement.rows, known('stats.ack'));
        const fb = keys(doc.feedback.rows, known('stats.fb'));
        const offices = keys(doc.riskMap.rows, (o) => o);
        const processes = keys(doc.riskMap.columns, (p) => processLabel(p, locale));
        const list = (k: Key[], table: Table) => k.map((key, i) => ({ ...key, value: column(table)[i] ?? 0 }));
        const plural = new Intl.PluralRules(locale);
        const days = (v: number | null) => (v === null ? t('stats.tooFew')
          : t(plural.select(v) === 'one' ? 'stats.day' : 'stats.days', { n: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v) }));
        const count = t('stats.reports');
        const desc = t('stats.chartDesc');
        return (
          <>
            <form class="filters" aria-label={t('stats.period')} onSubmit={(e) => e.preventDefault()}>
              <div class="filter">
                <label for="stats-year">{t('stats.year')}</label>
                <select id="stats-year" value={String(doc.year)}
                  onChange={(e) => navigate({ name: 'statistics', query: new URLSearchParams({ year: (e.target as HTMLSelectElement).value }) }, true)}>
                  {doc.years.map((y) => <option key={y} value={String(y)}>{y}</option>)}
                </select>
              </div>
              <div class="filter">
                <a class="button secondary" href={`/api/statistics.csv?year=${doc.year}`} download={`sealbox-statistics-${doc.year}.csv`}>
                  {t('stats.csv', { year: doc.year })}
                </a>
              </div>
            </form>
            <div class="notice" role="note">
              <p>{t('stats.suppression', { max: doc.threshold - 1 })}</p>
              <p class="muted">{t('stats.generated', { time: formatDateTime(locale, doc.generatedAt) })}</p>
            </div>
            <p class="stats-total">{t('stats.total', { year: doc.year, n: typeof doc.total === 'number' ? new Intl.NumberFormat(locale).format(doc.total) : t(doc.total === '<5' ? 'stats.small' : 'stats.hidden') })}</p>

            <section class="card" aria-labelledby="stats-months">
              <h2 id="stats-months">{t('stats.months')}</h2>
              <GroupedBars id="chart-months" title={t('stats.months')} desc={desc} groups={months} series={channels} cells={doc.monthChannel.cells} />
              <DataTable caption={t('stats.months')} corner={t('stats.month')} rows={months} columns={channels} cells={doc.monthChannel.cells} />
            </section>

            <section class="card" aria-labelledby="stats-status">
              <h2 id="stats-status">{t('stats.status')}</h2>
              <HBars id="chart-status" title={t('stats.status')} desc={desc} items={list(statuses, doc.status)} />
              <DataTable caption={t('stats.status')} corner={t('triage.status')} rows={statuses} columns={[{ key: 'reports', label: count }]} cells={doc.status.cells} />
            </section>

            <section class="card" aria-labelledby="stats-categories">
              <h2 id="stats-categories">{t('stats.categories')}</h2>
              <HeatGrid id="chart-categories" title={t('stats.categories')} desc={desc} label={t('stats.categories')} rows={categories} columns={outcomes} cells={doc.categoryOutcome.cells} />
              <DataTable caption={t('stats.categories')} corner={t('triage.category')} rows={categories} columns={outcomes} cells={doc.categoryOutcome.cells} />
            </section>

            <section class="card" aria-labelledby="stats-deadlines">
              <h2 id="stats-deadlines">{t('stats.deadlines')}</h2>
              <p class="help">{t('stats.deadlinesHelp')}</p>
              <div class="stats-pair">
                <div>
                  <h3 id="stats-ack">{t('stats.acknowledgement')}</h3>
                  <HBars id="chart-ack" title={t('stats.acknowledgement')} desc={desc} items={list(ack, doc.acknowledgement)} />
                  <DataTable caption={t('stats.acknowledgement')} corner={t('stats.deadline')} rows={ack} columns={[{ key: 'reports', label: count }]} cells={doc.acknowledgement.cells} />
                </div>
                <div>
                  <h3 id="stats-fb">{t('stats.feedback')}</h3>
                  <HBars id="chart-fb" title={t('stats.feedback')} desc={desc} items={list(fb, doc.feedback)} />
                  <DataTable caption={t('stats.feedback')} corner={t('stats.deadline')} rows={fb} columns={[{ key: 'reports', label: count }]} cells={doc.feedback.cells} />
                </div>
              </div>
              <TableScroll label={t('stats.durations')}>
                <table class="numbers durations">
                  <caption>{t('stats.durations')}</caption>
                  <thead>
                    <tr><th scope="col">{t('stats.from')}</th><th scope="col">{t('stats.median')}</th><th scope="col">{t('stats.p90')}</th></tr>
                  </thead>
                  <tbody>
                    <tr><th scope="row">{t('stats.toAcknowledge')}</th><td>{days(doc.durations.acknowledge.medianDays)}</td><td>{days(doc.durations.acknowledge.p90Days)}</td></tr>
                    <tr><th scope="row">{t('stats.toFeedback')}</th><td>{days(doc.durations.feedback.medianDays)}</td><td>{days(doc.durations.feedback.p90Days)}</td></tr>
                  </tbody>
                </table>
              </TableScroll>
              <p class="help">{t('stats.feedbackDefinition')}</p>
            </section>

            <section class="card" aria-labelledby="stats-risk">
              <h2 id="stats-risk">{t('stats.risk')}</h2>
              <p class="help">{t('stats.riskHelp')}</p>
              {offices.length === 0 || processes.length === 0
                ? <p class="muted">{t('stats.riskEmpty')}</p>
                : <>
                  <HeatGrid id="chart-risk" title={t('stats.risk')} desc={desc} label={t('stats.risk')} rows={offices} columns={processes} cells={doc.riskMap.cells} />
                  <DataTable caption={t('stats.risk')} corner={t('triage.office')} rows={offices} columns={processes} cells={doc.riskMap.cells} />
                </>}
            </section>
          </>
        );
      })()}
    </div>
  );
}
