// The idle lock: after `limitMs` without a key press, click, touch or scroll, `onLock` runs (the
// console wipes its keys and says why); `onWarn` runs a minute before. Activity only records a
// time; one timer, re-armed when it fires early, does the checking.

export interface IdleOptions {
  limitMs: number;
  warnMs: number;
  onWarn: () => void;
  onLock: () => void;
  now?: () => number;
}

export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart', 'scroll'] as const;

export class IdleTimer {
  private last: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private warned = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: IdleOptions) {
    this.now = options.now ?? (() => Date.now());
    this.last = this.now();
    this.arm();
  }

  /** Records activity; a warning already shown is withdrawn by the caller. */
  touch(): void {
    this.last = this.now();
    this.warned = false;
  }

  private arm(): void {
    if (this.stopped) return;
    const idle = this.now() - this.last;
    const next = this.warned ? this.options.limitMs - idle : this.options.limitMs - this.options.warnMs - idle;
    this.timer = setTimeout(() => this.check(), Math.max(0, next));
  }

  private check(): void {
    if (this.stopped) return;
    const idle = this.now() - this.last;
    if (idle >= this.options.limitMs) {
      this.stop();
      this.options.onLock();
      return;
    }
    if (!this.warned && idle >= this.options.limitMs - this.options.warnMs) {
      this.warned = true;
      this.options.onWarn();
    }
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
