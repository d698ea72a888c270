// The console: sign-in or enrolment while locked; once signed in, the inbox, reports and the
// administration pages, with the idle lock watching. Locking (idle, signing out, a lost session)
// stops the worker, which holds every key, and starts a fresh one.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Account } from './account.js';
import { api, browserHttp } from './api.js';
import { Approvals, approvableOf, RecoveryApproval } from './approvals.js';
import { Audit } from './audit.js';
import { Channels } from './channels.js';
import { toInfo } from './components.js';
import { Ctx, type AppContext } from './context.js';
import { Enrol } from './enrol.js';
import { LANGUAGES, makeT, dirOf } from './i18n/index.js';
import { ACTIVITY_EVENTS, IdleTimer } from './idle.js';
import { Inbox } from './inbox.js';
import { ReportPage } from './report-view.js';
import { hrefOf, parseRoute, type Route } from './route.js';
import { Settings } from './settings.js';
import { Statistics } from './statistics.js';
import { SignIn, type Notice } from './sign-in.js';
import type { AwaitingList, ChannelInfo, SignedInfo } from './types.js';
import { Users } from './users.js';
import { CryptoWorker } from './worker-client.js';

/** The server ends a session after 30 minutes without a request; the console locks at the same mark. */
export const IDLE_LIMIT_MS = 30 * 60 * 1000;
const IDLE_WARN_MS = 60 * 1000;

const canRead = (s: SignedInfo | null) => !!s && (s.user.roles.includes('admin') || s.user.roles.includes('reviewer'));
const isAdmin = (s: SignedInfo | null) => !!s && s.user.roles.includes('admin');
const canAudit = (s: SignedInfo | null) => !!s && (s.user.roles.includes('admin') || s.user.roles.includes('auditor'));

