// Coming back: the receipt code (typos explained before anything is sent), then the status as a
// timeline, the conversation, the reporter's own report and files, and new messages and files.
import { useState } from 'preact/hooks';
import { layoutAnswers, questionnaireRef, type ShownValue } from '../../domain/questionnaire.js';
import { formatBytes } from '../../domain/text.js';
import { REPORTER_STATUSES, type ReporterStatus } from '../../domain/vocabulary.js';
import { errorText, formatDate, useApp, useFocusHeading } from './context.js';
import { pickId, type PickedFile } from './draft.js';
import { FileList, FilePicker } from './report-form.js';
import type { Channel, ErrorInfo, FollowupView } from './types.js';
import { UploadQueue } from './uploads.js';
import { WorkerError } from './worker-client.js';

const infoOf = (e: unknown): ErrorInfo => (e instanceof WorkerError ? e.info : { name: 'Error', message: String(e) });

export function FollowupLogin({ onOpen, onBack }: { onOpen: (view: FollowupView) => void; onBack: () => void }) {
  const { t, worker } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const open = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const view = await worker.call('open', { code });
      setCode('');
      onOpen(view);
    } catch (e) {
      setError(infoOf(e));
      setBusy(false);
      document.getElementById('receipt-input')?.focus();
    }
  };
  return (
    <form class="followup-login" onSubmit={open} noValidate autoComplete="off">
      <h1 tabIndex={-1} ref={heading}>{t('followup.title')}</h1>
      <div class={`field${error ? ' invalid' : ''}`}>
        <label for="receipt-input">{t('followup.codeLabel')}</label>
        <input id="receipt-input" type="text" autocomplete="off" autoCapitalize="characters" spellcheck={false} value={code}
          aria-describedby={`receipt-help${error ? ' receipt-error' : ''}`} aria-invalid={error ? true : undefined}
          onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
        <p class="help" id="receipt-help">{t('followup.codeHelp')}</p>
        <p class="field-error" id="receipt-error" role="alert">{error ? errorText(t, error) : ''}</p>
      </div>
      <p role="status" class="status">{busy ? t('followup.opening') : ''}</p>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{t('followup.open')}</button>
        <button type="button" class="link" onClick={onBack}>{t('form.back')}</button>
      </div>
    </form>
  );
}


