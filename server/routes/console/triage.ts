// PATCH /api/reports/:id: the triage labels, the status with its dates and outcome, and assignees.
// The rules are domain/triage.ts's; every change is audited as {field: [from, to]}; nothing of the
// content is involved.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { triageBody } from '../../../domain/api.js';
import { planTriage } from '../../../domain/triage.js';
import { OFFICES_SETTING, PROCESSES_SETTING } from '../../../domain/settings.js';
import { readersOf } from '../../recipients.js';
import type { Services } from '../../services.js';
import { iso } from '../../time.js';
import { listItem, listItemOut, reportOf, reportParams } from './report-access.js';
import { actor, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

export async function triageRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock } = services;

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
    const now = iso(clock.now());
    const { patch, assignees, changes } = planTriage(report, request.body, {
      now,
      offices: repos.settings.get(OFFICES_SETTING) ?? [],
      processes: repos.settings.get(PROCESSES_SETTING) ?? [],
      readers: readersOf(services, report).map((m) => m.id),
      assignees: repos.reports.assignees(report.id),
    });

    const updated = services.db.transaction(() => {
      const row = Object.keys(patch).length > 0 ? repos.reports.updateTriage(report.id, patch, now)! : report;
      if (assignees) repos.reports.setAssignees(report.id, assignees);
      if (Object.keys(changes).length > 0) {
        services.audit({ actor: actor(me.user), action: 'report.triage', target: report.id, details: changes });
      }
      return row;
    });
    return listItem(services, updated, me.user.id);
  });
}
