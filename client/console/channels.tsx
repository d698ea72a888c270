// Administering channels: titles and descriptions per language, recipients (the members whose keys
// every new report is sealed to), the questionnaire (download, or replace with a checked JSON file),
// the attachment limit, retention, and the reporter options.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { Busy, ErrorText, PageHeading, saveText } from './components.js';
import { channelTitle, useApp, useFocusHeading } from './context.js';
import { checkQuestionnaire, type Problem } from '../../domain/questionnaire-schema.js';
import type { ChannelInfo, ErrorInfo, Questionnaire, UserRow } from './types.js';

const MiB = 1024 * 1024;
/** The reporting page's languages: a channel's title and description are shown there. */
const LOCALES = ['en', 'fr', 'es', 'ar'];

export function Channels() {
  const { t, http, channels, reloadChannels, failed } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [users, setUsers] = useState<UserRow[] | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  useEffect(() => {
    reloadChannels();
    api<{ users: UserRow[] }>(http, 'GET', '/api/users').then((r) => setUsers(r.users)).catch((e) => setError(failed(e)));
  }, []);
  return (
    <div>
      <PageHeading headingRef={heading}>{t('channels.title')}</PageHeading>
      <p class="help">{t('channels.explain')}</p>
      <ErrorText error={error} />
      {!users ? <Busy label={t('loading')} /> : channels.map((c) => <ChannelForm key={c.id} channel={c} users={users} />)}
    </div>
  );
}

