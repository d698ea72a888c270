// What every screen needs: the translator, the locale and the worker.
import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { T } from './i18n/index.js';
import type { CryptoWorker } from './worker-client.js';
import type { ErrorInfo } from './types.js';

export interface AppContext {
  t: T;
  locale: string;
  worker: CryptoWorker;
}

export const Ctx = createContext<AppContext>(null as unknown as AppContext);
export const useApp = (): AppContext => useContext(Ctx);

/** Moves focus to a screen's heading when it appears, so screen readers announce the new step. */
export function useFocusHeading<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

/** A plain-language sentence for an error from the worker or the API. */
export function errorText(t: T, error: ErrorInfo | undefined): string {
  if (!error) return '';
  if (error.name === 'ReceiptCodeError') {
    if (error.reason === 'length') return t('receiptError.length', { length: error.length ?? 0 });
    if (error.reason === 'character') return t('receiptError.character', { character: error.character ?? '', position: error.position ?? 0 });
    return t('receiptError.check');
  }
  if (error.name === 'NetworkError') return t('error.network');
  if (error.name === 'StripError') return t('error.strip');
  if (error.name === 'RosterError') return t('roster.failed.text');
  if (error.code === 'SBX_NOT_FOUND') return t('followup.notFound');
  if (error.code === 'SBX_RATE_LIMITED') return t('error.rateLimited');
  if (error.code === 'SBX_REPORT_CLOSED') return t('error.closedReport');
  if (error.status === 413) return t('error.tooLarge');
  return t('error.generic', { code: error.code ?? error.name });
}

/** Dates in the reader's own regional format (en-GB, fr-CA…) when it is of the page's language. */
export function formatDate(locale: string, iso: string, withTime = false): string {
  const options: Intl.DateTimeFormatOptions = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'long' };
  const regional = (typeof navigator === 'undefined' ? [] : navigator.languages ?? []).find((l) => l.toLowerCase().split('-')[0] === locale);
  return new Intl.DateTimeFormat(regional ?? locale, options).format(new Date(iso));
}
