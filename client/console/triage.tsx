// The triage panel: status (an outcome when closing), severity, category, customs office and
// process (from the administrator's lists), and assignees. Only what changed is sent; the server
// audits each change as {field: [from, to]}.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { ErrorText } from './components.js';
import { useApp } from './context.js';
import { categoryLabel, CATEGORY_CODES, processLabel } from './labels.js';
import { OUTCOMES, SEVERITIES, STATUSES, type ErrorInfo, type ListItem } from './types.js';

export interface Lists {
  offices: string[];
  processes: string[];
}

interface Draft {
  status: string;
  outcome: string;
  severity: string;
  category: string;
  office: string;
  process: string;
  assignees: string[];
}

const draftOf = (item: ListItem): Draft => ({
  status: item.status, outcome: item.outcome ?? '', severity: item.severity ?? '', category: item.category ?? '',
  office: item.office ?? '', process: item.process ?? '', assignees: [...item.assignees],
});

export function Triage({ item, members, lists, onSaved }: {
  item: ListItem;
  members: Array<{ id: string; username: string }>;
  lists: Lists | undefined;
  onSaved: (item: ListItem, newAssignees: string[]) => void;
}) {
  const { t, locale, http, failed, announce } = useApp();
  const [draft, setDraft] = useState<Draft>(() => draftOf(item));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [needOutcome, setNeedOutcome] = useState(false);
  useEffect(() => setDraft(draftOf(item)), [item]);

  const set = (field: keyof Draft, value: string) => setDraft({ ...draft, [field]: value });
  const toggle = (id: string, on: boolean) => setDraft({ ...draft, assignees: on ? [...draft.assignees, id] : draft.assignees.filter((a) => a !== id) });

  const save = async (event: Event) => {
    event.preventDefault();
    const before = draftOf(item);
    const patch: Record<string, unknown> = {};
    if (draft.status !== before.status) patch.status = draft.status;
    if (draft.status === 'closed') {
      if (!draft.outcome) {
        setNeedOutcome(true);
        document.getElementById('triage-outcome')?.focus();
        return;
      }
      if (draft.outcome !== before.outcome) patch.outcome = draft.outcome;
    }
    for (const f of ['severity', 'category', 'office', 'process'] as const) if (draft[f] !== before[f]) patch[f] = draft[f] || null;
    if ([...draft.assignees].sort().join() !== [...before.assignees].sort().join()) patch.assignees = draft.assignees;
    setNeedOutcome(false);
    setError(undefined);
    if (Object.keys(patch).length === 0) {
      announce(t('triage.nothing'));
      return;
    }
    setBusy(true);
    try {
      const updated = await api<ListItem>(http, 'PATCH', `/api/reports/${encodeURIComponent(item.id)}`, patch);
      announce(t('triage.saved'));
      onSaved(updated, draft.assignees.filter((a) => !before.assignees.includes(a)));
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };

  const offices = lists ? [...new Set([...lists.offices, ...(item.office ? [item.office] : [])])] : item.office ? [item.office] : [];
  const processes = lists ? [...new Set([...lists.processes, ...(item.process ? [item.process] : [])])] : item.process ? [item.process] : [];
  const choice = (id: keyof Draft, label: string, options: Array<[string, string]>, none = true) => (
    <div class="field">
      <label for={`triage-${id}`}>{label}</label>
      <select id={`triage-${id}`} value={draft[id] as string} onChange={(e) => set(id, (e.target as HTMLSelectElement).value)}>
        {none && <option value="">{t('none')}</option>}
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </div>
  );

  return (
    <form class="card triage" onSubmit={save} noValidate aria-labelledby="triage-title">
      <h2 id="triage-title">{t('triage.title')}</h2>
      {choice('status', t('triage.status'), STATUSES.map((s) => [s, t(`status.${s}`)]), false)}
      {draft.status === 'closed' && (
        <div class={`field${needOutcome ? ' invalid' : ''}`}>
          <label for="triage-outcome">{t('triage.outcome')}</label>
          <select id="triage-outcome" value={draft.outcome} aria-invalid={needOutcome || undefined} aria-describedby={needOutcome ? 'triage-outcome-error' : undefined}
            onChange={(e) => set('outcome', (e.target as HTMLSelectElement).value)}>
            <option value="">{t('triage.chooseOutcome')}</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{t(`outcome.${o}`)}</option>)}
          </select>
          {needOutcome && <p class="field-error" id="triage-outcome-error">{t('triage.needOutcome')}</p>}
        </div>
      )}
      {choice('severity', t('triage.severity'), SEVERITIES.map((s) => [s, t(`severity.${s}`)]))}
      {choice('category', t('triage.category'), CATEGORY_CODES.map((c) => [c, categoryLabel(c, locale)]))}
      {choice('office', t('triage.office'), offices.map((o) => [o, o]))}
      {choice('process', t('triage.process'), processes.map((p) => [p, processLabel(p, locale)]))}
      {lists && lists.offices.length === 0 && <p class="help">{t('triage.noOffices')}</p>}
      <fieldset class="assignees">
        <legend>{t('triage.assignees')}</legend>
        {members.map((m) => (
          <div class="check" key={m.id}>
            <input type="checkbox" id={`assignee-${m.id}`} checked={draft.assignees.includes(m.id)} onChange={(e) => toggle(m.id, (e.target as HTMLInputElement).checked)} />
            <label for={`assignee-${m.id}`}>{m.username}</label>
          </div>
        ))}
      </fieldset>
      <ErrorText error={error} />
      <div class="actions"><button type="submit" class="primary" disabled={busy}>{t('triage.save')}</button></div>
    </form>
  );
}
