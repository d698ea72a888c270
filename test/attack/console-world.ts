// A console instance for the attack tests: users of every role in and out of the report's channel,
// a report with a complete attachment, and for every console route a request that someone allowed
// makes successfully. The authorisation and CSRF tests attack every route with these requests.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { encryptMessage, encryptNote, generateReportKey, newId, randomBytes, sealKey, toB64u } from '../../crypto/index.js';
import type { Services } from '../../server/services.js';
import { approveWithRoot, type TestClock, type TestInstance, type TestUser } from '../helpers/instance.js';
import type { TestReporter } from '../helpers/reporter.js';
import { consoleSetup, newEnrolment, submitReport } from '../server/routes/console-fixtures.js';
import { fastUser } from './fixtures.js';

export interface Request {
  url: string;
  payload?: unknown;
}

export interface ConsoleWorld {
  inst: TestInstance;
  app: FastifyInstance;
  reporterApp: FastifyInstance;
  services: Services;
  clock: TestClock;
  users: Record<'admin' | 'adminElsewhere' | 'reviewer' | 'reviewerElsewhere' | 'auditor' | 'both' | 'bothElsewhere' | 'locked' | 'disabled' | 'target', TestUser>;
  reporter: TestReporter;
  reportId: string;
  attachmentId: string;
  /** Per route (`METHOD /pattern`), the request for report `id`; HEAD uses its GET's. */
  requests: Record<string, (id: string) => Request>;
  send(method: string, request: Request, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function consoleWorld(t: Test): Promise<ConsoleWorld> {
  const { inst, app, reporterApp, services, clock } = await consoleSetup(t);
  const users = {
    // Members of the report's channel ("staff") and of another one ("public").
    admin: fastUser(services, 'admin', ['admin'], ['staff']),
    adminElsewhere: fastUser(services, 'admin-elsewhere', ['admin'], ['public']),
    reviewer: fastUser(services, 'reviewer', ['reviewer'], ['staff']),
    reviewerElsewhere: fastUser(services, 'reviewer-elsewhere', ['reviewer'], ['public']),
    // Auditors belong to no channel: members receive every report's key.
    auditor: fastUser(services, 'auditor', ['auditor'], []),
    both: fastUser(services, 'both', ['reviewer', 'auditor'], ['staff']),
    bothElsewhere: fastUser(services, 'both-elsewhere', ['reviewer', 'auditor'], ['public']),
    locked: fastUser(services, 'locked', ['reviewer'], ['staff']),
    disabled: fastUser(services, 'disabled', ['admin'], ['staff']),
    // The user the administration routes act on.
    target: fastUser(services, 'target', ['reviewer'], []),
  };
  // Members the roster names, as approved colleagues are (PROTOCOL.md §9): the report's keys may be handed to them.
  for (const user of Object.values(users)) for (const channelId of services.repos.channels.channelIdsOf(user.id)) approveWithRoot(services, user.id, channelId);

  const reporter = await submitReport(reporterApp, 'staff');
  const file = await reporter.declareAttachment('evidence.pdf', 'application/pdf', randomBytes(1000));
  const put = await reporterApp.inject({
    method: 'PUT', url: `/api/followup/attachments/${file.attachmentId}`,
    headers: { ...reporter.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(file.stream),
  });
  if (put.statusCode !== 204) throw new Error(`the attachment was refused: ${put.body}`);
  const reportId = reporter.reportId;
  // A second report of the channel for POST …/keys/renew, which drops the caller's envelope: on
  // the first report it would leave the callers without the key the other rows need.
  const renewed = await submitReport(reporterApp, 'staff');

  // Made once: it runs Argon2id.
  const enrolment = newEnrolment('newcomer').body;
  const note = () => encryptNote(generateReportKey(), reportId, 'internal');
  const get = (url: string) => (): Request => ({ url });
  const requests: Record<string, (id: string) => Request> = {
    'GET /api/health': get('/api/health'),
    'GET /api/openapi.json': get('/api/openapi.json'),
    'GET /api/roster': get('/api/roster'),
    'GET /api/roster/awaiting': get('/api/roster/awaiting'),
    'POST /api/roster': () => ({ url: '/api/roster', payload: { entry: { v: 1, seq: 99 }, sig: 'A'.repeat(86) } }),
    'POST /api/auth/params': () => ({ url: '/api/auth/params', payload: { username: 'admin' } }),
    'POST /api/auth/login': () => ({ url: '/api/auth/login', payload: { username: `guess-${newId()}`, authKey: toB64u(randomBytes(32)), totp: '000000' } }),
    'POST /api/auth/logout': () => ({ url: '/api/auth/logout', payload: {} }),
    'GET /api/setup/:token': () => ({ url: `/api/setup/${toB64u(randomBytes(32))}` }),
    'POST /api/setup/complete': () => ({ url: '/api/setup/complete', payload: { ...enrolment, token: toB64u(randomBytes(32)), totpCode: '000000' } }),
    'GET /api/auth/me': get('/api/auth/me'),
    'GET /api/channels': get('/api/channels'),
    'GET /api/settings/lists': get('/api/settings/lists'),
    'GET /api/settings/acknowledgement-template': get('/api/settings/acknowledgement-template'),
    'GET /api/reports': get('/api/reports'),
    'GET /api/key-distribution': get('/api/key-distribution'),
    'GET /api/reports/:id': (id) => ({ url: `/api/reports/${id}` }),
    'GET /api/reports/:id/history': (id) => ({ url: `/api/reports/${id}/history` }),
    'GET /api/reports/:id/attachments/:attachmentId': (id) => ({ url: `/api/reports/${id}/attachments/${file.attachmentId}` }),
    'PATCH /api/reports/:id': (id) => ({ url: `/api/reports/${id}`, payload: { severity: 'high' } }),
    'POST /api/reports/:id/messages': (id) => ({ url: `/api/reports/${id}/messages`, payload: encryptMessage(reporter.reportKey, reportId, 'reviewer', 'We received your report.') }),
    'POST /api/reports/:id/notes': (id) => ({ url: `/api/reports/${id}/notes`, payload: note() }),
    'POST /api/reports/:id/keys/renew': (id) => ({ url: `/api/reports/${id === reportId ? renewed.reportId : id}/keys/renew`, payload: {} }),
    'POST /api/reports/:id/keys': (id) => ({
      url: `/api/reports/${id}/keys`,
      payload: { keys: [{ keyId: users.admin.keyId, sealedKey: sealKey(reporter.reportKey, users.admin.secrets.box.publicKey) }] },
    }),
    'POST /api/reports/:id/exports': (id) => ({ url: `/api/reports/${id}/exports`, payload: {} }),
    'POST /api/reports/:id/retention': (id) => ({ url: `/api/reports/${id}/retention`, payload: { retainUntil: '2030-01-01', note: note() } }),
    'GET /api/account/notifications': get('/api/account/notifications'),
    'PUT /api/account/notifications': () => ({ url: '/api/account/notifications', payload: { email: null, mode: 'none', locale: 'en' } }),
    'GET /api/audit': get('/api/audit'),
    'GET /api/audit/verify': get('/api/audit/verify'),
    'GET /api/statistics': get('/api/statistics'),
    'GET /api/statistics.csv': get('/api/statistics.csv'),
    'GET /api/users': get('/api/users'),
    'POST /api/invites': () => ({ url: '/api/invites', payload: { role: 'reviewer', channels: [] } }),
    'PATCH /api/users/:id': () => ({ url: `/api/users/${users.target.id}`, payload: { disabled: false } }),
    'POST /api/users/:id/reset': () => ({ url: `/api/users/${users.target.id}/reset`, payload: {} }),
    'PATCH /api/channels/:id': () => ({ url: '/api/channels/public', payload: { retentionDays: 365 } }),
    // The members it already has: the request is allowed and changes nobody's access.
    'PUT /api/channels/:id/members': () => ({ url: '/api/channels/public/members', payload: { userIds: services.repos.channels.members('public').map((m) => m.id) } }),
    'PUT /api/settings/lists': () => ({ url: '/api/settings/lists', payload: { offices: ['Port of Entry 1'], processes: ['release'] } }),
    'PUT /api/settings/acknowledgement-template': () => ({ url: '/api/settings/acknowledgement-template', payload: { template: { en: 'Received.' } } }),
  };

  const send = (method: string, { url, payload }: Request, headers: Record<string, string> = {}) => app.inject({
    method: method as 'GET', url, headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

  return { inst, app, reporterApp, services, clock, users, reporter, reportId, attachmentId: file.attachmentId, requests, send };
}
