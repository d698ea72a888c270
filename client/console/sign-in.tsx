// Signing in: username, passphrase and authentication code. The worker fetches the KDF
// parameters, runs Argon2id, signs in with the derived auth key and opens the key bundle; the
// passphrase goes to the worker and nowhere else.
import { useState } from 'preact/hooks';
import { Busy, ErrorText, PageHeading, toInfo } from './components.js';
import { useApp, useFocusHeading } from './context.js';
import type { ErrorInfo, SignedInfo } from './types.js';

export type Notice = 'locked' | 'signedOut' | 'expired' | null;

export function SignIn({ notice, onSignedIn }: { notice: Notice; onSignedIn: (info: SignedInfo) => void }) {
  const { t, worker } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [totp, setTotp] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [missing, setMissing] = useState<string[]>([]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const code = totp.replace(/\s/g, '');
    const gaps = [...(username.trim() ? [] : ['username']), ...(passphrase ? [] : ['passphrase']), ...(/^\d{6}$/.test(code) ? [] : ['totp'])];
    setMissing(gaps);
    setError(undefined);
    if (gaps.length > 0) {
      document.getElementById(`signin-${gaps[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const info = await worker.call('login', { username: username.trim().toLowerCase(), passphrase, totp: code });
      setPassphrase('');
      onSignedIn(info);
    } catch (e) {
      setError(toInfo(e));
      setTotp('');
      setBusy(false);
      document.getElementById('signin-totp')?.focus();
    }
  };

  const invalid = (field: string) => missing.includes(field);
  return (
    <div class="narrow">
      <PageHeading headingRef={heading}>{t('signin.title')}</PageHeading>
      {notice && <p class="notice" role="status">{t(`signin.notice.${notice}`)}</p>}
      <form onSubmit={submit} noValidate class="card">
        <div class={`field${invalid('username') ? ' invalid' : ''}`}>
          <label for="signin-username">{t('signin.username')}</label>
          <input id="signin-username" type="text" autocomplete="username" autoCapitalize="none" spellcheck={false} value={username}
            aria-invalid={invalid('username') || undefined} aria-describedby={invalid('username') ? 'signin-username-error' : undefined}
            onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
          {invalid('username') && <p class="field-error" id="signin-username-error">{t('signin.needUsername')}</p>}
        </div>
        <div class={`field${invalid('passphrase') ? ' invalid' : ''}`}>
          <label for="signin-passphrase">{t('signin.passphrase')}</label>
          <input id="signin-passphrase" type="password" autocomplete="current-password" value={passphrase}
            aria-invalid={invalid('passphrase') || undefined} aria-describedby={invalid('passphrase') ? 'signin-passphrase-error' : undefined}
            onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)} />
          {invalid('passphrase') && <p class="field-error" id="signin-passphrase-error">{t('signin.needPassphrase')}</p>}
        </div>
        <div class={`field${invalid('totp') ? ' invalid' : ''}`}>
          <label for="signin-totp">{t('signin.totp')}</label>
          <input id="signin-totp" type="text" inputMode="numeric" autocomplete="one-time-code" maxLength={7} class="code" value={totp}
            aria-invalid={invalid('totp') || undefined} aria-describedby={`signin-totp-help${invalid('totp') ? ' signin-totp-error' : ''}`}
            onInput={(e) => setTotp((e.target as HTMLInputElement).value)} />
          <p class="help" id="signin-totp-help">{t('signin.totpHelp')}</p>
          {invalid('totp') && <p class="field-error" id="signin-totp-error">{t('signin.needTotp')}</p>}
        </div>
        <ErrorText error={error} />
        {busy && <Busy label={t('signin.deriving')} />}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>{t('signin.submit')}</button>
        </div>
      </form>
      <p class="help">{t('signin.keysNote')}</p>
    </div>
  );
}
