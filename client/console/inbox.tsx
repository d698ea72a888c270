// The inbox: the reports of the user's channels, newest first, filtered and paged by the server
// (GET /api/reports), with both legal deadlines per report and the overdue ones marked in words
// and colour. Filters live in the URL fragment, so the back button and a reload keep them.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from './api.js';
import { AwaitingMe, ToApprove } from './approvals.js';
import { Busy, ErrorText, PageHeading, TableScroll } from './components.js';
import { channelTitle, formatDate, formatDateTime, useApp, useFocusHeading, usernames } from './context.js';
import { dueSoon, overdueOf } from '../../domain/deadlines.js';
import { CATEGORY_CODES } from './labels.js';
import { DeletionMarker } from './retention.js';
import { hrefOf } from './route.js';
import { SEVERITIES, STATUSES, type ErrorInfo, type InboxPage, type ListItem } from './types.js';

const FILTERS = ['status', 'channel', 'severity', 'category', 'assignee', 'overdue'] as const;
type Filter = (typeof FILTERS)[number];
export const PAGE_SIZE = 50;

export function Inbox({ params }: { params: URLSearchParams }) {
  const { t, locale, http, channels, session, navigate, failed, announce, reloadApprovals } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  // The rows with the query (filters and order) they were loaded for: until the new query's
  // first page arrives, the old rows are not shown under the new query's caption.
  const [loaded, setLoaded] = useState<{ key: string; rows: ListItem[] } | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [counts, setCounts] = useState<Partial<InboxPage['counts']>>({});
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const names = usernames(channels);
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<Filter, string>;
  const key = params.toString();
  const sort = params.get('sort') === 'oldest' ? 'oldest' : 'newest';
  const rows = loaded?.key === key ? loaded.rows : undefined;
  const tableRef = useRef<HTMLTableSectionElement>(null);

  // Whether the user awaits approval, or colleagues await theirs, may have changed since sign-in.
  useEffect(() => reloadApprovals(), []);

  const load = async (cursor?: string) => {
    const page = await api<InboxPage>(http, 'GET', `/api/reports${query({ ...filters, overdue: filters.overdue === 'true' ? 'true' : undefined, sort: sort === 'oldest' ? 'oldest' : undefined, limit: PAGE_SIZE, cursor })}`);
    return page;
  };

  useEffect(() => {
    let live = true;
    setLoaded(undefined);
    setError(undefined);
    load().then((page) => {
      if (!live) return;
      setLoaded({ key, rows: page.reports });
      setNext(page.nextCursor);
      setCounts(page.counts);
    }).catch((e) => live && setError(failed(e)));
    return () => {
      live = false;
    };
  }, [key]);

  const more = async () => {
    if (!next || !rows) return;
    setLoadingMore(true);
    try {
      const page = await load(next);
      const firstNew = rows.length;
      setLoaded({ key, rows: [...rows, ...page.reports] });
      setNext(page.nextCursor);
      announce(t('inbox.loaded', { n: page.reports.length }));
      // Keyboard users carry on from the first row that arrived.
      setTimeout(() => tableRef.current?.querySelectorAll<HTMLAnchorElement>('a.row-link')[firstNew]?.focus(), 0);
    } catch (e) {
      setError(failed(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const setFilter = (name: Filter, value: string) => {
    const q = new URLSearchParams(params);
    if (value) q.set(name, value);
    else q.delete(name);
    navigate({ name: 'inbox', query: q }, true);
  };

  /** Up and down arrows move between reports; Enter opens one (it is a link). */
  const onKeyDown = (event: KeyboardEvent) => {
    const links = [...(tableRef.current?.querySelectorAll<HTMLAnchorElement>('a.row-link') ?? [])];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    const to = event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? links.length - 1 : -2;
    if (to === -2) return;
    event.preventDefault();
    links[Math.max(0, Math.min(links.length - 1, to))]?.focus();
  };

  const now = Date.now();
  const total = STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const myChannels = channels.filter((c) => session?.user.channels.includes(c.id));
  const assignable = [...new Map(myChannels.flatMap((c) => c.members.map((m) => [m.id, m.username] as const))).entries()]
    .sort((a, b) => a[1].localeCompare(b[1]));
  const select = (name: Filter, label: string, options: Array<[string, string]>) => (
    <div class="filter">
      <label for={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} value={filters[name]} onChange={(e) => setFilter(name, (e.target as HTMLSelectElement).value)}>
        <option value="">{t('filter.any')}</option>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </div>
  );

  return (
    <div>
      <PageHeading headingRef={heading}>{t('inbox.title')}</PageHeading>
      <AwaitingMe />
      <ToApprove />
      <nav aria-label={t('inbox.counts')} class="counts">
        <ul>
          <li><a href={hrefOf({ name: 'inbox', query: withoutStatus(params) })} aria-current={filters.status === '' ? 'true' : undefined}>
            {t('inbox.all')} <span class="count">{total}</span></a></li>
          {STATUSES.map((s) => {
            const q = new URLSearchParams(params);
            q.set('status', s);
            return (
              <li key={s}><a href={hrefOf({ name: 'inbox', query: q })} aria-current={filters.status === s ? 'true' : undefined}>
                {t(`status.${s}`)} <span class="count">{counts[s] ?? 0}</span></a></li>
            );
          })}
        </ul>
      </nav>
      <form class="filters" aria-label={t('inbox.filters')} onSubmit={(e) => e.preventDefault()}>
        {select('status', t('filter.status'), STATUSES.map((s) => [s, t(`status.${s}`)]))}
        {select('channel', t('filter.channel'), myChannels.map((c) => [c.id, channelTitle(channels, c.id, locale)]))}
        {select('severity', t('filter.severity'), SEVERITIES.map((s) => [s, t(`severity.${s}`)]))}
        {select('category', t('filter.category'), CATEGORY_CODES.map((c) => [c, t(`category.${c}`)]))}
        {select('assignee', t('filter.assignee'), [['me', t('filter.me')], ...assignable])}
        <div class="filter check">
          <input id="filter-overdue" type="checkbox" checked={filters.overdue === 'true'} onChange={(e) => setFilter('overdue', (e.target as HTMLInputElement).checked ? 'true' : '')} />
          <label for="filter-overdue">{t('filter.overdue')}</label>
        </div>
        <div class="filter">
          <label for="inbox-sort">{t('sort.label')}</label>
          <select id="inbox-sort" value={sort} onChange={(e) => {
            const q = new URLSearchParams(params);
            if ((e.target as HTMLSelectElement).value === 'oldest') q.set('sort', 'oldest');
            else q.delete('sort');
            navigate({ name: 'inbox', query: q }, true);
          }}>
            <option value="newest">{t('sort.newest')}</option>
            <option value="oldest">{t('sort.oldest')}</option>
          </select>
        </div>
        {FILTERS.some((f) => filters[f]) && (
          <button type="button" class="link" onClick={() => navigate({ name: 'inbox', query: new URLSearchParams() }, true)}>{t('filter.clear')}</button>
        )}
      </form>
      <ErrorText error={error} />
      {rows === undefined && !error && <Busy label={t('inbox.loading')} />}
      {rows !== undefined && rows.length === 0 && <p class="empty" role="status">{t('inbox.empty')}</p>}
      {rows !== undefined && rows.length > 0 && (
        <TableScroll label={t('inbox.table')}>
          <table class="inbox">
            <caption>{t(sort === 'oldest' ? 'inbox.captionOldest' : 'inbox.caption', { n: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('inbox.received')}</th>
                <th scope="col">{t('inbox.channel')}</th>
                <th scope="col">{t('inbox.status')}</th>
                <th scope="col">{t('inbox.severity')}</th>
                <th scope="col">{t('inbox.category')}</th>
                <th scope="col">{t('inbox.assignees')}</th>
                <th scope="col">{t('inbox.acknowledgeBy')}</th>
                <th scope="col">{t('inbox.feedbackBy')}</th>
              </tr>
            </thead>
            <tbody ref={tableRef} onKeyDown={onKeyDown}>
              {rows.map((r) => {
                const late = overdueOf(r, now);
                const overdue = late.acknowledge || late.feedback;
                return (
                  <tr key={r.id} class={`${overdue ? 'overdue' : ''}${r.unread ? ' unread' : ''}`}>
                    <th scope="row">
                      <a class="row-link" href={hrefOf({ name: 'report', id: r.id })}>
                        {r.unread && <span class="dot" aria-hidden="true" />}
                        {formatDateTime(locale, r.receivedAt)}
                        {r.unread && <span class="visually-hidden"> ({t('inbox.unread')})</span>}
                        {overdue && <span class="visually-hidden"> ({t('inbox.overdue')})</span>}
                      </a>
                    </th>
                    <td>{channelTitle(channels, r.channelId, locale)}</td>
                    <td><span class={`badge status-${r.status}`}>{t(`status.${r.status}`)}</span><DeletionMarker item={r} now={now} /></td>
                    <td>{r.severity ? <span class={`badge severity-${r.severity}`}>{t(`severity.${r.severity as 'low'}`)}</span> : <span class="muted">{t('none')}</span>}</td>
                    <td>{r.category ? t(`category.${r.category as 'OTHER'}`) : <span class="muted">{t('none')}</span>}</td>
                    <td>{r.assignees.length > 0 ? r.assignees.map((a) => names.get(a) ?? a).join(', ') : <span class="muted">{t('none')}</span>}</td>
                    <Deadline at={r.acknowledgeBy} done={r.acknowledgedAt !== null || r.status === 'closed'} late={late.acknowledge} now={now} />
                    <Deadline at={r.feedbackBy} done={r.status === 'closed'} late={late.feedback} now={now} />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {rows !== undefined && next && (
        <div class="actions">
          <button type="button" class="secondary" onClick={more} disabled={loadingMore}>{t('inbox.more')}</button>
          {loadingMore && <Busy label={t('inbox.loading')} />}
        </div>
      )}
      <p class="help">{t('inbox.keyboard')}</p>
    </div>
  );
}

function Deadline({ at, done, late, now }: { at: string; done: boolean; late: boolean; now: number }) {
  const { t, locale } = useApp();
  const soon = !done && !late && dueSoon(at, now);
  return (
    <td class={late ? 'late' : soon ? 'soon' : done ? 'met' : ''}>
      <time dateTime={at}>{formatDate(locale, at)}</time>
      {late && <span class="badge overdue-badge">{t('inbox.overdue')}</span>}
      {soon && <span class="badge soon-badge">{t('inbox.dueSoon')}</span>}
      {done && <span class="visually-hidden"> ({t('inbox.done')})</span>}
    </td>
  );
}

function withoutStatus(params: URLSearchParams): URLSearchParams {
  const q = new URLSearchParams(params);
  q.delete('status');
  return q;
}
