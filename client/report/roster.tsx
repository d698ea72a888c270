// What the page says about whom a report is sealed to: the unit fingerprint for the reporter to
// compare with the one the organisation publishes, the recipients the server listed that the
// roster does not name (left out), or that the roster did not verify (nothing can be sent).
import { useApp } from './context.js';
import type { RosterVerdict } from './worker/recipients.js';

/** `K3F9Q-2MX7D-R8TZA-0HN4W`, each group kept whole and read group by group. */
function Fingerprint({ value }: { value: string }) {
  return (
    <code class="fingerprint" translate={false} dir="ltr">
      {value.split('-').map((g, i) => <span key={i} class="group">{g}{i < 3 && <span class="sep">-</span>}</span>)}
    </code>
  );
}

export function RosterNotice({ roster, channelId }: { roster: RosterVerdict; channelId?: string }) {
  const { t } = useApp();
  if (!roster.ok) {
    return (
      <div role="alert" class="error-summary roster-failed" id="roster-failed">
        <h2>{t('roster.failed.title')}</h2>
        <p>{t('roster.failed.text')}</p>
      </div>
    );
  }
  const dropped = channelId === undefined ? 0 : roster.unverified[channelId] ?? 0;
  return (
    <section class="card roster" aria-labelledby="roster-title">
      <h2 id="roster-title">{t('roster.title')}</h2>
      <p>{t('roster.text')}</p>
      <p class="unit-fingerprint" id="unit-fingerprint"><span>{t('roster.fingerprint')}</span> <Fingerprint value={roster.unitFingerprint} /></p>
      <p class="help">{t('roster.compare')}</p>
      {dropped > 0 && <p role="status" class="warning" id="roster-dropped">{t('roster.dropped', { count: dropped })}</p>}
    </section>
  );
}
