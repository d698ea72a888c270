// The administrator's lists (offices, processes) and the acknowledgement template.
import t from 'tap';
import { PROCESSES } from '../../../domain/categories.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, signIn, unchanged } from './console-fixtures.js';

const { app, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const admin = await signIn(app, clock, amal);
const reviewer = await signIn(app, clock, zoe);

t.test('lists: anyone signed in reads them, an administrator replaces them', async (t) => {
  const initial = await reviewer.get('/api/settings/lists');
  t.equal(initial.statusCode, 200);
  t.same(initial.json(), { offices: [], processes: PROCESSES.map((p) => p.value) });

  const lists = { offices: ['Port of Mombasa', 'JKIA Air Cargo'], processes: ['release', 'examination'] };
  const res = await admin.send('PUT', '/api/settings/lists', lists);
  t.equal(res.statusCode, 200);
  t.same(res.json(), lists);
  t.same((await reviewer.get('/api/settings/lists')).json(), lists);
  t.same(auditOf(services, 'settings.lists').at(-1)!.details, { offices: [[], lists.offices], processes: [PROCESSES.map((p) => p.value), lists.processes] });

  await unchanged(t, services, 'refused lists', async () => {
    isError(t, await reviewer.send('PUT', '/api/settings/lists', lists), 403, 'SBX_FORBIDDEN', 'a reviewer');
    isError(t, await admin.send('PUT', '/api/settings/lists', { offices: ['A', 'A'], processes: [] }), 400, 'SBX_INVALID_REQUEST', 'a duplicate');
    isError(t, await admin.send('PUT', '/api/settings/lists', { offices: [''], processes: [] }), 400, 'SBX_INVALID_REQUEST', 'an empty entry');
    isError(t, await admin.send('PUT', '/api/settings/lists', { offices: ['x'.repeat(201)], processes: [] }), 400, 'SBX_INVALID_REQUEST', 'a long entry');
    isError(t, await admin.send('PUT', '/api/settings/lists', { offices: [] }), 400, 'SBX_INVALID_REQUEST', 'both lists');
    isError(t, await admin.send('PUT', '/api/settings/lists', { ...lists, units: [] }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
  });
  isError(t, await app.inject({ method: 'GET', url: '/api/settings/lists' }), 401, 'SBX_UNAUTHENTICATED');
});

t.test('acknowledgement template', async (t) => {
  const initial = (await reviewer.get('/api/settings/acknowledgement-template')).json();
  t.same(Object.keys(initial.template).sort(), ['ar', 'en', 'es', 'fr'], 'a new instance has it in every language of the reporting page');
  const template = { en: 'We received your report.', fr: 'Nous avons reçu votre signalement.', ar: 'لقد تلقينا بلاغك.' };
  const res = await admin.send('PUT', '/api/settings/acknowledgement-template', { template });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { template });
  t.same((await reviewer.get('/api/settings/acknowledgement-template')).json(), { template });
  t.same(auditOf(services, 'settings.acknowledgement_template').at(-1)!.details, { locales: ['ar', 'en', 'fr'] });

  await unchanged(t, services, 'refused templates', async () => {
    isError(t, await reviewer.send('PUT', '/api/settings/acknowledgement-template', { template }), 403, 'SBX_FORBIDDEN', 'a reviewer');
    isError(t, await admin.send('PUT', '/api/settings/acknowledgement-template', { template: {} }), 400, 'SBX_INVALID_REQUEST', 'no locale');
    isError(t, await admin.send('PUT', '/api/settings/acknowledgement-template', { template: { en: 'x'.repeat(5001) } }), 400, 'SBX_INVALID_REQUEST', 'too long');
    isError(t, await admin.send('PUT', '/api/settings/acknowledgement-template', template), 400, 'SBX_INVALID_REQUEST', 'not wrapped in {template}');
  });
});

t.test('missing settings read as empty', async (t) => {
  services.db.sqlite.prepare("DELETE FROM settings WHERE key IN ('offices', 'processes', 'acknowledgementTemplate')").run();
  t.same((await reviewer.get('/api/settings/lists')).json(), { offices: [], processes: [] });
  t.same((await reviewer.get('/api/settings/acknowledgement-template')).json(), { template: {} });
});
