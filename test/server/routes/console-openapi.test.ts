// GET /api/openapi.json: both APIs' OpenAPI documents, built from the route schemas.
import t from 'tap';
import { consoleSetup } from './console-fixtures.js';

const { app } = await consoleSetup(t);

t.test('the document holds both APIs and hides the health check', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const { reporter, console: consoleDoc } = res.json();
  t.match(reporter, { openapi: /^3\./, info: { title: 'Sealbox reporter API' } });
  t.match(consoleDoc, { openapi: /^3\./, info: { title: 'Sealbox console API' } });
  for (const path of ['/api/channels', '/api/submissions', '/api/reports', '/api/followup', '/api/followup/messages', '/api/followup/attachments', '/api/followup/attachments/{attachmentId}']) {
    t.ok(reporter.paths[path], `reporter: ${path}`);
  }
  for (const path of [
    '/api/auth/params', '/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/reports', '/api/reports/{id}', '/api/reports/{id}/messages',
    '/api/reports/{id}/notes', '/api/reports/{id}/keys', '/api/reports/{id}/attachments/{attachmentId}', '/api/setup/{token}', '/api/setup/complete',
    '/api/invites', '/api/users', '/api/users/{id}', '/api/users/{id}/reset', '/api/channels', '/api/channels/{id}', '/api/channels/{id}/members',
    '/api/settings/lists', '/api/settings/acknowledgement-template', '/api/audit', '/api/audit/verify', '/api/roster', '/api/roster/awaiting',
  ]) {
    t.ok(consoleDoc.paths[path], `console: ${path}`);
  }
  t.notOk(reporter.paths['/api/health'] ?? consoleDoc.paths['/api/health'], 'the health check is hidden');
  t.notOk(consoleDoc.paths['/api/openapi.json'], 'and so is the document itself');
  const login = consoleDoc.paths['/api/auth/login'].post;
  t.ok(login.requestBody.content['application/json'].schema.properties.authKey, 'request bodies come from the zod schemas');
  t.ok(login.responses['200'] && login.responses['401'] && login.responses['429'], 'and every response status');

  const again = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  t.equal(again.body, res.body, 'built once, served the same');
});

t.test('a failure to build the reporter document is not cached', async (t) => {
  const { app: fresh, services } = await consoleSetup(t);
  const realClock = services.clock;
  // The reporter app reads the config while building; make that throw once.
  const config = services.config;
  let fail = true;
  Object.defineProperty(services, 'config', { configurable: true, get: () => { if (fail) { fail = false; throw new Error('boom'); } return config; } });
  const failed = await fresh.inject({ method: 'GET', url: '/api/openapi.json' });
  t.equal(failed.statusCode, 500);
  t.same(failed.json(), { statusCode: 500, code: 'SBX_INTERNAL', error: 'Internal Server Error', message: 'Internal Server Error' }, 'no detail leaks');
  Object.defineProperty(services, 'config', { configurable: true, writable: true, value: config });
  const ok = await fresh.inject({ method: 'GET', url: '/api/openapi.json' });
  t.equal(ok.statusCode, 200, 'the next request builds it');
  t.equal(services.clock, realClock);
});
