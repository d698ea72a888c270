// Enrolment through a one-time link: the first administrator's setup link, an invitation, or a
// key reset. Everything secret is made in this browser: the passphrase's keys and the key bundle
// (in the worker), the recovery key when the instance has none (shown once, confirmed by typing a
// group back), and the TOTP secret, enrolled from a QR code and proven with a code.
import QRCode from 'qrcode';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from './api.js';
import { Busy, CopyButton, ErrorText, PageHeading, saveText, toInfo } from './components.js';
import { channelTitle, useApp, useFocusHeading } from './context.js';
import { charCount, MIN_PASSPHRASE, strengthOf } from './passphrase.js';
import { groupSecret, newTotpSecret, otpauthUri } from './totp-secret.js';
import type { ErrorInfo, LinkInfo, SignedInfo } from './types.js';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

type Step = 'account' | 'recovery' | 'totp';

export function Enrol({ token, onSignedIn }: { token: string; onSignedIn: (info: SignedInfo) => void }) {
  const { t, http } = useApp();
  const [link, setLink] = useState<LinkInfo | 'invalid' | 'failed' | undefined>();
  const [step, setStep] = useState<Step>('account');
  const [username, setUsername] = useState('');
  const [recovery, setRecovery] = useState<{ publicKey: string; keyId: string } | undefined>();

  useEffect(() => {
    api<LinkInfo>(http, 'GET', `/api/setup/${encodeURIComponent(token)}`)
      .then((info) => {
        setLink(info);
        if (info.username) setUsername(info.username);
      })
      .catch((e) => setLink(toInfo(e).status === 404 ? 'invalid' : 'failed'));
  }, [token]);

  if (link === undefined) return <Busy label={t('loading')} />;
  if (link === 'invalid' || link === 'failed') {
    return <LinkProblem kind={link} />;
  }
  switch (step) {
    case 'account':
      return <AccountStep link={link} username={username} onDone={(name) => {
        setUsername(name);
        setStep(link.needsRecoveryKey ? 'recovery' : 'totp');
      }} />;
    case 'recovery':
      return <RecoveryStep onDone={(key) => {
        setRecovery(key);
        setStep('totp');
      }} />;
    case 'totp':
      return <TotpStep token={token} username={username} recoveryPublicKey={recovery?.publicKey} onSignedIn={onSignedIn} />;
  }
}

function LinkProblem({ kind }: { kind: 'invalid' | 'failed' }) {
  const { t } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  return (
    <div class="narrow">
      <PageHeading headingRef={heading}>{t('enrol.problemTitle')}</PageHeading>
      <p role="alert" class="error">{t(kind === 'invalid' ? 'enrol.invalidLink' : 'error.network')}</p>
      <p><a href="#/">{t('enrol.toSignIn')}</a></p>
    </div>
  );
}

function StepList({ current, withRecovery }: { current: Step; withRecovery: boolean }) {
  const { t } = useApp();
  const steps: Step[] = withRecovery ? ['account', 'recovery', 'totp'] : ['account', 'totp'];
  return (
    <ol class="steps" aria-label={t('enrol.steps')}>
      {steps.map((s, i) => (
        <li key={s} class={s === current ? 'current' : steps.indexOf(current) > i ? 'done' : ''} aria-current={s === current ? 'step' : undefined}>
          {t(`enrol.step.${s}`)}
        </li>
      ))}
    </ol>
  );
}

