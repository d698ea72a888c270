// One report: decrypted in the worker (its answers, the conversation, internal notes, files), the
// deadlines, acknowledging in one step, replying, notes under the internal key, triage, and key
// distribution to members who lack the keys, done in the background and said on the page.
import { useEffect, useState } from 'preact/hooks';
import { localText } from '../../domain/text.js';
import { api } from './api.js';
import { Answers } from './answers.js';
import { Attachments } from './attachments.js';
import { Busy, ErrorText, PageHeading, toInfo } from './components.js';
import { channelTitle, formatDate, formatDateTime, useApp, useFocusHeading } from './context.js';
import { overdueOf } from '../../domain/deadlines.js';
import { ExportCase } from './export-case.js';
import { DeletionWarning, RetentionPanel } from './retention.js';
import { hrefOf } from './route.js';
import { Triage, type Lists } from './triage.js';
import type { TriageBody } from '../../domain/api.js';
import type { ErrorInfo, ListItem, ReportView } from './types.js';

export function ReportPage({ id }: { id: string }) {
  const { t, worker, failed } = useApp();
  const [view, setView] = useState<ReportView | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();

  useEffect(() => {
    let live = true;
    setView(undefined);
    setError(undefined);
    worker.call('openReport', { id }).then((v) => live && setView(v)).catch((e) => live && setError(failed(e)));
    return () => {
      live = false;
      void worker.call('closeReport', {}).catch(() => undefined);
    };
  }, [id, worker]);

  if (error) return <ReportProblem error={error} />;
  if (!view) return <Busy label={t('report.opening')} />;
  return <ReportBody view={view} onChange={setView} />;
}

function ReportProblem({ error }: { error: ErrorInfo }) {
  const { t } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const notFound = error.status === 404;
  return (
    <div>
      <PageHeading headingRef={heading}>{t(notFound ? 'report.notFoundTitle' : 'report.failedTitle')}</PageHeading>
      {notFound ? <p role="alert">{t('report.notFound')}</p> : <ErrorText error={error} />}
      <p><a href={hrefOf({ name: 'inbox', query: new URLSearchParams() })}>{t('report.backToInbox')}</a></p>
    </div>
  );
}

