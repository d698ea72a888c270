// Sends files one after another through the worker (one file in flight keeps memory flat on a
// phone), with a progress bar, a status line and a cancel button for each.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../../domain/text.js';
import { errorText, useApp } from './context.js';
import type { PickedFile } from './draft.js';
import type { ErrorInfo, UploadProgress, UploadResult } from './types.js';
import { WorkerError } from './worker-client.js';

export interface UploadState {
  status: 'waiting' | 'preparing' | 'uploading' | 'retrying' | 'done' | 'cancelled' | 'failed';
  sent: number;
  total: number;
  attempt?: number;
  error?: ErrorInfo;
  result?: UploadResult;
}

export function UploadQueue({ files, strip, onSettled }: { files: PickedFile[]; strip: boolean; onSettled: (states: Record<string, UploadState>) => void }) {
  const { t, locale, worker } = useApp();
  const [states, setStates] = useState<Record<string, UploadState>>(() => Object.fromEntries(files.map((f) => [f.id, { status: 'waiting', sent: 0, total: f.file.size }])));
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const all: Record<string, UploadState> = { ...states };
    const update = (id: string, s: UploadState) => {
      all[id] = s;
      setStates({ ...all });
    };
    (async () => {
      for (const { id, file } of files) {
        if (all[id]!.status === 'cancelled') continue;
        update(id, { status: 'preparing', sent: 0, total: file.size });
        try {
          const result = await worker.call('upload', { uploadId: id, file, strip }, (p) => {
            const progress = p as UploadProgress;
            if (progress.phase === 'preparing') update(id, { status: 'preparing', sent: 0, total: file.size });
            else update(id, { status: progress.phase, sent: progress.sent, total: progress.total, ...(progress.phase === 'retrying' ? { attempt: progress.attempt } : {}) });
          });
          update(id, { status: 'done', sent: all[id]!.total, total: all[id]!.total, result });
        } catch (error) {
          const info = error instanceof WorkerError ? error.info : { name: 'Error' as const, message: String(error) };
          update(id, { status: info.name === 'CancelledError' ? 'cancelled' : 'failed', sent: all[id]!.sent, total: all[id]!.total, error: info });
        }
      }
      onSettled(all);
    })();
  }, []);

  const cancel = (id: string) => {
    const s = states[id]!;
    if (s.status === 'waiting') setStates({ ...states, [id]: { ...s, status: 'cancelled' } });
    void worker.call('cancel', { uploadId: id });
  };

  const statusText = (s: UploadState): string => {
    switch (s.status) {
      case 'waiting': return t('upload.waiting');
      case 'preparing': return t('upload.preparing');
      case 'uploading': return t('upload.progress', { percent: percent(s) });
      case 'retrying': return t('upload.retrying', { n: s.attempt ?? 1 });
      case 'done': return s.result && s.result.removed.length > 0 ? t('upload.doneCleaned') : t('upload.done');
      case 'cancelled': return t('upload.cancelled');
      case 'failed': return t('upload.failed', { error: errorText(t, s.error) });
    }
  };

  return (
    <ul class="uploads">
      {files.map(({ id, file }) => {
        const s = states[id]!;
        const active = s.status === 'waiting' || s.status === 'preparing' || s.status === 'uploading' || s.status === 'retrying';
        return (
          <li key={id} class={`upload ${s.status}`} data-upload={file.name}>
            <div class="upload-head">
              <span class="file-name">{file.name}</span> <span class="file-size">{formatBytes(file.size, locale)}</span>
            </div>
            <progress id={`p-${id}`} max={100} value={s.status === 'done' ? 100 : percent(s)} aria-label={t('upload.label', { name: file.name })} />
            <p class={s.status === 'failed' ? 'field-error' : 'status'} role="status">{statusText(s)}</p>
            {active && <button type="button" class="secondary small" onClick={() => cancel(id)}>{t('upload.cancel', { name: file.name })}</button>}
          </li>
        );
      })}
    </ul>
  );
}

const percent = (s: UploadState): number => (s.total > 0 ? Math.min(100, Math.floor((s.sent / s.total) * 100)) : 0);
