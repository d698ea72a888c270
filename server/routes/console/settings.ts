// Instance settings the administrator keeps: the office and process lists that triage labels
// come from, and the acknowledgement text the console offers when a report is acknowledged.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ACK_TEMPLATE_SETTING, OFFICES_SETTING, PROCESSES_SETTING } from '../../../domain/settings.js';
import type { Services } from '../../services.js';
import { actor, localText, readErrors, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

const list = z.array(z.string().trim().min(1).max(200)).max(500)
  .refine((items) => new Set(items).size === items.length, 'each entry may appear once');
const lists = z.object({ offices: list, processes: list }).strict();
const template = z.object({ template: localText(5000) }).strict();
const listsOut = z.object({ offices: z.array(z.string()), processes: z.array(z.string()) });
const templateOut = z.object({ template: z.record(z.string(), z.string()) });

export async function settingsRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { settings } = services.repos;
  const anyone = app.requireUser();
  const admin = app.requireUser('admin');

  const currentLists = () => ({ offices: settings.get(OFFICES_SETTING) ?? [], processes: settings.get(PROCESSES_SETTING) ?? [] });
  const currentTemplate = () => ({ template: settings.get(ACK_TEMPLATE_SETTING) ?? {} });

  app.get('/api/settings/lists', {
    onRequest: anyone,
    schema: { summary: 'The offices and processes a report can be labelled with', response: { 200: listsOut, ...readErrors() } },
  }, async () => currentLists());

  app.put('/api/settings/lists', {
    onRequest: admin,
    bodyLimit: 256 * 1024,
    schema: { summary: 'Replace the office and process lists (labels already set on reports stay)', body: lists, response: { 200: listsOut, ...writeErrors() } },
  }, async (request) => {
    const me = signedIn(request);
    const before = currentLists();
    services.db.transaction(() => {
      settings.set(OFFICES_SETTING, request.body.offices);
      settings.set(PROCESSES_SETTING, request.body.processes);
      services.audit({
        actor: actor(me.user), action: 'settings.lists',
        details: { offices: [before.offices, request.body.offices], processes: [before.processes, request.body.processes] },
      });
    });
    return currentLists();
  });

  app.get('/api/settings/acknowledgement-template', {
    onRequest: anyone,
    schema: { summary: 'The acknowledgement message offered to reviewers, per locale', response: { 200: templateOut, ...readErrors() } },
  }, async () => currentTemplate());

  app.put('/api/settings/acknowledgement-template', {
    onRequest: admin,
    bodyLimit: 256 * 1024,
    schema: { summary: 'Replace the acknowledgement message', body: template, response: { 200: templateOut, ...writeErrors() } },
  }, async (request) => {
    const me = signedIn(request);
    services.db.transaction(() => {
      settings.set(ACK_TEMPLATE_SETTING, request.body.template);
      services.audit({ actor: actor(me.user), action: 'settings.acknowledgement_template', details: { locales: Object.keys(request.body.template).sort() } });
    });
    return currentTemplate();
  });
}
