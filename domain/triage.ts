// The triage rules, callable without HTTP: closing needs an outcome, reopening clears the outcome
// and the closing date, an outcome is only given when closing, office and process come from the
// lists the administrator keeps, and only the report's readers (its channel's members whom the
// reporter did not leave out) may be assigned. The route turns a request into a TriageChange,
// applies the plan, and audits `changes`.
import { DomainError } from './errors.js';
import { OUTCOMES, type Outcome, type ReportStatus } from './vocabulary.js';

/** The triage fields of a report as stored. */
export interface TriageState {
  status: ReportStatus;
  severity: string | null;
  category: string | null;
  office: string | null;
  process: string | null;
  outcome: Outcome | null;
  acknowledgedAt: string | null;
  closedAt: string | null;
}

/** What a reviewer asks to change; absent fields stay as they are. */
export interface TriageChange {
  status?: ReportStatus | undefined;
  severity?: string | null | undefined;
  category?: string | null | undefined;
  office?: string | null | undefined;
  process?: string | null | undefined;
  outcome?: Outcome | undefined;
  assignees?: string[] | undefined;
}

export interface TriageContext {
  /** The time of the change (ISO 8601 UTC). */
  now: string;
  offices: readonly string[];
  processes: readonly string[];
  /** User ids that may be assigned: the report's readers. */
  readers: readonly string[];
  /** The report's assignees now, sorted. */
  assignees: readonly string[];
}

type Field = 'status' | 'severity' | 'category' | 'office' | 'process' | 'outcome';

export interface TriagePlan {
  /** The fields to store, with `acknowledgedAt` and `closedAt` where the change sets them. */
  patch: Partial<Pick<TriageState, Field | 'acknowledgedAt' | 'closedAt'>>;
  /** The new assignees (sorted), when they change. */
  assignees: string[] | undefined;
  /** Each changed field as `[before, after]`, for the audit trail. */
  changes: Record<string, [unknown, unknown]>;
}

export function planTriage(current: TriageState, change: TriageChange, context: TriageContext): TriagePlan {
  const patch: TriagePlan['patch'] = {};
  const changes: TriagePlan['changes'] = {};
  const set = <F extends Field>(field: F, to: TriageState[F]) => {
    if (current[field] === to) return;
    (patch as Record<Field, unknown>)[field] = to;
    changes[field] = [current[field], to];
  };
  // Office and process come from the lists the administrator keeps, so statistics stay clean.
  if (change.office != null && !context.offices.includes(change.office)) {
    throw new DomainError('SBX_INVALID_REQUEST', 'office must be one of the offices the administrator keeps');
  }
  if (change.process != null && !context.processes.includes(change.process)) {
    throw new DomainError('SBX_INVALID_REQUEST', 'process must be one of the processes the administrator keeps');
  }
  const status = change.status ?? current.status;
  if (status === 'closed') {
    const outcome = change.outcome ?? current.outcome;
    if (!outcome) throw new DomainError('SBX_INVALID_REQUEST', `Closing a report needs an outcome: one of ${OUTCOMES.join(', ')}`);
    set('outcome', outcome);
    if (current.status !== 'closed') patch.closedAt = context.now;
  } else {
    if (change.outcome !== undefined) throw new DomainError('SBX_INVALID_REQUEST', 'An outcome is given when closing a report (status "closed")');
    if (current.status === 'closed') {
      // Reopening: the report is no longer concluded, so neither date nor outcome stands.
      patch.closedAt = null;
      set('outcome', null);
    }
  }
  let assignees: string[] | undefined;
  if (change.assignees !== undefined) {
    assignees = [...new Set(change.assignees)].sort();
    if (!assignees.every((id) => context.readers.includes(id))) {
      throw new DomainError('SBX_INVALID_REQUEST', 'assignees must be members of the report\'s channel whom the reporter did not leave out');
    }
  }
  if (change.status !== undefined) set('status', change.status);
  if (change.status === 'acknowledged' && !current.acknowledgedAt) patch.acknowledgedAt = context.now;
  if (change.severity !== undefined) set('severity', change.severity);
  if (change.category !== undefined) set('category', change.category);
  if (change.office !== undefined) set('office', change.office);
  if (change.process !== undefined) set('process', change.process);
  if (assignees && assignees.join() !== context.assignees.join()) changes.assignees = [context.assignees, assignees];
  else assignees = undefined;
  return { patch, assignees, changes };
}
