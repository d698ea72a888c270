// Retention in the console: a closed report's deletion date, the warning in its last 72 hours (a
// marker in the inbox, a banner on the report), and keeping it longer with a reason, which is sent
// as an internal note encrypted under the internal key (the server audits only the dates).
import { useState } from 'preact/hooks';
import { ErrorText } from './components.js';
import { formatDate, formatDateTime, useApp } from './context.js';
import { deletionSoon, firstExtensionDay } from './retention-dates.js';
import type { ErrorInfo, ListItem, NotesState } from './types.js';

/** The inbox marker: said in words, not only in colour. */
export function DeletionMarker({ item, now }: { item: ListItem; now: number }) {
  const { t, locale } = useApp();
  if (!deletionSoon(item, now)) return null;
  return <span class="badge deletion-badge">{t('inbox.deletionSoon', { date: formatDate(locale, item.deleteAt!) })}</span>;
}

/** The banner at the top of a report in its last 72 hours. */
export function DeletionWarning({ item, canExtend }: { item: ListItem; canExtend: boolean }) {
  const { t, locale } = useApp();
  if (!deletionSoon(item, Date.now())) return null;
  return (
    <div class="notice deletion-warning">
      <p><strong>{t('retention.warning', { date: formatDateTime(locale, item.deleteAt!) })}</strong>{' '}
        {/* A button, not a #fragment link: the fragment holds the console's route. */}
        {canExtend
          ? <button type="button" class="link" onClick={() => document.getElementById('retention-until')?.focus()}>{t('retention.keepLonger')}</button>
          : t('retention.askMember')}</p>
    </div>
  );
}

type Note = { id: string; authorUserId: string; createdAt: string; text: string | null };

/** The side panel of a closed report: when it is deleted, and the form that keeps it longer. */
export function RetentionPanel({ item, notesState, onExtended }: {
  item: ListItem;
  notesState: NotesState;
  onExtended: (item: ListItem, note: Note) => void;
}) {
  const { t, locale, worker, session, failed, announce } = useApp();
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<Array<'until' | 'reason'>>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  if (item.deleteAt === null) return null;
  const first = firstExtensionDay(item.deleteAt);

  const submit = async (event: Event) => {
    event.preventDefault();
    const bad: Array<'until' | 'reason'> = [];
    // YYYY-MM-DD compares as dates.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || until < first) bad.push('until');
    if (!reason.trim()) bad.push('reason');
    setInvalid(bad);
    if (bad.length > 0) {
      document.getElementById(`retention-${bad[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    const text = t('retention.noteText', { date: formatDate(locale, `${until}T12:00:00.000Z`), reason: reason.trim() });
    try {
      const res = await worker.call('extendRetention', { id: item.id, retainUntil: until, reason: text });
      onExtended(res.report, { id: res.note.id, authorUserId: session!.user.id, createdAt: res.note.createdAt, text });
      setUntil('');
      setReason('');
      announce(t('retention.extended', { date: formatDateTime(locale, res.report.deleteAt!) }));
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };

  const bad = (f: 'until' | 'reason') => invalid.includes(f);
  return (
    <section class="card retention" aria-labelledby="retention-title">
      <h2 id="retention-title">{t('retention.title')}</h2>
      <p>{t('retention.deletedOn', { date: formatDateTime(locale, item.deleteAt) })}</p>
      <p class="help">{t('retention.explain')}</p>
      {notesState !== 'ready' ? <p class="notice">{t('retention.needKey')}</p> : (
        <form onSubmit={submit} noValidate aria-labelledby="retention-form-title">
          <h3 id="retention-form-title">{t('retention.keepLonger')}</h3>
          <div class={`field${bad('until') ? ' invalid' : ''}`}>
            <label for="retention-until">{t('retention.until')}</label>
            <input id="retention-until" type="date" min={first} value={until} aria-invalid={bad('until') || undefined}
              aria-describedby={bad('until') ? 'retention-until-help retention-until-error' : 'retention-until-help'}
              onInput={(e) => setUntil((e.target as HTMLInputElement).value)} />
            <p class="help" id="retention-until-help">{t('retention.untilHelp')}</p>
            {bad('until') && <p class="field-error" id="retention-until-error">{t('retention.untilInvalid', { date: formatDate(locale, `${first}T12:00:00.000Z`) })}</p>}
          </div>
          <div class={`field${bad('reason') ? ' invalid' : ''}`}>
            <label for="retention-reason">{t('retention.reason')}</label>
            <textarea id="retention-reason" rows={3} maxLength={2000} value={reason} aria-invalid={bad('reason') || undefined}
              aria-describedby={bad('reason') ? 'retention-reason-help retention-reason-error' : 'retention-reason-help'}
              onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
            <p class="help" id="retention-reason-help">{t('retention.reasonHelp')}</p>
            {bad('reason') && <p class="field-error" id="retention-reason-error">{t('retention.reasonMissing')}</p>}
          </div>
          <ErrorText error={error} />
          <div class="actions"><button type="submit" class="secondary" disabled={busy}>{t('retention.extend')}</button></div>
        </form>
      )}
    </section>
  );
}
