// The page's side of the worker: calls by name, progress callbacks, errors as WorkerError. `stop`
// ends the worker outright, so that nothing it held survives in its memory.
import type { Op, Ops, Progress, Response } from './rpc.js';
import type { ErrorInfo } from './types.js';

export class WorkerError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: WorkerError) => void; onProgress?: (p: Progress) => void };

export class CryptoWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  private stopped = false;

  constructor(url: string) {
    this.worker = new Worker(url, { type: 'module', name: 'sealbox-console' });
    this.worker.onmessage = (event: MessageEvent<Response>) => {
      const msg = event.data;
      const p = this.pending.get(msg.rid);
      if (!p) return;
      if ('progress' in msg) {
        p.onProgress?.(msg.progress);
        return;
      }
      this.pending.delete(msg.rid);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new WorkerError(msg.error));
    };
    this.worker.onerror = () => this.failAll('the encryption worker stopped');
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new WorkerError({ name: 'Error', message }));
    this.pending.clear();
  }

  call<K extends Op>(op: K, args: Ops[K]['args'], onProgress?: (p: Progress) => void): Promise<Ops[K]['result']> {
    if (this.stopped) return Promise.reject(new WorkerError({ name: 'Error', message: 'the console is locked' }));
    const rid = this.next++;
    return new Promise<Ops[K]['result']>((resolve, reject) => {
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject, ...(onProgress ? { onProgress } : {}) });
      this.worker.postMessage({ rid, op, ...args });
    });
  }

  /** Asks the worker to zero its keys (waiting at most a moment), then terminates it. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await Promise.race([this.call('wipe', {}).catch(() => null), new Promise((r) => setTimeout(r, 500))]);
    this.stopped = true;
    this.worker.terminate();
    this.failAll('the console is locked');
  }
}