function ChannelForm({ channel, users }: { channel: ChannelInfo; users: UserRow[] }) {
  const { t, locale, http, failed, announce, reloadChannels, channels } = useApp();
  const locales = [...new Set([...LOCALES, ...Object.keys(channel.title), ...Object.keys(channel.description)])];
  const [title, setTitle] = useState<Record<string, string>>({ ...channel.title });
  const [description, setDescription] = useState<Record<string, string>>({ ...channel.description });
  const [limit, setLimit] = useState(String(Math.round(channel.maxAttachmentBytes / MiB)));
  const [retention, setRetention] = useState(String(channel.retentionDays));
  const [shortRetention, setShortRetention] = useState(String(channel.shortRetentionDays));
  const [exclusion, setExclusion] = useState(channel.allowRecipientExclusion);
  const [afterClose, setAfterClose] = useState(channel.messagesAfterClose);
  const [members, setMembers] = useState<string[]>(channel.members.map((m) => m.id));
  const [questionnaire, setQuestionnaire] = useState<Questionnaire | undefined>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [invalid, setInvalid] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const p = `ch-${channel.id}`;
  const eligible = users.filter((u) => !u.disabled && (u.roles.includes('admin') || u.roles.includes('reviewer')));
  const name = channelTitle(channels, channel.id, locale);

  const pickFile = async (event: Event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    setQuestionnaire(undefined);
    setProblems([]);
    if (!file) return;
    const checked = checkQuestionnaire(await file.text());
    setProblems(checked.problems);
    if (checked.value) {
      setQuestionnaire(checked.value);
      announce(t('channels.questionnaireReady', { id: `${checked.value.id}@${checked.value.version}` }));
    }
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const bad: string[] = [];
    const maxMiB = Number(limit);
    const days = Number(retention);
    if (!Number.isFinite(maxMiB) || maxMiB < 0 || maxMiB > 4096 || limit.trim() === '') bad.push('limit');
    if (!Number.isInteger(days) || days < 1 || days > 36500) bad.push('retention');
    const shortDays = Number(shortRetention);
    // Spam and duplicates are kept no longer than other reports (the server refuses it too).
    if (!Number.isInteger(shortDays) || shortDays < 1 || shortDays > 36500 || (!bad.includes('retention') && shortDays > days)) bad.push('short-retention');
    const cleanTitle = Object.fromEntries(Object.entries(title).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()]));
    const cleanDescription = Object.fromEntries(Object.entries(description).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()]));
    if (Object.keys(cleanTitle).length === 0) bad.push('title-en');
    if (Object.keys(cleanDescription).length === 0) bad.push('description-en');
    setInvalid(bad);
    if (bad.length > 0) {
      document.getElementById(`${p}-${bad[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api(http, 'PATCH', `/api/channels/${encodeURIComponent(channel.id)}`, {
        title: cleanTitle, description: cleanDescription, allowRecipientExclusion: exclusion, messagesAfterClose: afterClose,
        maxAttachmentBytes: Math.round(maxMiB * MiB), retentionDays: days, shortRetentionDays: shortDays, ...(questionnaire ? { questionnaire } : {}),
      });
      const before = channel.members.map((m) => m.id).sort().join();
      if ([...members].sort().join() !== before) await api(http, 'PUT', `/api/channels/${encodeURIComponent(channel.id)}/members`, { userIds: members });
      announce(t('channels.saved', { name }));
      setQuestionnaire(undefined);
      reloadChannels();
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };

  const bad = (f: string) => invalid.includes(f);
  return (
    <form class="card channel" onSubmit={save} noValidate aria-labelledby={`${p}-heading`}>
      <h2 id={`${p}-heading`}>{name} <span class="muted">({channel.id})</span></h2>
      <fieldset>
        <legend>{t('channels.texts')}</legend>
        <div class="two">
          {locales.map((l) => (
            <div key={l}>
              <div class={`field${bad(`title-${l}`) ? ' invalid' : ''}`}>
                <label for={`${p}-title-${l}`}>{t('channels.titleIn', { locale: l })}</label>
                <input id={`${p}-title-${l}`} type="text" lang={l} value={title[l] ?? ''} maxLength={200}
                  onInput={(e) => setTitle({ ...title, [l]: (e.target as HTMLInputElement).value })} />
              </div>
              <div class={`field${bad(`description-${l}`) ? ' invalid' : ''}`}>
                <label for={`${p}-description-${l}`}>{t('channels.descriptionIn', { locale: l })}</label>
                <textarea id={`${p}-description-${l}`} lang={l} dir="auto" rows={3} maxLength={2000} value={description[l] ?? ''}
                  onInput={(e) => setDescription({ ...description, [l]: (e.target as HTMLTextAreaElement).value })} />
              </div>
            </div>
          ))}
        </div>
        {(bad('title-en') || bad('description-en')) && <p class="field-error" role="alert">{t('channels.needText')}</p>}
      </fieldset>
      <fieldset class="checks">
        <legend>{t('channels.recipients')}</legend>
        <p class="help">{t('channels.recipientsHelp')}</p>
        {eligible.map((u) => (
          <div class="check" key={u.id}>
            <input type="checkbox" id={`${p}-member-${u.id}`} checked={members.includes(u.id)}
              onChange={(e) => setMembers((e.target as HTMLInputElement).checked ? [...members, u.id] : members.filter((m) => m !== u.id))} />
            <label for={`${p}-member-${u.id}`}>{u.username}</label>
          </div>
        ))}
      </fieldset>
      <div class="two">
        <div class={`field${bad('limit') ? ' invalid' : ''}`}>
          <label for={`${p}-limit`}>{t('channels.limit')}</label>
          <input id={`${p}-limit`} type="number" min={0} max={4096} step="any" value={limit} aria-invalid={bad('limit') || undefined}
            aria-describedby={`${p}-limit-help`} onInput={(e) => setLimit((e.target as HTMLInputElement).value)} />
          <p class="help" id={`${p}-limit-help`}>{t('channels.limitHelp')}</p>
        </div>
        <div class={`field${bad('retention') ? ' invalid' : ''}`}>
          <label for={`${p}-retention`}>{t('channels.retention')}</label>
          <input id={`${p}-retention`} type="number" min={1} max={36500} step={1} value={retention} aria-invalid={bad('retention') || undefined}
            aria-describedby={`${p}-retention-help`} onInput={(e) => setRetention((e.target as HTMLInputElement).value)} />
          <p class="help" id={`${p}-retention-help`}>{t('channels.retentionHelp')}</p>
        </div>
        <div class={`field${bad('short-retention') ? ' invalid' : ''}`}>
          <label for={`${p}-short-retention`}>{t('channels.shortRetention')}</label>
          <input id={`${p}-short-retention`} type="number" min={1} max={36500} step={1} value={shortRetention} aria-invalid={bad('short-retention') || undefined}
            aria-describedby={`${p}-short-retention-help`} onInput={(e) => setShortRetention((e.target as HTMLInputElement).value)} />
          <p class="help" id={`${p}-short-retention-help`}>{t('channels.shortRetentionHelp')}</p>
        </div>
      </div>
      <div class="check">
        <input type="checkbox" id={`${p}-exclusion`} checked={exclusion} onChange={(e) => setExclusion((e.target as HTMLInputElement).checked)} />
        <label for={`${p}-exclusion`}>{t('channels.exclusion')}</label>
      </div>
      <div class="check">
        <input type="checkbox" id={`${p}-afterclose`} checked={afterClose} onChange={(e) => setAfterClose((e.target as HTMLInputElement).checked)} />
        <label for={`${p}-afterclose`}>{t('channels.afterClose')}</label>
      </div>
      <fieldset>
        <legend>{t('channels.questionnaire')}</legend>
        <p>{t('channels.questionnaireCurrent', { id: `${channel.questionnaire.id}@${channel.questionnaire.version}` })}{' '}
          <button type="button" class="link" onClick={() => saveText(`${channel.id}-questionnaire.json`, JSON.stringify(channel.questionnaire, null, 2), 'application/json')}>
            {t('channels.questionnaireDownload', { name })}</button></p>
        <div class="field">
          <label for={`${p}-questionnaire`}>{t('channels.questionnaireUpload')}</label>
          <input id={`${p}-questionnaire`} type="file" accept="application/json,.json" aria-describedby={`${p}-questionnaire-help`} onChange={pickFile} />
          <p class="help" id={`${p}-questionnaire-help`}>{t('channels.questionnaireHelp')}</p>
        </div>
        {problems.length > 0 && (
          <div class="error-summary" role="alert">
            <p>{t('channels.questionnaireProblems')}</p>
            <ul>{problems.slice(0, 20).map((x, i) => <li key={i}><code>{x.path || '(file)'}</code>: {t(`qproblem.${x.problem}`)}</li>)}</ul>
          </div>
        )}
        {questionnaire && <p class="ok" role="status">{t('channels.questionnaireReady', { id: `${questionnaire.id}@${questionnaire.version}` })}</p>}
      </fieldset>
      <ErrorText error={error} />
      <div class="actions"><button type="submit" class="primary" disabled={busy}>{t('channels.save', { name })}</button></div>
    </form>
  );
}
