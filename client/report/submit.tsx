// Submitting: the proof of work and encryption (in the worker, with progress), then the receipt
// code with copy and save, the confirmation that it was kept, and the files being sent.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Draft, PickedFile } from './draft.js';
import { errorText, useApp, useFocusHeading } from './context.js';
import { questionnaireRef } from '../../domain/questionnaire.js';
import { validate } from './form-model.js';
import type { Channel, ErrorInfo, SubmitProgress } from './types.js';
import { UploadQueue, type UploadState } from './uploads.js';
import { WorkerError } from './worker-client.js';

/** `7K2QM-XW9PD-3HF8N-R6TZA-Q8HN4`. */
export const groups = (code: string): string[] => code.match(/.{1,5}/g) ?? [];

export function Sending({ channel, draft, onDone, onBack }: {
  channel: Channel; draft: Draft; onDone: (code: string) => void; onBack: () => void;
}) {
  const { t, locale, worker } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [progress, setProgress] = useState<SubmitProgress>({ phase: 'challenge' });
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(undefined);
    const result = validate(channel.questionnaire, draft.values, draft.includeIdentity);
    if (!result.ok) return;
    // Whom the key is sealed to the worker reads from the verified roster; the page says whom the reporter left out.
    const excluded = channel.recipients.filter((r) => draft.excluded.includes(r.userId)).map((r) => r.userId);
    worker.call('submit', { input: { channelId: channel.id, locale, questionnaire: questionnaireRef(channel.questionnaire), answers: result.answers, excluded } },
      (p) => setProgress(p as SubmitProgress))
      .then((done) => onDone(done.code))
      .catch((e: unknown) => setError(e instanceof WorkerError ? e.info : { name: 'Error', message: String(e) }));
  }, [attempt]);

  const powPercent = progress.phase === 'pow' ? Math.min(99, Math.floor((progress.tried / progress.expected) * 100)) : 0;
  const text = progress.phase === 'pow' ? t('sending.pow', { percent: powPercent }) : t(`sending.${progress.phase}`);
  const value = { challenge: 2, pow: 5 + powPercent * 0.85, encrypting: 92, sending: 96 }[progress.phase];
  return (
    <div class="sending">
      <h1 tabIndex={-1} ref={heading}>{t('sending.title')}</h1>
      {!error && (
        <>
          <progress max={100} value={value} aria-label={t('sending.progress')} />
          <p role="status" class="status">{text}</p>
        </>
      )}
      {error && (
        <div role="alert" class="error-summary">
          <h2>{t('sending.failed')}</h2>
          <p>{errorText(t, error)}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => setAttempt(attempt + 1)}>{t('sending.retry')}</button>
            <button type="button" class="link" onClick={onBack}>{t('sending.edit')}</button>
          </div>
        </div>
      )}
    </div>
  );
}

export function Receipt({ code, files, strip, onFinish }: { code: string; files: PickedFile[]; strip: boolean; onFinish: () => void }) {
  const { t } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [copied, setCopied] = useState<'' | 'ok' | 'failed'>('');
  const [typed, setTyped] = useState('');
  const [wrong, setWrong] = useState(false);
  const [uploads, setUploads] = useState<Record<string, UploadState> | undefined>(files.length === 0 ? {} : undefined);
  const [waitNote, setWaitNote] = useState(false);
  const codeRef = useRef<HTMLElement>(null);
  const formatted = groups(code).join('-');
  const last = groups(code)[4]!;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(formatted);
      setCopied('ok');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select it for a manual copy.
      const range = document.createRange();
      if (codeRef.current) range.selectNodeContents(codeRef.current);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      setCopied('failed');
    }
  };

  const save = () => {
    const blob = new Blob([t('receipt.fileText', { code: formatted })], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'sealbox-receipt.txt';
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const confirm = (event: Event) => {
    event.preventDefault();
    const ok = typed.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1') === last;
    setWrong(!ok);
    if (!ok) return;
    if (!uploads) {
      setWaitNote(true);
      return;
    }
    onFinish();
  };

  useEffect(() => {
    if (waitNote && uploads) onFinish();
  }, [waitNote, uploads]);

  return (
    <div class="receipt">
      <h1 tabIndex={-1} ref={heading}>{t('receipt.title')}</h1>
      <section class="card code-card" aria-labelledby="receipt-label">
        <h2 id="receipt-label">{t('receipt.label')}</h2>
        <p class="receipt-code" aria-describedby="receipt-explain">
          <code ref={codeRef} id="receipt-code" translate={false}>
            {groups(code).map((g, i) => <span key={i} class="group">{g}{i < 4 && <span class="sep">-</span>}</span>)}
          </code>
        </p>
        <p id="receipt-explain">{t('receipt.explain')}</p>
        <div class="actions">
          <button type="button" class="secondary" onClick={copy}>{t('receipt.copy')}</button>
          <button type="button" class="secondary" onClick={save}>{t('receipt.save')}</button>
        </div>
        <p role="status" class="status">{copied === 'ok' ? t('receipt.copied') : copied === 'failed' ? t('receipt.copyFailed') : ''}</p>
      </section>
      {files.length > 0 && (
        <section class="card" aria-labelledby="uploads-title">
          <h2 id="uploads-title">{t('receipt.uploads')}</h2>
          <UploadQueue files={files} strip={strip} onSettled={setUploads} />
        </section>
      )}
      <form class="card confirm" onSubmit={confirm} noValidate autoComplete="off">
        <div class={`field${wrong ? ' invalid' : ''}`}>
          <label for="confirm-code">{t('receipt.confirmLabel')}</label>
          <input id="confirm-code" type="text" autocomplete="off" autoCapitalize="characters" spellcheck={false} maxLength={7} value={typed}
            aria-invalid={wrong ? true : undefined} aria-describedby={wrong ? 'confirm-error' : undefined}
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
          {wrong && <p class="field-error" id="confirm-error" role="alert">{t('receipt.confirmWrong')}</p>}
        </div>
        {waitNote && !uploads && <p role="status" class="status">{t('receipt.waitUploads')}</p>}
        <button type="submit" class="primary" id="confirm-kept">{t('receipt.confirm')}</button>
      </form>
    </div>
  );
}

export function Done({ onHome }: { onHome: () => void }) {
  const { t } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  return (
    <div class="done">
      <h1 tabIndex={-1} ref={heading}>{t('done.title')}</h1>
      <p class="lead">{t('done.text')}</p>
      <button type="button" class="primary" onClick={onHome}>{t('done.home')}</button>
    </div>
  );
}
