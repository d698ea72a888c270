// Approval as a person does it (PROTOCOL.md §9): the members awaiting approval in the user's
// channels, each with the fingerprint the worker computes from their keys beside the user's own, a
// prompt to compare it with the person, and Approve (signed in the worker); what a member awaiting
// approval is told; and, for administrators, approval with the recovery secret, for the first
// member of a channel or when no member is left. No fingerprint shown here is a text of the server's.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { Busy, ErrorText, Fingerprint, PageHeading } from './components.js';
import { channelTitle, useApp, useFocusHeading } from './context.js';
import { hrefOf } from './route.js';
import type { AwaitingList, AwaitingMember, ErrorInfo } from './types.js';

/** The awaiting members the user may approve: those of channels where the user is approved. */
export const approvableOf = (list: AwaitingList): AwaitingMember[] => list.awaiting.filter((a) => !list.mine.some((m) => m.channelId === a.channelId));

const keyOf = (a: AwaitingMember) => `${a.channelId} ${a.userId}`;
const memberOf = (a: AwaitingMember) => ({ channelId: a.channelId, userId: a.userId, username: a.username, boxPublicKey: a.boxPublicKey, signPublicKey: a.signPublicKey });

/** The signed-in user's own fingerprint, from the keys in the worker. */
export function useMyFingerprint(): string | undefined {
  const { worker } = useApp();
  const [value, setValue] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    worker.call('myFingerprint', {}).then((v) => live && setValue(v), () => undefined);
    return () => {
      live = false;
    };
  }, [worker]);
  return value;
}

/** Fingerprints of listed members, computed in the worker from their keys (null: not keys at all). */
function useFingerprints(list: AwaitingMember[] | undefined): Map<string, string | null> {
  const { worker } = useApp();
  const [map, setMap] = useState<Map<string, string | null>>(new Map());
  const key = (list ?? []).map((a) => `${keyOf(a)} ${a.boxPublicKey} ${a.signPublicKey}`).join('\n');
  useEffect(() => {
    let live = true;
    const members = list ?? [];
    worker.call('memberFingerprints', { members: members.map((a) => ({ boxPublicKey: a.boxPublicKey, signPublicKey: a.signPublicKey })) })
      .then((fps) => live && setMap(new Map(members.map((a, i) => [keyOf(a), fps[i] ?? null]))), () => undefined);
    return () => {
      live = false;
    };
  }, [worker, key]);
  return map;
}

/** After an approval, old reports' keys go to the member at once (the sweep), not at the next sign-in. */
async function handOver(worker: ReturnType<typeof useApp>['worker'], announce: (text: string) => void, t: ReturnType<typeof useApp>['t']): Promise<void> {
  try {
    const r = await worker.call('sweep', {});
    if (r.reports > 0) announce(t('keys.swept', { count: String(r.reports), names: r.usernames.join(', ') }));
  } catch {
    // The next sign-in tries again.
  }
}

/** What a member awaiting approval is told (the inbox and the approvals page): where, and their fingerprint. */
export function AwaitingMe() {
  const { t, approvals, channels, locale } = useApp();
  const mine = useMyFingerprint();
  if (!approvals || approvals.mine.length === 0) return null;
  return (
    <section class="notice awaiting-me" aria-labelledby="awaiting-me-title">
      <h2 id="awaiting-me-title">{t('waiting.title')}</h2>
      <ul>
        {approvals.mine.map((m) => (
          <li key={m.channelId}>{t(m.op === 'rekey' ? 'waiting.inChannelRekey' : 'waiting.inChannel', { channel: channelTitle(channels, m.channelId, locale) })}</li>
        ))}
      </ul>
      {mine && <p>{t('approvals.yours')}: <Fingerprint value={mine} /></p>}
    </section>
  );
}

/** On the inbox: how many colleagues await this user's approval, as a link to them. */
export function ToApprove() {
  const { t, approvals } = useApp();
  const n = approvals ? approvableOf(approvals).length : 0;
  if (n === 0) return null;
  return <p class="notice"><a href={hrefOf({ name: 'approvals' })}>{t('inbox.toApprove', { n })}</a></p>;
}

