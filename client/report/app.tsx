// The reporting page: one screen at a time, held in memory only. No step has a URL and nothing
// is pushed to the history, so the browser keeps no trace of what the reporter went through.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Ctx, type AppContext } from './context.js';
import { newDraft, type Draft, type PickedFile } from './draft.js';
import { Followup, FollowupLogin } from './followup.js';
import { dirOf, LANGUAGES, makeT } from './i18n/index.js';
import { Landing } from './landing.js';
import { ReportForm } from './report-form.js';
import { Done, Receipt, Sending } from './submit.js';
import type { Channel, ChannelsResponse, FollowupView, PageSettings } from './types.js';
import type { CryptoWorker } from './worker-client.js';
import type { RosterVerdict } from './worker/recipients.js';

export type Step =
  | { name: 'landing' }
  | { name: 'form'; channel: Channel }
  | { name: 'sending'; channel: Channel }
  | { name: 'receipt'; channel: Channel; code: string; files: PickedFile[] }
  | { name: 'done' }
  | { name: 'followup-login' }
  | { name: 'followup'; view: FollowupView };

export function App({ worker, initialLocale }: { worker: CryptoWorker; initialLocale: string }) {
  const [locale, setLocale] = useState(initialLocale);
  const [data, setData] = useState<{ channels: ChannelsResponse; roster: RosterVerdict; settings: PageSettings } | 'failed' | undefined>();
  const [step, setStep] = useState<Step>({ name: 'landing' });
  const [draft, setDraft] = useState<Draft | undefined>();
  const t = useMemo(() => makeT(locale), [locale]);
  const ctx: AppContext = useMemo(() => ({ t, locale, worker }), [t, locale, worker]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = dirOf(locale);
    document.title = `${t('app.name')} · ${t('landing.title')}`;
  }, [locale, t]);

  useEffect(() => {
    const load = async () => {
      // The worker reads the channels and the roster and keeps only the recipients the roster names.
      const [verified, settings] = await Promise.all([
        worker.call('channels', {}),
        fetch('/api/page-settings', { credentials: 'omit' }).then((r) => (r.ok ? r.json() : { emergencyContacts: {} })),
      ]);
      setData({ channels: verified.channels, roster: verified.roster, settings: settings as PageSettings });
    };
    load().catch(() => setData('failed'));
  }, []);

  // Leaving while the code is not yet kept, or while files are being sent, loses something.
  useEffect(() => {
    if (step.name !== 'sending' && step.name !== 'receipt') return undefined;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [step.name]);

  const home = () => {
    void worker.call('forget', {});
    setDraft(undefined);
    setStep({ name: 'landing' });
  };

  let screen;
  if (data === undefined) screen = <p role="status" class="loading">{t('loading')}</p>;
  else if (data === 'failed') screen = <p role="alert" class="error">{t('loadFailed')}</p>;
  else {
    const { channels, roster, settings } = data;
    switch (step.name) {
      case 'landing':
        screen = (
          <Landing channels={channels.channels} roster={roster} onStart={(channel) => {
            if (!draft) setDraft(newDraft(channel));
            setStep({ name: 'form', channel });
          }} onFollowup={() => setStep({ name: 'followup-login' })} />
        );
        break;
      case 'form':
        screen = (
          <ReportForm channel={step.channel} draft={draft ?? newDraft(step.channel)} onChange={setDraft} settings={settings} roster={roster}
            onBack={() => setStep({ name: 'landing' })} onSubmit={() => setStep({ name: 'sending', channel: step.channel })} />
        );
        break;
      case 'sending':
        screen = (
          <Sending channel={step.channel} draft={draft!} onBack={() => setStep({ name: 'form', channel: step.channel })}
            onDone={(code) => setStep({ name: 'receipt', channel: step.channel, code, files: draft!.files })} />
        );
        break;
      case 'receipt':
        screen = <Receipt code={step.code} files={step.files} strip={draft?.strip ?? true} onFinish={() => {
          void worker.call('forget', {});
          setDraft(undefined);
          setStep({ name: 'done' });
        }} />;
        break;
      case 'done':
        screen = <Done onHome={home} />;
        break;
      case 'followup-login':
        screen = <FollowupLogin onBack={() => setStep({ name: 'landing' })} onOpen={(view) => setStep({ name: 'followup', view })} />;
        break;
      case 'followup':
        screen = <Followup view={step.view} channels={channels.channels} onLeave={home} onUpdate={(view) => setStep({ name: 'followup', view })} />;
        break;
    }
  }

  return (
    <Ctx.Provider value={ctx}>
      <header class="top">
        <div class="brand">
          <span class="name">{t('app.name')}</span>
          <span class="tagline">{t('app.tagline')}</span>
        </div>
        <div class="lang">
          <label for="lang">{t('lang.label')}</label>
          <select id="lang" value={locale} onChange={(e) => setLocale((e.target as HTMLSelectElement).value)}>
            {LANGUAGES.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.name}</option>)}
          </select>
        </div>
      </header>
      <main id="main">{screen}</main>
      <footer class="bottom"><p>{t('footer.text')}</p></footer>
    </Ctx.Provider>
  );
}