export function Timeline({ view }: { view: FollowupView }) {
  const { t, locale } = useApp();
  const at = REPORTER_STATUSES.indexOf(view.status);
  const dates: Partial<Record<ReporterStatus, string | null>> = { received: view.receivedAt, acknowledged: view.acknowledgedAt, closed: view.closedAt };
  return (
    <ol class="timeline">
      {REPORTER_STATUSES.map((s, i) => {
        // "Needs information" is a detour, shown as passed only while it is the current step.
        const state = i === at ? 'current' : i < at && s !== 'needs_information' ? 'done' : s === 'acknowledged' && view.acknowledgedAt ? 'done' : 'upcoming';
        const date = dates[s];
        return (
          <li key={s} class={`step ${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span class="dot" aria-hidden="true" />
            <span class="step-name">{t(`status.${s}`)}</span>
            <span class="visually-hidden"> ({t(`timeline.${state}`)})</span>
            {date && state !== 'upcoming' && <time dateTime={date}>{formatDate(locale, date)}</time>}
          </li>
        );
      })}
    </ol>
  );
}

export function Answers({ view, channel }: { view: FollowupView; channel: Channel | undefined }) {
  const { t, locale } = useApp();
  const q = channel?.questionnaire;
  // The channel's questionnaire lays the answers out only if they follow this version of it.
  const shown = layoutAnswers(q && questionnaireRef(q) === view.content.questionnaire ? q : undefined, view.content.answers, locale);
  const text = (value: ShownValue): string => (value.kind === 'yesno' ? t(value.yes ? 'form.yes' : 'form.no')
    : value.kind === 'text' ? value.text
      : value.entries.map((rows) => rows.map((r) => `${r.label}: ${text(r.value)}`).join('; ')).join(', '));
  const rows = [...shown.sections.flatMap((s) => s.rows.map((r): [string, string] => [r.label, text(r.value)])), ...shown.other.map((o): [string, string] => [o.key, o.text])];
  return (
    <dl class="answers">
      {rows.map(([k, v], i) => (
        <div key={i} class="answer"><dt>{k}</dt><dd dir="auto">{v}</dd></div>
      ))}
    </dl>
  );
}

export function Followup({ view, channels, onLeave, onUpdate }: { view: FollowupView; channels: Channel[]; onLeave: () => void; onUpdate: (v: FollowupView) => void }) {
  const { t, locale, worker } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [picked, setPicked] = useState<PickedFile[]>([]);
  const [batch, setBatch] = useState<{ key: number; files: PickedFile[] } | undefined>();
  const [strip, setStrip] = useState(true);
  const channel = channels.find((c) => c.id === view.channelId);

  const refresh = async () => onUpdate(await worker.call('refresh', {}));

  const send = async (event: Event) => {
    event.preventDefault();
    if (text.trim() === '') return;
    setSending(true);
    setError(undefined);
    try {
      await worker.call('send', { text: text.trim() });
      setText('');
      setNote(t('followup.sent'));
      await refresh();
    } catch (e) {
      setError(infoOf(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <div class="followup">
      <h1 tabIndex={-1} ref={heading}>{t('followup.title')}</h1>
      <section class="card" aria-labelledby="status-title">
        <h2 id="status-title">{t('followup.status')}</h2>
        <Timeline view={view} />
        {view.status === 'needs_information' && <p class="notice">{t('followup.needsInfo')}</p>}
        {view.status === 'closed' && <p class="notice">{t('followup.closed')}</p>}
      </section>
      <section class="card" aria-labelledby="conversation-title">
        <h2 id="conversation-title">{t('followup.conversation')}</h2>
        {view.messages.length === 0 && <p>{t('followup.noMessages')}</p>}
        <ol class="messages">
          {view.messages.map((m) => (
            <li key={m.id} class={`message ${m.author}`}>
              {m.missingBefore && <p class="notice missing-before" role="note">{t('message.missingBefore')}</p>}
              <p class="meta"><strong>{t(`author.${m.author}`)}</strong> · <time dateTime={m.createdAt}>{formatDate(locale, m.createdAt, true)}</time></p>
              {m.text === null ? <p class="field-error">{t('message.unreadable')}</p> : m.text.split(/\n/).map((line, i) => <p key={i} dir="auto">{line}</p>)}
            </li>
          ))}
        </ol>
        <form onSubmit={send} noValidate autoComplete="off">
          <div class="field">
            <label for="reply">{t('followup.reply')}</label>
            <textarea id="reply" dir="auto" rows={5} maxLength={20000} value={text} autocomplete="off" onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          </div>
          <p role="status" class="status">{note}</p>
          {error && <p role="alert" class="field-error">{errorText(t, error)}</p>}
          <button type="submit" class="primary" disabled={sending}>{t('followup.send')}</button>
        </form>
      </section>
      <section class="card" aria-labelledby="files-title">
        <h2 id="files-title">{t('followup.files')}</h2>
        {view.attachments.length === 0 ? <p>{t('followup.noFiles')}</p> : (
          <ul class="file-list">
            {view.attachments.map((a) => (
              <li key={a.id}>
                <span class="file-name">{a.name ?? t('file.unreadable')}</span> <span class="file-size">{formatBytes(a.size, locale)}</span>
                {!a.complete && <span class="warning"> ({t('file.incomplete')})</span>}
              </li>
            ))}
          </ul>
        )}
        <label class="choice">
          <input type="checkbox" checked={strip} onChange={(e) => setStrip((e.target as HTMLInputElement).checked)} />
          {t('files.strip')}
        </label>
        <FilePicker id="followup-files" label={t('followup.addFiles')} onPick={(files) => setPicked([...picked, ...files.map((file) => ({ id: pickId(), file }))])} />
        <FileList files={picked} strip={strip} onRemove={(id) => setPicked(picked.filter((f) => f.id !== id))} />
        {picked.length > 0 && (
          <button type="button" class="primary" onClick={() => {
            setBatch({ key: Date.now(), files: picked });
            setPicked([]);
          }}>{t('followup.sendFiles')}</button>
        )}
        {batch && <UploadQueue key={batch.key} files={batch.files} strip={strip} onSettled={() => void refresh().catch(() => undefined)} />}
      </section>
      <section class="card" aria-labelledby="report-title">
        <h2 id="report-title">{t('followup.yourReport')}</h2>
        <p class="meta">{formatDate(locale, view.receivedAt)}</p>
        <Answers view={view} channel={channel} />
      </section>
      <button type="button" class="secondary" onClick={onLeave}>{t('followup.leave')}</button>
    </div>
  );
}
