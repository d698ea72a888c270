// Administering users: who there is, invitations (a one-time link for a role and channels; the
// invitee makes their own keys), disabling, key resets (a one-time link; reports come back to the
// user through key distribution), and roles and channels.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { Busy, CopyButton, ErrorText, PageHeading, TableScroll } from './components.js';
import { channelTitle, formatDate, formatDateTime, useApp, useFocusHeading } from './context.js';
import { hrefOf } from './route.js';
import { ROLES, type ErrorInfo, type Role, type UserRow } from './types.js';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const readsReports = (roles: readonly Role[]) => roles.includes('admin') || roles.includes('reviewer');

/** The enrolment address for a link token: this console's own origin, the token in the fragment. */
export const linkUrl = (token: string): string => `${location.origin}/${hrefOf({ name: 'setup', token })}`;

export function Users() {
  const { t, http, failed, reloadChannels } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const [users, setUsers] = useState<UserRow[] | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const reload = () => {
    // Roles and channels change who is a member: the channel list (names, members) follows.
    reloadChannels();
    return api<{ users: UserRow[] }>(http, 'GET', '/api/users').then((r) => setUsers(r.users)).catch((e) => setError(failed(e)));
  };
  useEffect(() => {
    void api<{ users: UserRow[] }>(http, 'GET', '/api/users').then((r) => setUsers(r.users)).catch((e) => setError(failed(e)));
  }, []);
  return (
    <div>
      <PageHeading headingRef={heading}>{t('users.title')}</PageHeading>
      <Invite />
      <section aria-labelledby="users-list">
        <h2 id="users-list">{t('users.list')}</h2>
        <ErrorText error={error} />
        {!users ? <Busy label={t('loading')} /> : (
          <TableScroll label={t('users.list')}>
            <table class="users">
              <thead>
                <tr>
                  <th scope="col">{t('users.username')}</th>
                  <th scope="col">{t('users.roles')}</th>
                  <th scope="col">{t('users.channels')}</th>
                  <th scope="col">{t('users.state')}</th>
                  <th scope="col">{t('users.created')}</th>
                  <th scope="col">{t('users.actions')}</th>
                </tr>
              </thead>
              <tbody>{users.map((u) => <UserLine key={u.id} user={u} onChange={reload} />)}</tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </div>
  );
}

function ChannelChecks({ idPrefix, selected, onChange, disabled }: { idPrefix: string; selected: string[]; onChange: (c: string[]) => void; disabled?: boolean }) {
  const { t, channels, locale } = useApp();
  return (
    <fieldset class="checks" disabled={disabled}>
      <legend>{t('users.channels')}</legend>
      {channels.map((c) => (
        <div class="check" key={c.id}>
          <input type="checkbox" id={`${idPrefix}-${c.id}`} checked={selected.includes(c.id)}
            onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...selected, c.id] : selected.filter((x) => x !== c.id))} />
          <label for={`${idPrefix}-${c.id}`}>{channelTitle(channels, c.id, locale)}</label>
        </div>
      ))}
    </fieldset>
  );
}

function Invite() {
  const { t, http, failed, announce, locale } = useApp();
  const [role, setRole] = useState<Role>('reviewer');
  const [channels, setChannels] = useState<string[]>([]);
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [badName, setBadName] = useState(false);
  const [link, setLink] = useState<{ url: string; expiresAt: string } | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    const name = username.trim();
    setBadName(name !== '' && !USERNAME.test(name));
    if (name !== '' && !USERNAME.test(name)) {
      document.getElementById('invite-username')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setLink(undefined);
    try {
      const res = await api<{ token: string; expiresAt: string }>(http, 'POST', '/api/invites', {
        role, channels: readsReports([role]) ? channels : [], ...(name ? { username: name } : {}),
      });
      setLink({ url: linkUrl(res.token), expiresAt: res.expiresAt });
      announce(t('invite.made'));
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('invite.title')}</h2>
      <p class="help">{t('invite.explain')}</p>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="invite-role">{t('invite.role')}</label>
          <select id="invite-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </div>
        <ChannelChecks idPrefix="invite-channel" selected={channels} onChange={setChannels} disabled={!readsReports([role])} />
        {!readsReports([role]) && <p class="help">{t('invite.auditorNoChannels')}</p>}
        <div class={`field${badName ? ' invalid' : ''}`}>
          <label for="invite-username">{t('invite.username')}</label>
          <input id="invite-username" type="text" autoCapitalize="none" spellcheck={false} value={username} aria-describedby="invite-username-help"
            aria-invalid={badName || undefined} onInput={(e) => setUsername((e.target as HTMLInputElement).value.toLowerCase())} />
          <p class="help" id="invite-username-help">{badName ? t('enrol.usernameRule') : t('invite.usernameHelp')}</p>
        </div>
        <ErrorText error={error} />
        <div class="actions"><button type="submit" class="primary" disabled={busy}>{t('invite.make')}</button></div>
      </form>
      {link && <LinkBox url={link.url} expiresAt={link.expiresAt} label={t('invite.link')} help={t('invite.linkHelp', { date: formatDateTime(locale, link.expiresAt) })} />}
    </section>
  );
}

