// The page's side of the worker: calls by name, progress callbacks, errors as WorkerError.
import type { Progress, Request, Results } from './rpc.js';
import type { ErrorInfo } from './types.js';

export class WorkerError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: WorkerError) => void; onProgress?: (p: Progress) => void };
type Args<K extends Request['op']> = Omit<Extract<Request, { op: K }>, 'id' | 'op'>;

export class CryptoWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  constructor(url: string) {
    this.worker = new Worker(url, { type: 'module', name: 'sealbox' });
    this.worker.onmessage = (event: MessageEvent) => {
      const msg = event.data as { id: number; ok?: boolean; value?: unknown; error?: ErrorInfo; progress?: Progress };
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.progress) {
        p.onProgress?.(msg.progress);
        return;
      }
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new WorkerError(msg.error ?? { name: 'Error', message: 'unknown' }));
    };
    this.worker.onerror = () => {
      for (const p of this.pending.values()) p.reject(new WorkerError({ name: 'Error', message: 'the encryption worker stopped' }));
      this.pending.clear();
    };
  }

  call<K extends Request['op']>(op: K, args: Args<K>, onProgress?: (p: Progress) => void): Promise<Results[K]> {
    const id = this.next++;
    return new Promise<Results[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(onProgress ? { onProgress } : {}) });
      this.worker.postMessage({ id, op, ...args });
    });
  }
}