function AccountStep({ link, username: initial, onDone }: { link: LinkInfo; username: string; onDone: (username: string) => void }) {
  const { t, worker, locale, channels } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const fixed = link.username !== undefined;
  const [username, setUsername] = useState(initial);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const strength = strengthOf(passphrase);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!USERNAME.test(username)) found.username = t('enrol.usernameRule');
    if (charCount(passphrase) < MIN_PASSPHRASE) found.passphrase = t('enrol.passphraseShort', { min: MIN_PASSPHRASE });
    else if (repeat !== passphrase) found.repeat = t('enrol.passphraseMismatch');
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`enrol-${first}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await worker.call('prepareEnrolment', { username, passphrase });
      setPassphrase('');
      setRepeat('');
      onDone(username);
    } catch (e) {
      setError(toInfo(e));
      setBusy(false);
    }
  };

  const described = (field: string, help?: string) => [help, errors[field] ? `enrol-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const roleText = link.roles.map((r) => t(`role.${r}`)).join(', ');
  const channelText = link.channels.map((c) => channelTitle(channels, c, locale)).join(', ');
  return (
    <div class="narrow">
      <PageHeading headingRef={heading}>{t(`enrol.title.${link.kind}`)}</PageHeading>
      <StepList current="account" withRecovery={link.needsRecoveryKey} />
      <p>{t(`enrol.intro.${link.kind}`, { role: roleText, username: link.username ?? '' })}</p>
      {link.channels.length > 0 && <p>{t('enrol.channels', { channels: channelText })}</p>}
      <form class="card" onSubmit={submit} noValidate>
        <h2>{t('enrol.step.account')}</h2>
        <div class={`field${errors.username ? ' invalid' : ''}`}>
          <label for="enrol-username">{t('signin.username')}</label>
          <input id="enrol-username" type="text" autocomplete="username" autoCapitalize="none" spellcheck={false} value={username} readOnly={fixed}
            aria-invalid={errors.username ? true : undefined} aria-describedby={described('username', 'enrol-username-help')}
            onInput={(e) => setUsername((e.target as HTMLInputElement).value.trim().toLowerCase())} />
          <p class="help" id="enrol-username-help">{fixed ? t('enrol.usernameFixed') : t('enrol.usernameRule')}</p>
          {errors.username && <p class="field-error" id="enrol-username-error">{errors.username}</p>}
        </div>
        <div class={`field${errors.passphrase ? ' invalid' : ''}`}>
          <label for="enrol-passphrase">{t('signin.passphrase')}</label>
          <input id="enrol-passphrase" type="password" autocomplete="new-password" value={passphrase}
            aria-invalid={errors.passphrase ? true : undefined} aria-describedby={described('passphrase', 'enrol-passphrase-help enrol-strength-text')}
            onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)} />
          <p class="help" id="enrol-passphrase-help">{t('enrol.passphraseHelp', { min: MIN_PASSPHRASE })}</p>
          <div class="strength">
            <label for="enrol-strength">{t('enrol.strength')}</label>
            <meter id="enrol-strength" min={0} max={4} low={2} high={3} optimum={4} value={strength} />
            <span id="enrol-strength-text" class={`strength-text s${strength}`}>{t(`enrol.strength.${strength}`)}</span>
          </div>
          {errors.passphrase && <p class="field-error" id="enrol-passphrase-error">{errors.passphrase}</p>}
        </div>
        <div class={`field${errors.repeat ? ' invalid' : ''}`}>
          <label for="enrol-repeat">{t('enrol.repeat')}</label>
          <input id="enrol-repeat" type="password" autocomplete="new-password" value={repeat}
            aria-invalid={errors.repeat ? true : undefined} aria-describedby={described('repeat')}
            onInput={(e) => setRepeat((e.target as HTMLInputElement).value)} />
          {errors.repeat && <p class="field-error" id="enrol-repeat-error">{errors.repeat}</p>}
        </div>
        <ErrorText error={error} />
        {busy && <Busy label={t('enrol.deriving')} />}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>{t('enrol.makeKeys')}</button>
        </div>
      </form>
    </div>
  );
}

