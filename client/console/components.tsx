// Small pieces shared by the console's pages: error text, busy indicators, copying, the page
// heading that takes focus, and a scrollable table wrapper keyboard users can scroll.
import type { ComponentChildren, Ref } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from './context.js';
import { errorText } from './errors.js';
import type { ErrorInfo } from './types.js';

export { errorText, toInfo } from './errors.js';

export function ErrorText({ error, id }: { error: ErrorInfo | undefined; id?: string }) {
  const { t } = useApp();
  return <p class="error" role="alert" id={id}>{error ? errorText(t, error) : ''}</p>;
}

/** An indeterminate progress bar with a text that says what is happening. */
export function Busy({ label }: { label: string }) {
  return (
    <div class="busy" role="status">
      <progress aria-label={label} />
      <span>{label}</span>
    </div>
  );
}

export function PageHeading({ children, headingRef }: { children: ComponentChildren; headingRef: Ref<HTMLHeadingElement> }) {
  return <h1 tabIndex={-1} ref={headingRef}>{children}</h1>;
}

/** A copy-to-clipboard button that says whether it worked. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useApp();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span class="copy">
      <button type="button" class="secondary small" onClick={copy}>{label}</button>
      <span role="status" class="copy-status">{state === 'copied' ? t('copy.done') : state === 'failed' ? t('copy.failed') : ''}</span>
    </span>
  );
}

/** A wide table that scrolls sideways on a narrow screen, and can be scrolled from the keyboard. */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>{children}</div>;
}

/** Saves text as a file through a temporary blob URL (nothing is sent anywhere). */
export function saveText(name: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A fingerprint (PROTOCOL.md §9) in its four groups of five, left to right in every language, as
 * people read it aloud to compare. `id` lets a label or a description name it.
 */
export function Fingerprint({ value, id }: { value: string; id?: string }) {
  const groups = value.split('-');
  return (
    <code class="fingerprint" dir="ltr" translate={false} id={id}>
      {groups.map((g, i) => <span class="group" key={i}>{g}{i < groups.length - 1 ? '-' : ''}</span>)}
    </code>
  );
}