export function LinkBox({ url, expiresAt, label, help }: { url: string; expiresAt: string; label: string; help: string }) {
  const { t } = useApp();
  return (
    <div class="link-box" data-expires={expiresAt}>
      <label for={`link-${expiresAt}`}>{label}</label>
      <input id={`link-${expiresAt}`} type="text" readOnly value={url} class="link-url" onFocus={(e) => (e.target as HTMLInputElement).select()} />
      <CopyButton text={url} label={t('copy.link')} />
      <p class="help">{help}</p>
    </div>
  );
}

function UserLine({ user, onChange }: { user: UserRow; onChange: () => void }) {
  const { t, locale, http, failed, announce, channels: allChannels, session } = useApp();
  const [editing, setEditing] = useState(false);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [channels, setChannels] = useState<string[]>(user.channels);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [reset, setReset] = useState<{ url: string; expiresAt: string } | undefined>();
  const me = session?.user.id === user.id;

  const patch = async (body: Record<string, unknown>, done: string) => {
    setError(undefined);
    try {
      await api(http, 'PATCH', `/api/users/${user.id}`, body);
      announce(done);
      setEditing(false);
      onChange();
    } catch (e) {
      setError(failed(e));
    }
  };
  const makeReset = async () => {
    setError(undefined);
    try {
      const res = await api<{ token: string; expiresAt: string }>(http, 'POST', `/api/users/${user.id}/reset`, {});
      setReset({ url: linkUrl(res.token), expiresAt: res.expiresAt });
      announce(t('users.resetMade', { name: user.username }));
    } catch (e) {
      setError(failed(e));
    }
  };

  return (
    <tr class={user.disabled ? 'disabled' : ''} data-user={user.username}>
      <th scope="row">{user.username}{me && <span class="muted"> ({t('users.you')})</span>}</th>
      <td>{user.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
      <td>{user.channels.map((c) => channelTitle(allChannels, c, locale)).join(', ') || <span class="muted">{t('none')}</span>}</td>
      <td>{user.disabled ? t('users.disabled') : t('users.active')}</td>
      <td>{formatDate(locale, user.createdAt)}</td>
      <td class="user-actions">
        <div class="actions">
          <button type="button" class="secondary small" aria-expanded={editing} onClick={() => setEditing(!editing)}>{t('users.edit', { name: user.username })}</button>
          {!me && (user.disabled
            ? <button type="button" class="secondary small" onClick={() => patch({ disabled: false }, t('users.enabledDone', { name: user.username }))}>{t('users.enable', { name: user.username })}</button>
            : <button type="button" class="secondary small" onClick={() => patch({ disabled: true }, t('users.disabledDone', { name: user.username }))}>{t('users.disable', { name: user.username })}</button>)}
          {!user.disabled && <button type="button" class="secondary small" onClick={makeReset}>{t('users.reset', { name: user.username })}</button>}
        </div>
        {editing && (
          <form class="edit-user" onSubmit={(e) => {
            e.preventDefault();
            void patch({ roles, channels: readsReports(roles) ? channels : [] }, t('users.saved', { name: user.username }));
          }}>
            <fieldset class="checks">
              <legend>{t('users.roles')}</legend>
              {ROLES.map((r) => (
                <div class="check" key={r}>
                  <input type="checkbox" id={`roles-${user.id}-${r}`} checked={roles.includes(r)}
                    onChange={(e) => setRoles((e.target as HTMLInputElement).checked ? [...roles, r] : roles.filter((x) => x !== r))} />
                  <label for={`roles-${user.id}-${r}`}>{t(`role.${r}`)}</label>
                </div>
              ))}
            </fieldset>
            <ChannelChecks idPrefix={`channels-${user.id}`} selected={channels} onChange={setChannels} disabled={!readsReports(roles)} />
            <div class="actions"><button type="submit" class="primary small" disabled={roles.length === 0}>{t('users.save')}</button></div>
          </form>
        )}
        {reset && <LinkBox url={reset.url} expiresAt={reset.expiresAt} label={t('users.resetLink', { name: user.username })}
          help={t('users.resetHelp', { date: formatDateTime(locale, reset.expiresAt) })} />}
        <ErrorText error={error} />
      </td>
    </tr>
  );
}