function ReportBody({ view, onChange }: { view: ReportView; onChange: (v: ReportView) => void }) {
  const { t, locale, http, worker, channels, failed } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>(view.item.id);
  const [item, setItem] = useState<ListItem>(view.item);
  const [lists, setLists] = useState<Lists | undefined>();
  const [shared, setShared] = useState<string[]>([]);
  const [shareError, setShareError] = useState<ErrorInfo | undefined>();
  const channel = channels.find((c) => c.id === item.channelId);

  useEffect(() => {
    api<Lists>(http, 'GET', '/api/settings/lists').then(setLists).catch(() => setLists({ offices: [], processes: [] }));
  }, []);

  const share = async (userIds?: string[]) => {
    try {
      const granted = await worker.call('distribute', { id: item.id, ...(userIds ? { userIds } : {}) });
      // Said in the page's own status region (read out once; no separate announcement).
      if (granted.length > 0) setShared((s) => [...new Set([...s, ...granted])]);
    } catch (e) {
      setShareError(failed(e));
    }
  };

  // Key distribution in the background: members who joined or were reset get K (and Ki).
  useEffect(() => {
    if (view.hasKey) void share();
  }, [view.item.id]);

  const late = overdueOf(item, Date.now());
  const waiting = view.members.filter((m) => !m.hasKey && !shared.includes(m.username));
  return (
    <article class="report">
      <p class="crumbs"><a href={hrefOf({ name: 'inbox', query: new URLSearchParams() })}>{t('report.backToInbox')}</a></p>
      <PageHeading headingRef={heading}>{t('report.title', { date: formatDateTime(locale, item.receivedAt) })}</PageHeading>
      <p class="subtitle">
        <span>{channelTitle(channels, item.channelId, locale)}</span>
        {' · '}<span class={`badge status-${item.status}`}>{t(`status.${item.status}`)}</span>
        {item.outcome && <> {' · '}{t(`outcome.${item.outcome}`)}</>}
      </p>
      <DeletionWarning item={item} canExtend={view.hasKey && view.notesState === 'ready'} />
      <dl class="deadlines">
        <div class={late.acknowledge ? 'late' : ''}>
          <dt>{t('inbox.acknowledgeBy')}</dt>
          <dd>{formatDate(locale, item.acknowledgeBy)}{item.acknowledgedAt && <> · {t('report.acknowledgedOn', { date: formatDate(locale, item.acknowledgedAt) })}</>}
            {late.acknowledge && <span class="badge overdue-badge">{t('inbox.overdue')}</span>}</dd>
        </div>
        <div class={late.feedback ? 'late' : ''}>
          <dt>{t('inbox.feedbackBy')}</dt>
          <dd>{formatDate(locale, item.feedbackBy)}{item.closedAt && <> · {t('report.closedOn', { date: formatDate(locale, item.closedAt) })}</>}
            {late.feedback && <span class="badge overdue-badge">{t('inbox.overdue')}</span>}</dd>
        </div>
        {item.deleteAt && (
          <div>
            <dt>{t('retention.deleteAt')}</dt>
            <dd><time dateTime={item.deleteAt}>{formatDateTime(locale, item.deleteAt)}</time></dd>
          </div>
        )}
      </dl>
      <div role="status" class="keys-status">
        {shared.length > 0 && <p class="ok">{t('keys.shared', { names: shared.join(', ') })}</p>}
        {view.madeInternalKey && <p class="ok">{t('keys.madeInternal')}</p>}
      </div>
      {shareError && <p class="warning">{t('keys.shareFailed')}</p>}

      {!view.hasKey ? (
        <div class="notice" role="alert">
          <h2>{t('report.noKeyTitle')}</h2>
          <p>{t('report.noKey')}</p>
        </div>
      ) : (
        <div class="report-grid">
          <div class="report-main">
            <section aria-labelledby="report-answers" class="card">
              <h2 id="report-answers">{t('report.answers')}</h2>
              {view.content
                ? <Answers answers={view.content.answers} questionnaire={channel?.questionnaire} />
                : <p class="error" role="alert">{t('report.contentDamaged')}</p>}
            </section>
            {item.acknowledgedAt === null && item.status !== 'closed' && (
              <Acknowledge item={item} reportLocale={view.content?.locale ?? 'en'} onDone={(message, updated) => {
                setItem(updated);
                onChange({ ...view, item: updated, messages: [...view.messages, message] });
              }} />
            )}
            <Conversation view={view} item={item} onSent={(m) => onChange({ ...view, messages: [...view.messages, m] })} />
            <Notes view={view} onAdded={(n) => onChange({ ...view, notes: [...view.notes, n] })} />
            <section aria-labelledby="report-files" class="card">
              <h2 id="report-files">{t('files.title')}</h2>
              <Attachments reportId={item.id} attachments={view.attachments} />
            </section>
          </div>
          <aside class="report-side" aria-label={t('report.side')}>
            <Triage item={item} members={view.members} lists={lists} onSaved={(updated, added) => {
              setItem(updated);
              // Assigning a report to someone hands them its keys if they lack them.
              if (added.length > 0) void share(added);
            }} />
            <RetentionPanel item={item} notesState={view.notesState} onExtended={(updated, note) => {
              setItem(updated);
              onChange({ ...view, item: updated, notes: [...view.notes, note] });
            }} />
            <section class="card" aria-labelledby="report-members">
              <h2 id="report-members">{t('report.members')}</h2>
              <ul class="members">
                {view.members.map((m) => (
                  <li key={m.id}>{m.username}{' '}
                    <span class="muted">({m.hasKey || shared.includes(m.username) ? t('report.memberHasKey') : t('report.memberWaiting')})</span></li>
                ))}
              </ul>
              {waiting.length > 0 && <p class="help">{t('report.waitingHelp')}</p>}
            </section>
            <ExportCase reportId={item.id} channelId={item.channelId} />
          </aside>
        </div>
      )}
    </article>
  );
}

type Message = ReportView['messages'][number];

