// The signed-in reader's own notification settings: an e-mail address, how often to hear of new
// reports (a daily digest, at once, or never) and the language of those e-mails.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type User } from '../../../db/schema.js';
import { NOTIFY_MODES } from '../../../domain/vocabulary.js';
import { MAIL_LOCALES } from '../../notifications/messages.js';
import type { Services } from '../../services.js';
import { actor, readErrors, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

const notificationsIn = z.object({
  // z.email() admits no spaces or line breaks, so an address cannot add a mail header.
  email: z.email('email must be an e-mail address').max(254).nullable(),
  mode: z.enum(NOTIFY_MODES),
  locale: z.enum(MAIL_LOCALES),
}).strict();

const notificationsOut = z.object({
  email: z.string().nullable(),
  mode: z.enum(NOTIFY_MODES),
  locale: z.string(),
  /** Whether this server has SMTP settings; without them nothing is sent. */
  mailEnabled: z.boolean(),
  /** The hour (UTC) of the daily digest, when mail is on. */
  dailyHourUtc: z.number().int().nullable(),
});

export async function accountRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, config } = services;
  // Only those who read reports are told of them.
  const reader = app.requireUser('admin', 'reviewer');

  const json = (u: User) => ({
    email: u.email, mode: u.notify, locale: u.notifyLocale, mailEnabled: services.notifier.enabled, dailyHourUtc: config.mail?.dailyHourUtc ?? null,
  });

  app.get('/api/account/notifications', {
    onRequest: reader,
    schema: { summary: 'Your notification e-mail settings', response: { 200: notificationsOut, ...readErrors() } },
  }, async (request) => json(signedIn(request).user));

  app.put('/api/account/notifications', {
    onRequest: reader,
    bodyLimit: 4096,
    schema: {
      summary: 'Set your e-mail address (null for none), notification mode and e-mail language',
      body: notificationsIn,
      response: { 200: notificationsOut, ...writeErrors() },
    },
  }, async (request) => {
    const me = signedIn(request).user;
    const { email, mode, locale } = request.body;
    // The audit trail says that the address changed, not what it is: it goes to a SIEM, and the
    // address is personal data that the trail does not need.
    const changes: Record<string, unknown> = {};
    if (email !== me.email) changes.email = email === null ? 'removed' : me.email === null ? 'set' : 'changed';
    if (mode !== me.notify) changes.mode = [me.notify, mode];
    if (locale !== me.notifyLocale) changes.locale = [me.notifyLocale, locale];
    const updated = services.db.transaction(() => {
      const row = repos.users.update(me.id, { email, notify: mode, notifyLocale: locale })!;
      if (Object.keys(changes).length > 0) services.audit({ actor: actor(me), action: 'account.notifications', target: me.id, details: changes });
      return row;
    });
    return json(updated);
  });
}
