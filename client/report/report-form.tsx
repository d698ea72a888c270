// The report form, built from the channel's questionnaire and checked with zod before anything
// is encrypted. Autocomplete is off everywhere: the browser must not remember what was typed.
import { useRef, useState } from 'preact/hooks';
import { formatBytes, localText } from '../../domain/text.js';
import { channelTitle, pickId, type Draft, type PickedFile } from './draft.js';
import { useApp, useFocusHeading } from './context.js';
import { emptyEntry, fieldMax, isEmergency, key, validate, type FieldError, type FormValues, type GroupEntry } from './form-model.js';
import type { Channel, Field, PageSettings, Section } from './types.js';
import { RosterNotice } from './roster.js';
import type { RosterVerdict } from './worker/recipients.js';

/** JPEG and PNG are what the page knows how to clean; everything else gets a warning. */
export const isCleanable = (file: File): boolean => /^image\/(jpeg|png)$/.test(file.type) || /\.(jpe?g|png)$/i.test(file.name);

const controlId = (path: string) => `q-${path.replace(/\./g, '-')}`;

export function ReportForm({ channel, draft, onChange, onBack, onSubmit, settings, roster }: {
  channel: Channel; draft: Draft; onChange: (d: Draft) => void; onBack: () => void; onSubmit: () => void; settings: PageSettings; roster: RosterVerdict;
}) {
  const { t, locale } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const summary = useRef<HTMLDivElement>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [recipientError, setRecipientError] = useState(false);
  const q = channel.questionnaire;
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const setValue = (k: string, value: FormValues[string]) => set({ values: { ...draft.values, [k]: value } });
  const errorFor = (path: string) => errors.find((e) => e.path === path);
  const emergency = isEmergency(q, draft.values);
  const emergencyText = localText(settings.emergencyContacts, locale);

  const submit = (event: Event) => {
    event.preventDefault();
    const result = validate(q, draft.values, draft.includeIdentity);
    const kept = channel.recipients.filter((r) => !draft.excluded.includes(r.userId));
    const noRecipient = channel.recipients.length > 0 && kept.length === 0;
    setRecipientError(noRecipient);
    if (!result.ok || noRecipient) {
      setErrors(result.ok ? [] : result.errors);
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setErrors([]);
    // A roster that did not verify names nobody to seal to: the notice above says so; nothing is sent.
    if (!roster.ok) {
      document.getElementById('roster-failed')?.focus();
      return;
    }
    onSubmit();
  };

  const label = (f: Field) => localText(f.label, locale);

  function control(f: Field, path: string, value: string, onValue: (v: string) => void, describedBy: string[] = []) {
    const id = controlId(path);
    const err = errorFor(path);
    const help = f.help ? `${id}-help` : undefined;
    const errId = err ? `${id}-error` : undefined;
    const described = [...describedBy, help, errId].filter(Boolean).join(' ') || undefined;
    const required = f.required === true;
    const common = { id, name: path, 'aria-describedby': described, 'aria-invalid': err ? true : undefined, required, autocomplete: 'off' };
    const labelEl = (
      <label for={id}>{label(f)} {required && <span class="req" aria-hidden="true">{t('form.requiredMark')}</span>}</label>
    );
    const extras = (
      <>
        {help && <p class="help" id={help}>{localText(f.help, locale)}</p>}
        {err && <p class="field-error" id={errId}>{t(err.key, { max: err.max ?? fieldMax(f) })}</p>}
      </>
    );
    if (f.type === 'yesno') {
      return (
        <fieldset class={`field yesno${err ? ' invalid' : ''}`} key={path} aria-describedby={described}>
          <legend>{label(f)}</legend>
          {(['yes', 'no'] as const).map((v) => (
            <label class="choice" key={v}>
              <input type="radio" name={path} id={v === 'yes' ? id : `${id}-no`} value={v} checked={value === v} onChange={() => onValue(v)} />
              {t(v === 'yes' ? 'form.yes' : 'form.no')}
            </label>
          ))}
          {extras}
          {f.emergency && value === 'yes' && <p class="note" role="note">{t('emergency.note')}</p>}
        </fieldset>
      );
    }
    let input;
    if (f.type === 'select') {
      input = (
        <select {...common} value={value} onChange={(e) => onValue((e.target as HTMLSelectElement).value)}>
          <option value="">{t('form.choose')}</option>
          {(f.options ?? []).map((o) => <option key={o.value} value={o.value}>{localText(o.label, locale)}</option>)}
        </select>
      );
    } else if (f.type === 'textarea') {
      input = <textarea {...common} dir="auto" rows={8} maxLength={fieldMax(f)} value={value} onInput={(e) => onValue((e.target as HTMLTextAreaElement).value)} />;
    } else {
      const type = f.type === 'date' ? 'date' : 'text';
      input = <input {...common} type={type} inputMode={f.type === 'number' ? 'decimal' : undefined} maxLength={f.type === 'text' ? fieldMax(f) : undefined}
        value={value} onInput={(e) => onValue((e.target as HTMLInputElement).value)} />;
    }
    return <div class={`field${err ? ' invalid' : ''}`} key={path}>{labelEl}{input}{extras}</div>;
  }

  function group(section: Section, f: Field) {
    const k = key(section, f);
    const entries = (draft.values[k] as GroupEntry[] | undefined) ?? [];
    const update = (i: number, id: string, v: string) => setValue(k, entries.map((e, j) => (j === i ? { ...e, [id]: v } : e)));
    return (
      <div class="group" key={k}>
        <h3>{label(f)}</h3>
        {entries.map((entry, i) => (
          <fieldset class="entry" key={i}>
            <legend>{t('group.entry', { label: label(f), n: i + 1 })}</legend>
            {(f.fields ?? []).map((g) => control(g, `${k}.${i}.${g.id}`, entry[g.id] ?? '', (v) => update(i, g.id, v)))}
            {entries.length > 1 && (
              <button type="button" class="link" onClick={() => setValue(k, entries.filter((_, j) => j !== i))}>
                {t('group.remove', { n: i + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        {f.repeatable && (
          <button type="button" class="secondary" onClick={() => setValue(k, [...entries, emptyEntry(f)])}>{t('group.add', { label: label(f) })}</button>
        )}
      </div>
    );
  }

  const fields = (section: Section) => section.fields.map((f) => {
    const k = key(section, f);
    if (f.type === 'group') return group(section, f);
    if (f.type === 'multiselect') {
      const selected = (draft.values[k] as string[] | undefined) ?? [];
      return (
        <fieldset class="field" key={k}>
          <legend>{label(f)}</legend>
          {(f.options ?? []).map((o) => (
            <label class="choice" key={o.value}>
              <input type="checkbox" checked={selected.includes(o.value)} onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked;
                setValue(k, on ? [...selected, o.value] : selected.filter((x) => x !== o.value));
              }} />
              {localText(o.label, locale)}
            </label>
          ))}
        </fieldset>
      );
    }
    return control(f, k, (draft.values[k] as string | undefined) ?? '', (v) => setValue(k, v));
  });

  const fieldLabel = (path: string): string => {
    const [first, index, inner] = path.split('.');
    for (const s of q.sections) for (const f of s.fields) {
      if (key(s, f) === path) return label(f);
      if (f.type === 'group' && key(s, f) === first) {
        const g = f.fields?.find((x) => x.id === inner);
        return `${t('group.entry', { label: label(f), n: Number(index) + 1 })}: ${g ? label(g) : ''}`;
      }
    }
    return path;
  };

  const regular = q.sections.filter((s) => !s.identity);
  const identity = q.sections.filter((s) => s.identity);

  return (
    <form class="report-form" onSubmit={submit} noValidate autoComplete="off">
      <h1 tabIndex={-1} ref={heading}>{t('form.title')}</h1>
      <p class="channel-name">{t('form.channel', { title: channelTitle(channel, locale) })}</p>
      {emergency && (
        <aside class="emergency" role="alert" aria-labelledby="emergency-title">
          <h2 id="emergency-title">{t('emergency.title')}</h2>
          {emergencyText.split(/\n+/).map((line, i) => <p key={i}>{line}</p>)}
        </aside>
      )}
      <p class="lead">{t('form.intro')}</p>
      <div ref={summary} tabIndex={-1} class={errors.length > 0 || recipientError ? 'error-summary' : 'hidden'} role="alert" aria-labelledby={errors.length > 0 || recipientError ? 'error-summary-title' : undefined}>
        {(errors.length > 0 || recipientError) && (
          <>
            <h2 id="error-summary-title">{t('form.errors.title')}</h2>
            <ul>
              {errors.map((e) => (
                <li key={e.path}>
                  <button type="button" class="link" onClick={() => document.getElementById(controlId(e.path))?.focus()}>
                    {fieldLabel(e.path)}: {t(e.key, { max: e.max ?? 0 })}
                  </button>
                </li>
              ))}
              {recipientError && <li>{t('recipients.atLeastOne')}</li>}
            </ul>
          </>
        )}
      </div>
      {regular.map((s) => (
        <section class="card" key={s.id} aria-labelledby={`s-${s.id}`}>
          <h2 id={`s-${s.id}`}>{localText(s.title, locale)}</h2>
          {fields(s)}
        </section>
      ))}
      <Files draft={draft} set={set} max={channel.maxAttachmentBytes} />
      {channel.allowRecipientExclusion && channel.recipients.length > 1 && (
        <section class="card" aria-labelledby="recipients">
          <h2 id="recipients">{t('recipients.title')}</h2>
          <p>{t('recipients.explain')}</p>
          <fieldset class={`field${recipientError ? ' invalid' : ''}`}>
            <legend>{t('recipients.title')}</legend>
            {channel.recipients.map((r) => (
              <label class="choice" key={r.keyId}>
                <input type="checkbox" checked={!draft.excluded.includes(r.userId)} onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  set({ excluded: on ? draft.excluded.filter((x) => x !== r.userId) : [...draft.excluded, r.userId] });
                }} />
                {t('recipients.keep', { label: r.label })}
              </label>
            ))}
            {recipientError && <p class="field-error">{t('recipients.atLeastOne')}</p>}
          </fieldset>
          <p class="help">{t('recipients.recovery')}</p>
        </section>
      )}
      {identity.map((s) => (
        <section class="card identity" key={s.id} aria-labelledby={`s-${s.id}`}>
          <h2 id={`s-${s.id}`}>{localText(s.title, locale) || t('identity.title')}</h2>
          <p>{t('identity.explain')}</p>
          <label class="choice">
            <input type="checkbox" id="identity-toggle" checked={draft.includeIdentity} onChange={(e) => set({ includeIdentity: (e.target as HTMLInputElement).checked })} />
            {t('identity.toggle')}
          </label>
          {draft.includeIdentity && fields(s)}
        </section>
      ))}
      <RosterNotice roster={roster} channelId={channel.id} />
      <div class="actions">
        <p class="help">{t('submit.note')}</p>
        <button type="submit" class="primary" id="submit-report">{t('submit.button')}</button>
        <button type="button" class="link" onClick={onBack}>{t('form.back')}</button>
      </div>
    </form>
  );
}

/** The file picker: several files, the metadata option, a warning for what cannot be cleaned. */
export function Files({ draft, set, max }: { draft: Draft; set: (p: Partial<Draft>) => void; max: number }) {
  const { t, locale } = useApp();
  const [tooLarge, setTooLarge] = useState<string[]>([]);
  return (
    <section class="card files" aria-labelledby="files-title">
      <h2 id="files-title">{t('files.title')}</h2>
      <p>{t('files.explain')}</p>
      <label class="choice">
        <input type="checkbox" id="strip-toggle" checked={draft.strip} onChange={(e) => set({ strip: (e.target as HTMLInputElement).checked })} />
        {t('files.strip')}
      </label>
      <FilePicker id="files-input" label={t('files.add')} onPick={(picked) => {
        const ok = picked.filter((f) => f.size <= max);
        setTooLarge(picked.filter((f) => f.size > max).map((f) => t('files.tooLarge', { name: f.name, max: formatBytes(max, locale) })));
        set({ files: [...draft.files, ...ok.map((file) => ({ id: pickId(), file }))] });
      }} />
      {tooLarge.length > 0 && <div role="alert" class="field-error">{tooLarge.map((m) => <p key={m}>{m}</p>)}</div>}
      <FileList files={draft.files} strip={draft.strip} onRemove={(id) => set({ files: draft.files.filter((f) => f.id !== id) })} />
    </section>
  );
}

export function FilePicker({ id, label, onPick }: { id: string; label: string; onPick: (files: File[]) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input type="file" id={id} multiple onChange={(e) => {
        const input = e.target as HTMLInputElement;
        onPick([...(input.files ?? [])]);
        input.value = '';
      }} />
    </div>
  );
}

export function FileList({ files, strip, onRemove }: { files: PickedFile[]; strip: boolean; onRemove: (id: string) => void }) {
  const { t, locale } = useApp();
  if (files.length === 0) return null;
  return (
    <ul class="file-list">
      {files.map(({ id, file }) => (
        <li key={id}>
          <span class="file-name">{file.name}</span> <span class="file-size">{formatBytes(file.size, locale)}</span>
          <p class={isCleanable(file) && strip ? 'help' : 'warning'}>
            {isCleanable(file) ? (strip ? t('files.willClean') : t('files.notCleaned')) : t('files.warnOther')}
          </p>
          <button type="button" class="link" onClick={() => onRemove(id)}>{t('files.remove', { name: file.name })}</button>
        </li>
      ))}
    </ul>
  );
}
