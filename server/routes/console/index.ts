// The console API (PROTOCOL.md §6): sessions, CSRF checks, then one plugin per resource.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { rosterAppendRoutes, rosterReadRoutes } from '../roster.js';
import { accountRoutes } from './account.js';
import { approvalRoutes } from './approvals.js';
import { consoleAttachmentRoutes } from './attachments.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { caseExportRoutes } from './case-export.js';
import { channelAdminRoutes } from './channels.js';
import { conversationRoutes } from './conversation.js';
import { csrfGuard } from './csrf.js';
import { reportKeyRoutes } from './report-keys.js';
import { reportRoutes } from './reports.js';
import { retentionRoutes } from './retention.js';
import { sessions } from './session.js';
import { settingsRoutes } from './settings.js';
import { setupRoutes } from './setup.js';
import { statisticsRoutes } from './statistics.js';
import { triageRoutes } from './triage.js';
import { userRoutes } from './users.js';

export async function consoleRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  // Runs before any route's own hooks, so a forged request is refused before the session is read.
  app.addHook('onRequest', csrfGuard(services.config));
  await app.register(sessions, { services });
  for (const routes of [
    authRoutes, setupRoutes, reportRoutes, triageRoutes, retentionRoutes, conversationRoutes, reportKeyRoutes, consoleAttachmentRoutes,
    caseExportRoutes, userRoutes, channelAdminRoutes, settingsRoutes, accountRoutes, auditRoutes, statisticsRoutes, rosterReadRoutes, rosterAppendRoutes, approvalRoutes,
  ]) {
    await app.register(routes, { services });
  }
}
