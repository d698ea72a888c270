// "My account": where and how often notification e-mails reach the signed-in reader. The e-mails
// never hold anything from a report, so the choice here is about timing: a daily summary sent
// every day hides when reports arrive; an e-mail per report shows it.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { useMyFingerprint } from './approvals.js';
import { Busy, ErrorText, Fingerprint, PageHeading } from './components.js';
import { useApp, useFocusHeading } from './context.js';
import { LANGUAGES } from './i18n/index.js';
import type { ErrorInfo } from './types.js';

export const NOTIFY_MODES = ['digest', 'immediate', 'none'] as const;
type Mode = (typeof NOTIFY_MODES)[number];

interface NotificationSettings {
  email: string | null;
  mode: Mode;
  locale: string;
  mailEnabled: boolean;
  dailyHourUtc: number | null;
}

/** Close enough to what the server accepts to catch a typing slip before sending. */
const looksLikeEmail = (text: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);

export function Account() {
  const { t } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  return (
    <div>
      <PageHeading headingRef={heading}>{t('account.title')}</PageHeading>
      <Fingerprints />
      <NotificationsForm />
    </div>
  );
}

/**
 * The user's own fingerprint, which colleagues compare before approving them, and the unit's (of
 * the verified roster's root), which the organisation publishes: both computed in the worker.
 */
function Fingerprints() {
  const { t, worker } = useApp();
  const mine = useMyFingerprint();
  const [unit, setUnit] = useState<string | null | undefined>();
  useEffect(() => {
    let live = true;
    worker.call('unitFingerprint', {}).then((v) => live && setUnit(v), () => live && setUnit(null));
    return () => {
      live = false;
    };
  }, [worker]);
  return (
    <div class="card">
      <h2 id="account-fingerprint-title">{t('account.fingerprintTitle')}</h2>
      <p>{t('account.fingerprintHelp')}</p>
      <div id="account-fingerprint">{mine ? <Fingerprint value={mine} /> : <Busy label={t('loading')} />}</div>
      <h2 id="account-unit-title">{t('account.unitTitle')}</h2>
      <p>{t('account.unitHelp')}</p>
      {unit === null ? <p class="notice">{t('account.unitUnverified')}</p>
        : <div id="account-unit">{unit ? <Fingerprint value={unit} /> : <Busy label={t('loading')} />}</div>}
    </div>
  );
}

function NotificationsForm() {
  const { t, http, failed, announce } = useApp();
  const [settings, setSettings] = useState<NotificationSettings | undefined>();
  const [email, setEmail] = useState('');
  const [mode, setMode] = useState<Mode>('digest');
  const [mailLocale, setMailLocale] = useState('en');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [busy, setBusy] = useState(false);

  const show = (s: NotificationSettings) => {
    setSettings(s);
    setEmail(s.email ?? '');
    setMode(s.mode);
    setMailLocale(s.locale);
  };

  useEffect(() => {
    api<NotificationSettings>(http, 'GET', '/api/account/notifications').then(show).catch((e) => setError(failed(e)));
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    const address = email.trim();
    if (address && !looksLikeEmail(address)) {
      setInvalid(true);
      document.getElementById('account-email')?.focus();
      return;
    }
    setInvalid(false);
    setBusy(true);
    setError(undefined);
    try {
      show(await api<NotificationSettings>(http, 'PUT', '/api/account/notifications', { email: address || null, mode, locale: mailLocale }));
      announce(t('account.saved'));
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };

  const described = ['account-email-help', invalid ? 'account-email-error' : ''].filter(Boolean).join(' ');
  return (
    <form class="card" onSubmit={save} aria-labelledby="account-notify-title" noValidate>
      <h2 id="account-notify-title">{t('account.notifications')}</h2>
      <p class="help">{t('account.notificationsHelp')}</p>
      {settings === undefined ? (error ? null : <Busy label={t('loading')} />) : (
        <>
          {!settings.mailEnabled && <p class="notice">{t('account.mailOff')}</p>}
          <div class={`field${invalid ? ' invalid' : ''}`}>
            <label for="account-email">{t('account.email')}</label>
            <input id="account-email" type="email" autocomplete="email" maxLength={254} value={email} aria-invalid={invalid || undefined}
              aria-describedby={described} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
            <p class="help" id="account-email-help">{t('account.emailHelp')}</p>
            {invalid && <p class="field-error" id="account-email-error" role="alert">{t('account.emailInvalid')}</p>}
          </div>
          <fieldset>
            <legend>{t('account.mode')}</legend>
            {NOTIFY_MODES.map((m) => (
              <div class="check" key={m}>
                <input type="radio" name="account-mode" id={`account-mode-${m}`} value={m} checked={mode === m}
                  aria-describedby={`account-mode-${m}-help`} onChange={() => setMode(m)} />
                <div>
                  <label for={`account-mode-${m}`}>{t(`account.mode.${m}`)}</label>
                  <p class="help" id={`account-mode-${m}-help`}>
                    {t(`account.mode.${m}Help`)}
                    {m === 'digest' && settings.dailyHourUtc !== null ? ` ${t('account.digestHour', { hour: String(settings.dailyHourUtc).padStart(2, '0') })}` : ''}
                  </p>
                </div>
              </div>
            ))}
          </fieldset>
          <div class="field">
            <label for="account-locale">{t('account.language')}</label>
            <select id="account-locale" value={mailLocale} onChange={(e) => setMailLocale((e.target as HTMLSelectElement).value)}>
              {LANGUAGES.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.name}</option>)}
            </select>
          </div>
        </>
      )}
      <ErrorText error={error} />
      <div class="actions"><button type="submit" class="primary" disabled={busy || settings === undefined}>{t('account.save')}</button></div>
    </form>
  );
}