function RecoveryStep({ onDone }: { onDone: (key: { publicKey: string; keyId: string }) => void }) {
  const { t, worker } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [made, setMade] = useState<{ publicKey: string; keyId: string; secret: string; unitFingerprint: string } | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [typed, setTyped] = useState('');
  const [wrong, setWrong] = useState(false);
  const groups = made ? made.secret.split('-') : [];
  // Which group to type back: a full one, and not the first, which people remember best.
  const pick = useMemo(() => Math.random(), []);

  useEffect(() => {
    worker.call('makeRecoveryKey', {}).then(setMade).catch((e) => setError(toInfo(e)));
  }, []);

  if (error) return <ErrorText error={error} />;
  if (!made) return <Busy label={t('loading')} />;
  const at = 1 + Math.floor(pick * Math.max(1, groups.length - 2));
  const want = groups[at]!;
  const n = at + 1;

  const confirm = (event: Event) => {
    event.preventDefault();
    if (typed.trim().toUpperCase() !== want) {
      setWrong(true);
      document.getElementById('recovery-confirm')?.focus();
      return;
    }
    const { publicKey, keyId } = made;
    setMade(undefined);
    onDone({ publicKey, keyId });
  };

  return (
    <div class="narrow">
      <PageHeading headingRef={heading}>{t('recovery.title')}</PageHeading>
      <StepList current="recovery" withRecovery />
      <p>{t('recovery.explain')}</p>
      <p class="notice">{t('recovery.once')}</p>
      <div class="card">
        <h2 id="recovery-label">{t('recovery.label')}</h2>
        <p class="recovery-key"><code id="recovery-key" aria-labelledby="recovery-label">{groups.map((g, i) => <span class="group" key={i}>{g}{i < groups.length - 1 ? '-' : ''}</span>)}</code></p>
        <div class="actions">
          <CopyButton text={made.secret} label={t('recovery.copy')} />
          <button type="button" class="secondary small" onClick={() => saveText('sealbox-recovery-key.txt', t('recovery.fileText', { key: made.secret }))}>{t('recovery.save')}</button>
        </div>
      </div>
      <div class="card">
        <h2 id="fingerprint-label">{t('recovery.fingerprintTitle')}</h2>
        <p class="recovery-key"><code id="unit-fingerprint" aria-labelledby="fingerprint-label" translate={false}>{made.unitFingerprint}</code></p>
        <p>{t('recovery.fingerprintExplain')}</p>
      </div>
      <form class="card" onSubmit={confirm} noValidate>
        <div class={`field${wrong ? ' invalid' : ''}`}>
          <label for="recovery-confirm">{t('recovery.confirmLabel', { n })}</label>
          <input id="recovery-confirm" type="text" autocomplete="off" spellcheck={false} class="code" value={typed} maxLength={6}
            aria-invalid={wrong || undefined} aria-describedby={wrong ? 'recovery-confirm-error' : undefined}
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
          {wrong && <p class="field-error" id="recovery-confirm-error" role="alert">{t('recovery.confirmWrong', { n })}</p>}
        </div>
        <div class="actions"><button type="submit" class="primary">{t('recovery.confirm')}</button></div>
      </form>
    </div>
  );
}

function TotpStep({ token, username, recoveryPublicKey, onSignedIn }: { token: string; username: string; recoveryPublicKey: string | undefined; onSignedIn: (info: SignedInfo) => void }) {
  const { t, worker } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const secret = useMemo(() => newTotpSecret(), []);
  const uri = otpauthUri(username, secret);
  const [qr, setQr] = useState<string | undefined>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [invalid, setInvalid] = useState(false);

  useEffect(() => {
    QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
      .then((svg) => setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => setQr(undefined));
  }, [uri]);

  const finish = async (event: Event) => {
    event.preventDefault();
    const digits = code.replace(/\s/g, '');
    setInvalid(!/^\d{6}$/.test(digits));
    setError(undefined);
    if (!/^\d{6}$/.test(digits)) {
      document.getElementById('enrol-totp')?.focus();
      return;
    }
    setBusy(true);
    try {
      const info = await worker.call('completeEnrolment', { token, totpSecret: secret, totpCode: digits, ...(recoveryPublicKey ? { recoveryPublicKey } : {}) });
      onSignedIn(info);
    } catch (e) {
      setError(toInfo(e));
      setCode('');
      setBusy(false);
      document.getElementById('enrol-totp')?.focus();
    }
  };

  return (
    <div class="narrow">
      <PageHeading headingRef={heading}>{t('totp.title')}</PageHeading>
      <StepList current="totp" withRecovery={recoveryPublicKey !== undefined} />
      <p>{t('totp.explain')}</p>
      <div class="card totp">
        {qr ? <img class="qr" src={qr} alt={t('totp.qrAlt')} width={220} height={220} /> : <Busy label={t('loading')} />}
        <div>
          <p>{t('totp.manual')}</p>
          <p><code id="totp-secret" class="secret" data-secret={secret}>{groupSecret(secret)}</code></p>
          <p class="help">{t('totp.details')}</p>
        </div>
      </div>
      <form class="card" onSubmit={finish} noValidate>
        <div class={`field${invalid ? ' invalid' : ''}`}>
          <label for="enrol-totp">{t('signin.totp')}</label>
          <input id="enrol-totp" type="text" inputMode="numeric" autocomplete="one-time-code" maxLength={7} class="code" value={code}
            aria-invalid={invalid || undefined} aria-describedby={`enrol-totp-help${invalid ? ' enrol-totp-error' : ''}`}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
          <p class="help" id="enrol-totp-help">{t('totp.codeHelp')}</p>
          {invalid && <p class="field-error" id="enrol-totp-error">{t('signin.needTotp')}</p>}
        </div>
        <ErrorText error={error} />
        {busy && <Busy label={t('totp.finishing')} />}
        <div class="actions"><button type="submit" class="primary" disabled={busy}>{t('totp.finish')}</button></div>
      </form>
    </div>
  );
}
