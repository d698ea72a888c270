// Instance settings the administrator keeps: the customs offices and processes that triage labels
// come from, and the acknowledgement message offered to reviewers, per language.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { Busy, ErrorText, PageHeading } from './components.js';
import { useApp, useFocusHeading } from './context.js';
import { KNOWN_PROCESSES, processLabel } from './labels.js';
import type { ErrorInfo } from './types.js';

const lines = (text: string): string[] => [...new Set(text.split('\n').map((l) => l.trim()).filter(Boolean))];

export function Settings() {
  const { t } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  return (
    <div>
      <PageHeading headingRef={heading}>{t('settings.title')}</PageHeading>
      <ListsForm />
      <TemplateForm />
    </div>
  );
}

function ListsForm() {
  const { t, locale, http, failed, announce } = useApp();
  const [offices, setOffices] = useState<string | undefined>();
  const [processes, setProcesses] = useState('');
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ offices: string[]; processes: string[] }>(http, 'GET', '/api/settings/lists').then((r) => {
      setOffices(r.offices.join('\n'));
      setProcesses(r.processes.join('\n'));
    }).catch((e) => setError(failed(e)));
  }, []);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ offices: string[]; processes: string[] }>(http, 'PUT', '/api/settings/lists', { offices: lines(offices ?? ''), processes: lines(processes) });
      setOffices(r.offices.join('\n'));
      setProcesses(r.processes.join('\n'));
      announce(t('settings.listsSaved'));
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={save} aria-labelledby="lists-title">
      <h2 id="lists-title">{t('settings.lists')}</h2>
      <p class="help">{t('settings.listsHelp')}</p>
      {offices === undefined ? (error ? null : <Busy label={t('loading')} />) : (
        <div class="two">
          <div class="field">
            <label for="settings-offices">{t('settings.offices')}</label>
            <textarea id="settings-offices" rows={8} value={offices} aria-describedby="settings-offices-help" onInput={(e) => setOffices((e.target as HTMLTextAreaElement).value)} />
            <p class="help" id="settings-offices-help">{t('settings.onePerLine')}</p>
          </div>
          <div class="field">
            <label for="settings-processes">{t('settings.processes')}</label>
            <textarea id="settings-processes" rows={8} value={processes} aria-describedby="settings-processes-help" onInput={(e) => setProcesses((e.target as HTMLTextAreaElement).value)} />
            <p class="help" id="settings-processes-help">{t('settings.processesHelp', { codes: KNOWN_PROCESSES.map((c) => `${c} (${processLabel(c, locale)})`).join(', ') })}</p>
          </div>
        </div>
      )}
      <ErrorText error={error} />
      <div class="actions"><button type="submit" class="primary" disabled={busy || offices === undefined}>{t('settings.saveLists')}</button></div>
    </form>
  );
}

function TemplateForm() {
  const { t, http, failed, announce } = useApp();
  const [template, setTemplate] = useState<Record<string, string> | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ template: Record<string, string> }>(http, 'GET', '/api/settings/acknowledgement-template').then((r) => setTemplate(r.template)).catch((e) => setError(failed(e)));
  }, []);
  const locales = [...new Set(['en', 'fr', ...Object.keys(template ?? {})])];
  const save = async (event: Event) => {
    event.preventDefault();
    const clean = Object.fromEntries(Object.entries(template ?? {}).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ template: Record<string, string> }>(http, 'PUT', '/api/settings/acknowledgement-template', { template: clean });
      setTemplate(r.template);
      announce(t('settings.templateSaved'));
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={save} aria-labelledby="template-title">
      <h2 id="template-title">{t('settings.template')}</h2>
      <p class="help">{t('settings.templateHelp')}</p>
      {template === undefined ? (error ? null : <Busy label={t('loading')} />) : locales.map((l) => (
        <div class="field" key={l}>
          <label for={`template-${l}`}>{t('settings.templateIn', { locale: l })}</label>
          <textarea id={`template-${l}`} lang={l} dir="auto" rows={4} value={template[l] ?? ''} onInput={(e) => setTemplate({ ...template, [l]: (e.target as HTMLTextAreaElement).value })} />
        </div>
      ))}
      <ErrorText error={error} />
      <div class="actions"><button type="submit" class="primary" disabled={busy || template === undefined}>{t('settings.saveTemplate')}</button></div>
    </form>
  );
}