function Acknowledge({ item, reportLocale, onDone }: { item: ListItem; reportLocale: string; onDone: (m: Message, item: ListItem) => void }) {
  const { t, http, worker, failed, announce } = useApp();
  const [text, setText] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  useEffect(() => {
    api<{ template: Record<string, string> }>(http, 'GET', '/api/settings/acknowledgement-template')
      .then((r) => setText(localText(r.template, reportLocale) || t('ack.fallback')))
      .catch(() => setText(t('ack.fallback')));
  }, []);

  const send = async (event: Event) => {
    event.preventDefault();
    if (!text?.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      // The message first: a report is never marked acknowledged without the reporter being told.
      const sent = await worker.call('sendMessage', { id: item.id, text });
      const updated = await api<ListItem>(http, 'PATCH', `/api/reports/${encodeURIComponent(item.id)}`, { status: 'acknowledged' } satisfies TriageBody);
      announce(t('ack.done'));
      onDone({ id: sent.id, author: 'reviewer', createdAt: sent.createdAt, text, missingBefore: false }, updated);
    } catch (e) {
      setError(failed(e));
      setBusy(false);
    }
  };
  return (
    <form class="card ack" onSubmit={send} aria-labelledby="ack-title">
      <h2 id="ack-title">{t('ack.title')}</h2>
      <p>{t('ack.explain')}</p>
      {text === undefined ? <Busy label={t('loading')} /> : (
        <div class="field">
          <label for="ack-text">{t('ack.label', { locale: reportLocale })}</label>
          <textarea id="ack-text" dir="auto" rows={4} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        </div>
      )}
      <ErrorText error={error} />
      <div class="actions"><button type="submit" class="primary" disabled={busy || !text?.trim()}>{t('ack.send')}</button></div>
    </form>
  );
}

function Conversation({ view, item, onSent }: { view: ReportView; item: ListItem; onSent: (m: Message) => void }) {
  const { t, locale, worker, failed, announce } = useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const send = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      const sent = await worker.call('sendMessage', { id: item.id, text });
      onSent({ id: sent.id, author: 'reviewer', createdAt: sent.createdAt, text, missingBefore: false });
      setText('');
      announce(t('conversation.sent'));
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="report-conversation">
      <h2 id="report-conversation">{t('conversation.title')}</h2>
      {view.messages.length === 0 ? <p class="muted">{t('conversation.none')}</p> : (
        <ol class="messages">
          {view.messages.map((m) => (
            <li key={m.id} class={`message ${m.author}`}>
              {m.missingBefore && <p class="notice missing-before" role="note">{t('conversation.missingBefore')}</p>}
              <p class="meta">{t(`author.${m.author}`)} · <time dateTime={m.createdAt}>{formatDateTime(locale, m.createdAt)}</time></p>
              {m.text === null ? <p class="error">{t('conversation.unreadable')}</p> : <p class="text" dir="auto">{m.text}</p>}
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={send}>
        <div class="field">
          <label for="reply-text">{t('conversation.reply')}</label>
          <textarea id="reply-text" dir="auto" rows={4} value={text} aria-describedby="reply-help" onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          <p class="help" id="reply-help">{t('conversation.replyHelp')}</p>
        </div>
        <ErrorText error={error} />
        <div class="actions"><button type="submit" class="primary" disabled={busy || !text.trim()}>{t('conversation.send')}</button></div>
      </form>
    </section>
  );
}

type Note = ReportView['notes'][number];

function Notes({ view, onAdded }: { view: ReportView; onAdded: (n: Note) => void }) {
  const { t, locale, worker, session, failed, announce } = useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const names = new Map(view.members.map((m) => [m.id, m.username]));
  const add = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      const added = await worker.call('addNote', { id: view.item.id, text });
      onAdded({ id: added.id, authorUserId: session!.user.id, createdAt: added.createdAt, text });
      setText('');
      announce(t('notes.added'));
    } catch (e) {
      setError(toInfo(e).name === 'ApiError' ? failed(e) : toInfo(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card notes" aria-labelledby="report-notes">
      <h2 id="report-notes">{t('notes.title')}</h2>
      <p class="help">{t('notes.explain')}</p>
      {view.notes.length === 0 ? <p class="muted">{t('notes.none')}</p> : (
        <ol class="messages">
          {view.notes.map((n) => (
            <li key={n.id} class="message note">
              <p class="meta">{names.get(n.authorUserId) ?? t('notes.formerMember')} · <time dateTime={n.createdAt}>{formatDateTime(locale, n.createdAt)}</time></p>
              {n.text === null ? <p class="error">{view.notesState === 'ready' ? t('notes.unreadable') : t('notes.locked')}</p> : <p class="text" dir="auto">{n.text}</p>}
            </li>
          ))}
        </ol>
      )}
      {view.notesState === 'ready' ? (
        <form onSubmit={add}>
          <div class="field">
            <label for="note-text">{t('notes.label')}</label>
            <textarea id="note-text" dir="auto" rows={3} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          </div>
          <ErrorText error={error} />
          <div class="actions"><button type="submit" class="secondary" disabled={busy || !text.trim()}>{t('notes.add')}</button></div>
        </form>
      ) : <p class="notice">{t('notes.waiting')}</p>}
    </section>
  );
}