export function App({ workerUrl, initialLocale }: { workerUrl: string; initialLocale: string }) {
  const [locale, setLocale] = useState(initialLocale);
  const [worker, setWorker] = useState(() => new CryptoWorker(workerUrl));
  const [session, setSession] = useState<SignedInfo | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [channels, setChannels] = useState<ChannelInfo[]>([]);
  const [approvals, setApprovals] = useState<AwaitingList | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [warning, setWarning] = useState(false);
  const [swept, setSwept] = useState<{ ok: true; reports: number; usernames: string[] } | { ok: false } | null>(null);
  const idle = useRef<IdleTimer | undefined>(undefined);
  const locking = useRef(false);
  const http = useMemo(() => browserHttp(), []);
  const t = useMemo(() => makeT(locale), [locale]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = dirOf(locale);
  }, [locale]);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const navigate = useCallback((to: Route, replace = false) => {
    const href = hrefOf(to);
    if (replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    setRoute(parseRoute(href));
  }, []);

  const announce = useCallback((text: string) => {
    // Cleared first, so that the same sentence twice is read twice.
    setAnnouncement('');
    setTimeout(() => setAnnouncement(text), 50);
  }, []);

  /** Wipes every key: the worker is stopped and replaced; the server session is ended too. */
  const lock = useCallback(async (why: Exclude<Notice, null>) => {
    // Several requests can find the session gone at once: lock once.
    if (locking.current) return;
    locking.current = true;
    idle.current?.stop();
    idle.current = undefined;
    setWarning(false);
    setSession(null);
    setChannels([]);
    setApprovals(null);
    setNotice(why);
    await worker.stop();
    setWorker(new CryptoWorker(workerUrl));
    if (why !== 'expired') await api(http, 'POST', '/api/auth/logout', {}).catch(() => undefined);
    locking.current = false;
  }, [worker]);

  const failed = useCallback((error: unknown) => {
    const info = toInfo(error);
    if (info.status === 401) void lock('expired');
    return info;
  }, [lock]);

  const reloadChannels = useCallback(() => {
    api<{ channels: ChannelInfo[] }>(http, 'GET', '/api/channels').then((r) => setChannels(r.channels)).catch(failed);
  }, [failed]);

  const reloadApprovals = useCallback(() => {
    api<AwaitingList>(http, 'GET', '/api/roster/awaiting').then(setApprovals).catch(failed);
  }, [failed]);

  const signedIn = (info: SignedInfo) => {
    setSession(info);
    setNotice(null);
    if (route.name === 'setup' || route.name === 'home') {
      navigate(info.user.roles.some((r) => r === 'admin' || r === 'reviewer') ? { name: 'inbox', query: new URLSearchParams() } : { name: 'audit', query: new URLSearchParams() }, true);
    }
  };

  // Key distribution after sign-in: reports this member can hand on to new or reset members.
  useEffect(() => {
    setSwept(null);
    if (!session || !canRead(session)) return;
    worker.call('sweep', {}).then(
      (r) => setSwept(r.reports > 0 ? { ok: true, ...r } : null),
      (e) => {
        if (failed(e).status !== 401) setSwept({ ok: false });
      },
    );
  }, [session]);

  // The idle lock runs while someone is signed in.
  useEffect(() => {
    if (!session) return undefined;
    reloadChannels();
    if (canRead(session)) reloadApprovals();
    const timer = new IdleTimer({
      limitMs: IDLE_LIMIT_MS,
      warnMs: IDLE_WARN_MS,
      onWarn: () => setWarning(true),
      onLock: () => void lock('locked'),
    });
    idle.current = timer;
    const touch = () => {
      timer.touch();
      setWarning(false);
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, touch, { passive: true, capture: true });
    return () => {
      timer.stop();
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, touch, { capture: true });
    };
  }, [session]);

  // Keys are in memory only: closing or reloading the page loses them, and the session goes too.
  useEffect(() => {
    const leave = () => {
      if (session) void fetch('/api/auth/logout', { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
    };
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }, [session]);

  const ctx: AppContext = useMemo(() => ({
    t, locale, http, worker, session, channels, reloadChannels, approvals, reloadApprovals, navigate, announce, failed,
  }), [t, locale, http, worker, session, channels, reloadChannels, approvals, reloadApprovals, navigate, announce, failed]);

  let page;
  let title = t('app.name');
  if (!session) {
    if (route.name === 'setup') {
      page = <Enrol token={route.token} onSignedIn={signedIn} />;
      title = t('enrol.pageTitle');
    } else {
      page = <SignIn notice={notice} onSignedIn={signedIn} />;
      title = t('signin.title');
    }
  } else {
    const home: Route = canRead(session) ? { name: 'inbox', query: new URLSearchParams() } : { name: 'audit', query: new URLSearchParams() };
    const r = route.name === 'home' || route.name === 'setup' ? home : route;
    const denied = <p role="alert" class="error">{t('error.forbidden')}</p>;
    switch (r.name) {
      case 'inbox':
        page = canRead(session) ? <Inbox params={r.query} /> : denied;
        title = t('inbox.title');
        break;
      case 'report':
        page = canRead(session) ? <ReportPage key={r.id} id={r.id} /> : denied;
        title = t('report.pageTitle');
        break;
      case 'users':
        page = isAdmin(session) ? <Users /> : denied;
        title = t('users.title');
        break;
      case 'channels':
        page = isAdmin(session) ? <Channels /> : denied;
        title = t('channels.title');
        break;
      case 'settings':
        page = isAdmin(session) ? <Settings /> : denied;
        title = t('settings.title');
        break;
      case 'account':
        page = canRead(session) ? <Account /> : denied;
        title = t('account.title');
        break;
      case 'approvals':
        page = canRead(session) ? <Approvals /> : denied;
        title = t('approvals.title');
        break;
      case 'recoveryApproval':
        page = isAdmin(session) ? <RecoveryApproval /> : denied;
        title = t('recoveryApproval.title');
        break;
      case 'audit':
        page = canAudit(session) ? <Audit params={r.query} /> : denied;
        title = t('audit.title');
        break;
      case 'statistics':
        page = canAudit(session) ? <Statistics params={r.query} /> : denied;
        title = t('stats.title');
        break;
      default:
        page = denied;
    }
  }

  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);

  const current = (name: Route['name']) => (route.name === name || (name === 'inbox' && route.name === 'report') || (name === 'approvals' && route.name === 'recoveryApproval') ? 'page' : undefined);
  const toApprove = approvals ? approvableOf(approvals).length : 0;
  const links: Array<[Route, string, boolean]> = [
    [{ name: 'inbox', query: new URLSearchParams() }, t('nav.inbox'), canRead(session)],
    [{ name: 'approvals' }, t('nav.approvals'), canRead(session)],
    [{ name: 'users' }, t('nav.users'), isAdmin(session)],
    [{ name: 'channels' }, t('nav.channels'), isAdmin(session)],
    [{ name: 'settings' }, t('nav.settings'), isAdmin(session)],
    [{ name: 'audit', query: new URLSearchParams() }, t('nav.audit'), canAudit(session)],
    [{ name: 'statistics', query: new URLSearchParams() }, t('nav.statistics'), canAudit(session)],
    [{ name: 'account' }, t('nav.account'), canRead(session)],
  ];

  return (
    <Ctx.Provider value={ctx}>
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>{t('nav.skip')}</button>
      <header class="top">
        <div class="brand">
          <span class="name">{t('app.name')}</span>
          <span class="tagline">{t('app.tagline')}</span>
        </div>
        {session && (
          <nav aria-label={t('nav.label')} class="nav">
            <ul>
              {links.filter(([, , show]) => show).map(([to, text]) => (
                <li key={to.name}><a href={hrefOf(to)} aria-current={current(to.name)}>{text}
                  {to.name === 'approvals' && toApprove > 0 && <>{' '}<span class="count" aria-hidden="true">{toApprove}</span>
                    <span class="visually-hidden"> ({t('nav.approvalsCount', { n: toApprove })})</span></>}</a></li>
              ))}
            </ul>
          </nav>
        )}
        <div class="tools">
          <div class="lang">
            <label for="lang">{t('lang.label')}</label>
            <select id="lang" value={locale} onChange={(e) => setLocale((e.target as HTMLSelectElement).value)}>
              {LANGUAGES.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.name}</option>)}
            </select>
          </div>
          {session && (
            <div class="me">
              <span class="who">{t('nav.signedInAs', { name: session.user.username })}</span>
              <button type="button" class="secondary small" onClick={() => void lock('signedOut')}>{t('nav.signOut')}</button>
            </div>
          )}
        </div>
      </header>
      {warning && (
        <div class="banner" role="alert">
          <span>{t('idle.warning')}</span>
          <button type="button" class="secondary small" onClick={() => {
            idle.current?.touch();
            setWarning(false);
          }}>{t('idle.stay')}</button>
        </div>
      )}
      {session && swept && (
        <p class={swept.ok ? 'ok swept' : 'notice swept'} role="status">
          {swept.ok ? t('keys.swept', { count: String(swept.reports), names: swept.usernames.join(', ') }) : t('keys.sweepFailed')}
        </p>
      )}
      <div class="visually-hidden" role="status" aria-live="polite">{announcement}</div>
      <main id="main" tabIndex={-1}>{page}</main>
      <footer class="bottom"><p>{t('footer.text')}</p></footer>
    </Ctx.Provider>
  );
}
