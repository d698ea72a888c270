// "Export case" in the report view: the worker reads the report afresh, decrypts it with the keys
// it holds, and hands back a ZIP (transcript, files, SHA256SUMS) that is saved from a blob URL.
// Nothing decrypted is sent anywhere; the export is recorded in the audit trail.
import { useState } from 'preact/hooks';
import { ErrorText } from './components.js';
import { channelTitle, useApp } from './context.js';
import { catalogues } from './i18n/index.js';
import type { ErrorInfo } from './types.js';

type State = { phase: 'idle' } | { phase: 'working'; done: number; total: number } | { phase: 'done'; name: string } | { phase: 'failed'; error: ErrorInfo };

/** The words of the transcript: the catalogue of the reader's language over the English one. */
export const transcriptLabels = (locale: string): Record<string, string> => ({ ...catalogues.en, ...catalogues[locale] });

export function ExportCase({ reportId, channelId }: { reportId: string; channelId: string }) {
  const { t, locale, worker, session, channels, failed, announce } = useApp();
  const [state, setState] = useState<State>({ phase: 'idle' });

  const run = async () => {
    setState({ phase: 'working', done: 0, total: 0 });
    try {
      const archive = await worker.call('exportCase', {
        id: reportId,
        options: {
          labels: transcriptLabels(locale), locale, exportedBy: session?.user.username ?? '',
          questionnaire: channels.find((c) => c.id === channelId)?.questionnaire, channelTitle: channelTitle(channels, channelId, locale),
        },
      }, (p) => setState({ phase: 'working', done: p.received, total: p.total }));
      const url = URL.createObjectURL(archive.blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = archive.name;
      document.body.append(a);
      a.click();
      a.remove();
      // The blob holds the decrypted case: let it go once the download has started.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ phase: 'done', name: archive.name });
      announce(t('export.done', { name: archive.name }));
    } catch (e) {
      setState({ phase: 'failed', error: failed(e) });
    }
  };

  return (
    <section class="card" aria-labelledby="report-export">
      <h2 id="report-export">{t('export.button')}</h2>
      <p class="help" id="report-export-help">{t('export.help')}</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={run} disabled={state.phase === 'working'} aria-describedby="report-export-help">{t('export.button')}</button>
      </div>
      <div role="status">
        {state.phase === 'working' && (
          <p>{state.total > 0 && state.done < state.total ? t('export.file', { n: state.done + 1, total: state.total }) : t('export.working')}</p>
        )}
        {state.phase === 'done' && <p class="ok">{t('export.done', { name: state.name })}</p>}
      </div>
      {state.phase === 'failed' && <ErrorText error={state.error} />}
    </section>
  );
}
