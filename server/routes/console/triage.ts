// PATCH /api/reports/:id: the triage labels, the status with its dates and outcome, and assignees.
// Every change is audited as {field: [from, to]}; nothing of the content is involved.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TriagePatch } from '../../../db/repositories/reports.js';
import { OUTCOMES, REPORT_STATUSES, type Report } from '../../../db/schema.js';
import { invalid } from '../../errors.js';
import { OFFICES_SETTING, PROCESSES_SETTING } from '../../init.js';
import { CATEGORY_CODES } from '../../questionnaire-default.js';
import { readersOf } from '../../recipients.js';
import type { Services } from '../../services.js';
import { iso } from '../../time.js';
import { listItem, listItemOut, reportOf, reportParams } from './report-access.js';
import { actor, SEVERITIES, userId, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

const label = z.string().min(1).max(200);

const triageBody = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  severity: z.enum(SEVERITIES).nullable().optional(),
  category: z.enum(CATEGORY_CODES).nullable().optional(),
  office: label.nullable().optional(),
  process: label.nullable().optional(),
  outcome: z.enum(OUTCOMES).optional(),
  assignees: z.array(userId).max(50).optional(),
}).strict();

type Field = 'status' | 'severity' | 'category' | 'office' | 'process' | 'outcome';

export async function triageRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock } = services;

  /** office and process come from the lists the administrator keeps, so statistics stay clean. */
  function checkListed(setting: string, what: string, value: string | null | undefined): void {
    if (value === undefined || value === null) return;
    const allowed = repos.settings.get<string[]>(setting) ?? [];
    if (!allowed.includes(value)) throw invalid(`${what} must be one of the ${what === 'office' ? 'offices' : 'processes'} the administrator keeps`);
  }

  app.patch('/api/reports/:id', {
    onRequest: app.requireUser('admin', 'reviewer'),
    bodyLimit: 16 * 1024,
    schema: {
      summary: 'Triage: status (closing needs an outcome), severity, category, office, process and assignees; any subset',
      params: reportParams,
      body: triageBody,
      response: { 200: listItemOut, ...writeErrors(404) },
    },
  }, async (request) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const body = request.body;
    const now = iso(clock.now());
    const patch: TriagePatch = {};
    const changes: Record<string, [unknown, unknown]> = {};
    const set = (field: Field, to: Report[Field]) => {
      if (report[field] === to) return;
      (patch as Record<Field, unknown>)[field] = to;
      changes[field] = [report[field], to];
    };

    checkListed(OFFICES_SETTING, 'office', body.office);
    checkListed(PROCESSES_SETTING, 'process', body.process);
    const status = body.status ?? report.status;
    if (status === 'closed') {
      const outcome = body.outcome ?? report.outcome;
      if (!outcome) throw invalid(`Closing a report needs an outcome: one of ${OUTCOMES.join(', ')}`);
      set('outcome', outcome);
      if (report.status !== 'closed') patch.closedAt = now;
    } else {
      if (body.outcome !== undefined) throw invalid('An outcome is given when closing a report (status "closed")');
      if (report.status === 'closed') {
        // Reopening: the report is no longer concluded, so neither date nor outcome stands.
        patch.closedAt = null;
        set('outcome', null);
      }
    }
    let assignees: string[] | undefined;
    if (body.assignees !== undefined) {
      const members = new Set(readersOf(services, report).map((m) => m.id));
      assignees = [...new Set(body.assignees)].sort();
      if (!assignees.every((id) => members.has(id))) throw invalid('assignees must be members of the report\'s channel whom the reporter did not leave out');
    }

    if (body.status !== undefined) set('status', body.status);
    if (body.status === 'acknowledged' && !report.acknowledgedAt) patch.acknowledgedAt = now;
    if (body.severity !== undefined) set('severity', body.severity);
    if (body.category !== undefined) set('category', body.category);
    if (body.office !== undefined) set('office', body.office);
    if (body.process !== undefined) set('process', body.process);
    const before = repos.reports.assignees(report.id);
    if (assignees && assignees.join() !== before.join()) changes.assignees = [before, assignees];

    const updated = services.db.transaction(() => {
      const row = Object.keys(patch).length > 0 ? repos.reports.updateTriage(report.id, patch, now)! : report;
      if (changes.assignees) repos.reports.setAssignees(report.id, assignees!);
      if (Object.keys(changes).length > 0) {
        services.audit({ actor: actor(me.user), action: 'report.triage', target: report.id, details: changes });
      }
      return row;
    });
    return listItem(services, updated, me.user.id);
  });
}
