// What every screen needs: the translator, the locale, the worker, the signed-in user, the
// channels (titles, questionnaires, members), and ways to navigate, announce and report errors.
import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { Http } from './api.js';
import type { T } from './i18n/index.js';
import type { Route } from './route.js';
import type { AwaitingList, ChannelInfo, ErrorInfo, SignedInfo } from './types.js';
import type { CryptoWorker } from './worker-client.js';

export interface AppContext {
  t: T;
  locale: string;
  http: Http;
  worker: CryptoWorker;
  session: SignedInfo | null;
  channels: ChannelInfo[];
  reloadChannels: () => void;
  /** Who awaits approval in the user's channels, and where the user awaits it (null until loaded, or for auditors). */
  approvals: AwaitingList | null;
  reloadApprovals: () => void;
  navigate: (route: Route, replace?: boolean) => void;
  /** Says something through the polite live region (a screen reader reads it out). */
  announce: (text: string) => void;
  /** A request failed: a lost session locks the console; anything else is for the caller to show. */
  failed: (error: unknown) => ErrorInfo;
}

export const Ctx = createContext<AppContext>(null as unknown as AppContext);
export const useApp = (): AppContext => useContext(Ctx);

/** Moves focus to a page's heading when it appears, so that screen readers announce the new page. */
export function useFocusHeading<E extends HTMLElement>(key?: unknown) {
  const ref = useRef<E>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [key]);
  return ref;
}

/** Dates and times in the reader's own regional format, in their time zone. */
export function formatDateTime(locale: string, iso: string): string {
  return new Intl.DateTimeFormat(regional(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(locale: string, iso: string): string {
  return new Intl.DateTimeFormat(regional(locale), { dateStyle: 'medium' }).format(new Date(iso));
}

function regional(locale: string): string {
  const tags = typeof navigator === 'undefined' ? [] : navigator.languages ?? [];
  return tags.find((l) => l.toLowerCase().split('-')[0] === locale) ?? locale;
}

/** Text for a channel's title in the locale, or its id. */
export function channelTitle(channels: ChannelInfo[], id: string, locale: string): string {
  const c = channels.find((x) => x.id === id);
  return (c && (c.title[locale] ?? c.title.en ?? Object.values(c.title)[0])) || id;
}

/** id → username for everyone the console knows of (members of the user's channels). */
export function usernames(channels: ChannelInfo[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of channels) for (const m of c.members) map.set(m.id, m.username);
  return map;
}
