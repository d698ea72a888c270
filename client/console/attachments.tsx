// The report's files: each decrypted in the worker chunk by chunk as it downloads, with progress;
// then saved through a blob URL, and images previewed from it. A damaged file says so by name and
// leaves the rest of the report alone.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../../domain/text.js';
import { errorText, toInfo } from './components.js';
import { useApp } from './context.js';
import type { ErrorInfo, ReportView } from './types.js';

type Attachment = ReportView['attachments'][number];
type State =
  | { phase: 'idle' }
  | { phase: 'decrypting'; received: number; total: number }
  | { phase: 'ready'; url: string; name: string; type: string; size: number }
  | { phase: 'failed'; error: ErrorInfo };

const PREVIEWABLE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export function Attachments({ reportId, attachments }: { reportId: string; attachments: Attachment[] }) {
  const { t } = useApp();
  const urls = useRef<string[]>([]);
  // Decrypted files exist only as blob URLs of this page; leaving the report revokes them.
  useEffect(() => () => {
    for (const u of urls.current) URL.revokeObjectURL(u);
  }, []);
  if (attachments.length === 0) return <p class="muted">{t('files.none')}</p>;
  return (
    <ul class="files">
      {attachments.map((a) => <AttachmentItem key={a.id} reportId={reportId} a={a} keep={(u) => urls.current.push(u)} />)}
    </ul>
  );
}

function AttachmentItem({ reportId, a, keep }: { reportId: string; a: Attachment; keep: (url: string) => void }) {
  const { t, locale, worker, announce } = useApp();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const name = a.meta?.name ?? t('files.unnamed');

  const decrypt = async () => {
    setState({ phase: 'decrypting', received: 0, total: a.encryptedSize });
    try {
      const file = await worker.call('decryptAttachment', { id: reportId, attachmentId: a.id }, (p) => setState({ phase: 'decrypting', received: p.received, total: p.total }));
      const url = URL.createObjectURL(file.blob);
      keep(url);
      setState({ phase: 'ready', url, name: file.name, type: file.type, size: file.size });
      announce(t('files.ready', { name: file.name }));
    } catch (e) {
      const error = toInfo(e);
      setState({ phase: 'failed', error });
      announce(t('files.damaged', { name }));
    }
  };

  if (!a.meta) {
    return <li class="file damaged" data-attachment={a.id}><span class="file-name">{t('files.unreadable')}</span></li>;
  }
  const percent = state.phase === 'decrypting' && state.total > 0 ? Math.floor((state.received / state.total) * 100) : 0;
  return (
    <li class={`file${state.phase === 'failed' ? ' damaged' : ''}`} data-attachment={a.id}>
      <div class="file-line">
        <span class="file-name">{a.meta.name}</span>
        <span class="muted"> · {a.meta.type || t('files.unknownType')} · {formatBytes(a.meta.size, locale)}</span>
      </div>
      {!a.complete && <p class="muted">{t('files.incomplete')}</p>}
      {a.complete && state.phase === 'idle' && (
        <button type="button" class="secondary small" onClick={decrypt}>{t('files.decrypt', { name: a.meta.name })}</button>
      )}
      {state.phase === 'decrypting' && (
        <div class="progress-line">
          <label for={`progress-${a.id}`}>{t('files.decrypting', { name: a.meta.name })}</label>
          <progress id={`progress-${a.id}`} max={100} value={percent}>{percent}%</progress>
        </div>
      )}
      {state.phase === 'failed' && (
        <p class="error" role="alert">{t('files.damagedLong', { name: a.meta.name, reason: errorText(t, state.error) })}</p>
      )}
      {state.phase === 'ready' && (
        <div class="file-ready">
          <a class="button secondary small" href={state.url} download={state.name}>{t('files.save', { name: state.name })}</a>
          {PREVIEWABLE.has(state.type) && <img class="preview" src={state.url} alt={t('files.previewAlt', { name: state.name })} />}
        </div>
      )}
    </li>
  );
}
