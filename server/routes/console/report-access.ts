// Finding a report for a console user, and its inbox entry: every report route goes through here,
// so a report outside the user's channels is answered exactly like one that does not exist.
import { z } from 'zod';
import { type Report, type ReportRow } from '../../../db/schema.js';
import { notFound } from '../../errors.js';
import { deletionDates } from '../../retention.js';
import { id16 } from '../../schemas.js';
import { listItemOut, type ListItem } from '../../../domain/api.js';
import type { Services } from '../../services.js';
import type { SignedIn } from './session.js';

export const reportParams = z.object({ id: id16 }).strict();

export function reportOf(services: Services, me: SignedIn, id: string): Report {
  const report = services.repos.reports.byId(id);
  // Prevents a reviewer from learning that another channel's report exists, and a member the
  // reporter left out from learning that this one does (PROTOCOL.md §9).
  if (!report || !me.channelIds.includes(report.channelId) || services.repos.reports.excludes(report.id, me.user.id)) {
    throw notFound('SBX_NOT_FOUND', 'No such report');
  }
  return report;
}

export { listItemOut, type ListItem };

type ItemFields = Pick<Report, 'id' | 'channelId' | 'receivedAt' | 'status' | 'severity' | 'category' | 'office' | 'process' | 'outcome' | 'acknowledgedAt' | 'closedAt' | 'acknowledgeBy' | 'feedbackBy'>;

/** Only the listed fields: the inbox row type also carries internal ones (seq). */
export const itemJson = (r: ItemFields, assignees: string[], unread: boolean, deleteAt: string | null): ListItem => ({
  id: r.id,
  channelId: r.channelId,
  receivedAt: r.receivedAt,
  status: r.status,
  severity: r.severity,
  category: r.category,
  office: r.office,
  process: r.process,
  outcome: r.outcome,
  assignees,
  unread,
  acknowledgedAt: r.acknowledgedAt,
  closedAt: r.closedAt,
  acknowledgeBy: r.acknowledgeBy,
  feedbackBy: r.feedbackBy,
  deleteAt,
});

/** The inbox entry of one report as `viewerId` sees it. */
export function listItem(services: Services, report: ReportRow, viewerId: string): ListItem {
  const read = services.repos.reads.lastSeq(viewerId, report.id);
  const unread = read === undefined || report.lastReporterSeq > read;
  return itemJson(report, services.repos.reports.assignees(report.id), unread, deletionDates(services)(report));
}
