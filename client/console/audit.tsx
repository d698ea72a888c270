// The audit trail for administrators and auditors: the hash chain's verification status first,
// then the events (oldest first, as the chain runs), filtered by actor, action and a time range
// (on the server), paged.
import { useEffect, useState } from 'preact/hooks';
import { api, query } from './api.js';
import { Busy, ErrorText, PageHeading, TableScroll } from './components.js';
import { formatDateTime, useApp, useFocusHeading, usernames } from './context.js';
import { AUDIT_ACTIONS } from './labels.js';
import type { AuditEvent, AuditVerify, ErrorInfo, UserRow } from './types.js';

export const AUDIT_PAGE = 100;

/** `2026-11-28T17:05` in the browser's time zone → ISO 8601 UTC, or undefined. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function isoToLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function Audit({ params }: { params: URLSearchParams }) {
  const { t, locale, http, failed, session, channels, navigate } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [verify, setVerify] = useState<AuditVerify | undefined>();
  const [events, setEvents] = useState<AuditEvent[] | undefined>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [reversed, setReversed] = useState(false);
  const [names, setNames] = useState<Map<string, string>>(() => usernames(channels));
  const actor = params.get('actor') ?? '';
  const action = params.get('action') ?? '';
  const since = params.get('since') ?? '';
  const until = params.get('until') ?? '';
  const fromParams = () => ({ actor, action, since: since ? isoToLocal(since) : '', until: until ? isoToLocal(until) : '' });
  const [form, setForm] = useState(fromParams);
  const key = params.toString();

  const fetchPage = (afterSeq?: number) =>
    api<{ events: AuditEvent[] }>(http, 'GET', `/api/audit${query({ actor, action, since, until, afterSeq, limit: AUDIT_PAGE })}`);

  useEffect(() => {
    api<AuditVerify>(http, 'GET', '/api/audit/verify').then(setVerify).catch((e) => setError(failed(e)));
    // Administrators can name every user; auditors see the names of channel members only.
    if (session?.user.roles.includes('admin')) {
      api<{ users: UserRow[] }>(http, 'GET', '/api/users')
        .then((r) => setNames(new Map(r.users.map((u) => [u.id, u.username]))))
        .catch(() => undefined);
    }
  }, []);

  useEffect(() => {
    setEvents(undefined);
    setForm(fromParams());
    fetchPage().then((r) => {
      setEvents(r.events);
      setMore(r.events.length === AUDIT_PAGE);
    }).catch((e) => setError(failed(e)));
  }, [key]);

  const loadMore = async () => {
    if (!events || events.length === 0) return;
    try {
      const r = await fetchPage(events.at(-1)!.seq);
      setEvents([...events, ...r.events]);
      setMore(r.events.length === AUDIT_PAGE);
    } catch (e) {
      setError(failed(e));
    }
  };

  const apply = (event: Event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    if (form.actor.trim()) q.set('actor', form.actor.trim());
    if (form.action.trim()) q.set('action', form.action.trim());
    const from = localToIso(form.since);
    if (from) q.set('since', from);
    const to = localToIso(form.until);
    if (to) q.set('until', to);
    // The server refuses such a range too; saying so here keeps the reader on the form.
    setReversed(!!from && !!to && from >= to);
    if (from && to && from >= to) return;
    navigate({ name: 'audit', query: q }, true);
  };

  const actorText = (a: string) => {
    const id = a.startsWith('user:') ? a.slice(5) : undefined;
    const name = id ? names.get(id) : undefined;
    if (a === 'system') return t('audit.system');
    if (a === 'anonymous') return t('audit.anonymous');
    if (a === 'reporter') return t('audit.reporter');
    return name ?? a;
  };
  const actorOptions = [...names.entries()].sort((a, b) => a[1].localeCompare(b[1]));

  return (
    <div>
      <PageHeading headingRef={heading}>{t('audit.title')}</PageHeading>
      <div class={`verify ${verify === undefined ? '' : verify.ok ? 'ok' : 'broken'}`} role="status">
        {verify === undefined ? t('audit.verifying')
          : verify.ok ? t('audit.verified', { count: verify.count })
            : t('audit.broken', { seq: verify.seq, reason: verify.reason })}
      </div>
      <form class="filters" onSubmit={apply} aria-label={t('audit.filters')}>
        <div class="filter">
          <label for="audit-actor">{t('audit.actor')}</label>
          <select id="audit-actor" value={form.actor} onChange={(e) => setForm({ ...form, actor: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('filter.any')}</option>
            <option value="system">{t('audit.system')}</option>
            <option value="anonymous">{t('audit.anonymous')}</option>
            <option value="reporter">{t('audit.reporter')}</option>
            {actorOptions.map(([id, name]) => <option key={id} value={`user:${id}`}>{name}</option>)}
            {form.actor && !['system', 'anonymous', 'reporter'].includes(form.actor) && !names.has(form.actor.slice(5)) && <option value={form.actor}>{form.actor}</option>}
          </select>
        </div>
        <div class="filter">
          <label for="audit-action">{t('audit.action')}</label>
          <input id="audit-action" type="text" list="audit-actions" value={form.action} spellcheck={false}
            onInput={(e) => setForm({ ...form, action: (e.target as HTMLInputElement).value })} />
          <datalist id="audit-actions">{AUDIT_ACTIONS.map((a) => <option key={a} value={a} />)}</datalist>
        </div>
        <div class="filter">
          <label for="audit-since">{t('audit.since')}</label>
          <input id="audit-since" type="datetime-local" value={form.since} onInput={(e) => setForm({ ...form, since: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="filter">
          <label for="audit-until">{t('audit.until')}</label>
          <input id="audit-until" type="datetime-local" value={form.until} aria-invalid={reversed} aria-describedby={reversed ? 'audit-range-error' : undefined}
            onInput={(e) => setForm({ ...form, until: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="filter"><button type="submit" class="secondary">{t('audit.apply')}</button></div>
      </form>
      {reversed && <p class="error" role="alert" id="audit-range-error">{t('audit.reversed')}</p>}
      <ErrorText error={error} />
      {events === undefined && !error && <Busy label={t('loading')} />}
      {events !== undefined && events.length === 0 && <p role="status">{t('audit.none')}</p>}
      {events !== undefined && events.length > 0 && (
        <TableScroll label={t('audit.table')}>
          <table class="audit">
            <caption>{t('audit.caption', { n: events.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.seq')}</th>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.seq}>
                  <th scope="row">{e.seq}</th>
                  <td><time dateTime={e.at}>{formatDateTime(locale, e.at)}</time></td>
                  <td>{actorText(e.actor)}</td>
                  <td><code>{e.action}</code></td>
                  <td>{e.target ? <code class="id">{names.get(e.target) ?? e.target}</code> : ''}</td>
                  <td>{e.details === null || e.details === undefined ? '' : <code class="details">{JSON.stringify(e.details)}</code>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {more && <div class="actions"><button type="button" class="secondary" onClick={loadMore}>{t('audit.more')}</button></div>}
    </div>
  );
}