export function Approvals() {
  const { t, approvals, reloadApprovals, session, worker, announce } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const listHeading = useRef<HTMLHeadingElement>(null);
  const mine = useMyFingerprint();
  const [done, setDone] = useState('');
  useEffect(() => reloadApprovals(), []);
  const list = approvals ? approvals.awaiting : undefined;
  const fingerprints = useFingerprints(list);
  const approved = (text: string) => {
    setDone(text);
    reloadApprovals();
    // The card is gone: focus goes back to the list's heading rather than to the page's end.
    listHeading.current?.focus();
    void handOver(worker, announce, t);
  };
  return (
    <div>
      <PageHeading headingRef={heading}>{t('approvals.title')}</PageHeading>
      <p class="help">{t('approvals.explain')}</p>
      <AwaitingMe />
      <div role="status">{done && <p class="ok">{done}</p>}</div>
      <section aria-labelledby="approvals-list">
        <h2 id="approvals-list" tabIndex={-1} ref={listHeading}>{t('approvals.awaiting')}</h2>
        {list === undefined ? <Busy label={t('loading')} /> : list.length === 0 ? <p>{t('approvals.none')}</p> : list.map((a) => (
          <ApprovalCard key={keyOf(a)} item={a} fingerprint={fingerprints.get(keyOf(a))} mine={mine}
            blocked={approvals!.mine.some((m) => m.channelId === a.channelId)} onApproved={approved} />
        ))}
      </section>
      {session?.user.roles.includes('admin') && <p><a href={hrefOf({ name: 'recoveryApproval' })}>{t('approvals.recoveryLink')}</a></p>}
    </div>
  );
}

function ApprovalCard({ item, fingerprint, mine, blocked, onApproved }: {
  item: AwaitingMember; fingerprint: string | null | undefined; mine: string | undefined; blocked: boolean; onApproved: (text: string) => void;
}) {
  const { t, worker, channels, locale, failed } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const channel = channelTitle(channels, item.channelId, locale);
  const name = item.username;
  const id = `approve-${item.channelId}-${item.userId}`;
  const approve = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await worker.call('approveMember', { member: memberOf(item) });
      onApproved(t('approvals.approved', { name, channel, fingerprint: res.fingerprint }));
    } catch (e) {
      setError(failed(e));
      setBusy(false);
    }
  };
  return (
    <article class="card approval" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('approvals.memberIn', { name, channel })}
        <span class="badge kind">{t(item.op === 'rekey' ? 'approvals.kind.rekey' : 'approvals.kind.add')}</span></h3>
      {fingerprint === null ? <p class="error">{t('error.badMemberKeys')}</p> : (
        <dl class="fingerprints">
          <div><dt id={`${id}-theirs`}>{t('approvals.theirs', { name })}</dt><dd>{fingerprint ? <Fingerprint value={fingerprint} /> : '…'}</dd></div>
          <div><dt>{t('approvals.yours')}</dt><dd>{mine ? <Fingerprint value={mine} /> : '…'}</dd></div>
        </dl>
      )}
      <p class="compare" id={`${id}-compare`}>{t('approvals.compare', { name })}</p>
      {blocked ? <p class="notice">{t('approvals.notYou', { channel })}</p> : fingerprint !== null && (
        <div class="actions">
          <button type="button" class="primary" disabled={busy || !fingerprint} aria-describedby={`${id}-compare`} onClick={approve}>
            {t('approvals.approve', { name, channel })}</button>
          {busy && <Busy label={t('approvals.approving')} />}
        </div>
      )}
      <ErrorText error={error} />
    </article>
  );
}

