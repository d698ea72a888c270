// The first screen: what is protected and what is not, hygiene, the channels, and the way back.
import { localText } from '../../domain/text.js';
import { channelTitle } from './draft.js';
import { useApp, useFocusHeading } from './context.js';
import type { MessageKey } from './i18n/index.js';
import type { Channel } from './types.js';
import { RosterNotice } from './roster.js';
import type { RosterVerdict } from './worker/recipients.js';

export function Landing({ channels, roster, onStart, onFollowup }: { channels: Channel[]; roster: RosterVerdict; onStart: (c: Channel) => void; onFollowup: () => void }) {
  const { t, locale } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const list = (prefix: string) => (
    <ul>{[1, 2, 3].map((n) => <li key={n}>{t(`${prefix}.${n}` as MessageKey)}</li>)}</ul>
  );
  return (
    <div class="landing">
      <h1 tabIndex={-1} ref={heading}>{t('landing.title')}</h1>
      <p class="lead">{t('landing.intro')}</p>
      <div class="columns">
        <section class="card" aria-labelledby="protects">
          <h2 id="protects">{t('landing.protects.title')}</h2>
          {list('landing.protects')}
        </section>
        <section class="card" aria-labelledby="limits">
          <h2 id="limits">{t('landing.limits.title')}</h2>
          {list('landing.limits')}
        </section>
      </div>
      <section class="card hygiene" aria-labelledby="hygiene">
        <h2 id="hygiene">{t('landing.hygiene.title')}</h2>
        {list('landing.hygiene')}
      </section>
      <RosterNotice roster={roster} />
      <section aria-labelledby="channels">
        <h2 id="channels">{t('landing.channels.title')}</h2>
        <ul class="channels">
          {channels.map((c) => (
            <li key={c.id} class="card channel">
              <h3>{channelTitle(c, locale)}</h3>
              <p>{localText(c.description, locale)}</p>
              <button type="button" class="primary" data-channel={c.id} onClick={() => onStart(c)}>
                {t('landing.channels.start', { title: channelTitle(c, locale) })}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="again">
        <h2 id="again">{t('landing.followup.title')}</h2>
        <p>{t('landing.followup.text')}</p>
        <button type="button" class="secondary" onClick={onFollowup}>{t('landing.followup.button')}</button>
      </section>
    </div>
  );
}