/** The administrators' page: approving with the unit's recovery secret, which the worker forgets at once. */
export function RecoveryApproval() {
  const { t, http, worker, channels, locale, failed, announce, reloadApprovals } = useApp();
  const heading = useFocusHeading<HTMLHeadingElement>();
  const field = useRef<HTMLInputElement>(null);
  const [list, setList] = useState<AwaitingMember[] | undefined>();
  const [picked, setPicked] = useState('');
  const [secret, setSecret] = useState('');
  const [problem, setProblem] = useState<'pick' | 'secret' | 'typo' | 'wrong' | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const fingerprints = useFingerprints(list);

  const load = () => api<AwaitingList>(http, 'GET', '/api/roster/awaiting?scope=all').then((r) => setList(r.awaiting)).catch((e) => setError(failed(e)));
  useEffect(() => {
    void load();
  }, []);

  const chosen = list?.find((a) => keyOf(a) === picked);
  const submit = async (event: Event) => {
    event.preventDefault();
    setDone('');
    setError(undefined);
    if (!chosen) {
      setProblem('pick');
      document.querySelector<HTMLInputElement>('input[name="recovery-member"]')?.focus();
      return;
    }
    // Read once, then cleared from the field and the page's state before the worker even answers.
    const typed = secret;
    setSecret('');
    if (field.current) field.current.value = '';
    if (!typed.trim()) {
      setProblem('secret');
      field.current?.focus();
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      const res = await worker.call('approveWithRecoverySecret', { secret: typed, member: memberOf(chosen) });
      setDone(t('recoveryApproval.done', { name: chosen.username, channel: channelTitle(channels, chosen.channelId, locale), fingerprint: res.fingerprint }));
      setPicked('');
      reloadApprovals();
      void load();
      void handOver(worker, announce, t);
    } catch (e) {
      const info = failed(e);
      if (info.code === 'SBX_RECOVERY_SECRET_TYPO' || info.code === 'SBX_WRONG_RECOVERY_SECRET') {
        setProblem(info.code === 'SBX_RECOVERY_SECRET_TYPO' ? 'typo' : 'wrong');
        field.current?.focus();
      } else setError(info);
    } finally {
      setBusy(false);
    }
  };

  const secretProblem = problem === 'secret' || problem === 'typo' || problem === 'wrong';
  const secretText = problem === 'secret' ? t('recoveryApproval.needSecret') : problem === 'typo' ? t('error.recoveryTypo') : problem === 'wrong' ? t('error.wrongRecovery') : '';
  return (
    <div class="narrow">
      <PageHeading headingRef={heading}>{t('recoveryApproval.title')}</PageHeading>
      <p>{t('recoveryApproval.explain')}</p>
      <div role="status">{done && <p class="ok">{done}</p>}</div>
      <form class="card" onSubmit={submit} noValidate aria-labelledby="recovery-approval-form">
        <h2 id="recovery-approval-form">{t('recoveryApproval.formTitle')}</h2>
        {list === undefined ? (error ? null : <Busy label={t('loading')} />) : list.length === 0 ? <p>{t('recoveryApproval.none')}</p> : (
          <fieldset class={problem === 'pick' ? 'invalid' : ''}>
            <legend>{t('recoveryApproval.who')}</legend>
            {problem === 'pick' && <p class="field-error" role="alert">{t('recoveryApproval.pick')}</p>}
            <div class="pick">
              {list.map((a) => {
                const k = keyOf(a);
                const id = `recovery-member-${a.channelId}-${a.userId}`;
                const fp = fingerprints.get(k);
                return (
                  <div class="check" key={k}>
                    <input type="radio" name="recovery-member" id={id} value={k} checked={picked === k} disabled={fp === null}
                      aria-describedby={`${id}-help`} onChange={() => setPicked(k)} />
                    <div>
                      <label for={id}>{t('approvals.memberIn', { name: a.username, channel: channelTitle(channels, a.channelId, locale) })}</label>
                      <div class="help" id={`${id}-help`}>
                        <span>{t(a.op === 'rekey' ? 'approvals.kind.rekey' : 'approvals.kind.add')}. </span>
                        <span>{a.approvers === 0 ? t('recoveryApproval.noApprover') : t('recoveryApproval.approvers', { n: a.approvers })} </span>
                        {fp === null ? <span class="error">{t('error.badMemberKeys')}</span>
                          : <span>{t('approvals.theirs', { name: a.username })}: {fp ? <Fingerprint value={fp} /> : '…'}</span>}
                      </div>
                    </div>
                  </div>
                );
              })}
            </div>
          </fieldset>
        )}
        {chosen && <p class="compare">{t('approvals.compare', { name: chosen.username })}</p>}
        <div class={`field${secretProblem ? ' invalid' : ''}`}>
          <label for="recovery-secret">{t('recoveryApproval.secret')}</label>
          <input id="recovery-secret" ref={field} type="password" autocomplete="off" autocapitalize="off" spellcheck={false} maxLength={200}
            value={secret} aria-invalid={secretProblem || undefined} aria-describedby={`recovery-secret-help${secretProblem ? ' recovery-secret-error' : ''}`}
            onInput={(e) => setSecret((e.target as HTMLInputElement).value)} />
          <p class="help" id="recovery-secret-help">{t('recoveryApproval.secretHelp')}</p>
          {secretProblem && <p class="field-error" id="recovery-secret-error" role="alert">{secretText}</p>}
        </div>
        <ErrorText error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !list || list.length === 0}>{t('recoveryApproval.submit')}</button>
          {busy && <Busy label={t('approvals.approving')} />}
        </div>
      </form>
      <p><a href={hrefOf({ name: 'approvals' })}>{t('recoveryApproval.back')}</a></p>
    </div>
  );
}
