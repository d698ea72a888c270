// Serves a built browser app (dist/public/report or dist/public/console): files only, no listing.
// The page itself (index.html) is filled in per request with the instance's own texts: the
// <noscript> message (setting `noscriptText`), and for the reporter app GET /api/page-settings
// gives the emergency contacts (setting `emergencyContacts`). Both are `{locale: text}` or text.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageSettingsOut } from '../../domain/api.js';
import { dirOf } from '../../domain/text.js';
import { withTranslations } from '../../domain/defaults/translations/index.js';
import { EMERGENCY_SETTING, NOSCRIPT_SETTING, settingValue } from '../../domain/settings.js';

export { EMERGENCY_SETTING, NOSCRIPT_SETTING };

/** Where the page texts come from: the settings repository (which checks them), or a test's map. */
export interface SettingsReader {
  get(key: typeof NOSCRIPT_SETTING | typeof EMERGENCY_SETTING): unknown;
}


export const DEFAULT_NOSCRIPT: Record<string, string> = withTranslations(
  'Reports are encrypted in your browser before they are sent, and that needs JavaScript. Turn it on for this page (in Tor Browser: the shield icon, then "Standard" security level), or reach the integrity unit another way: by post or in person at its office, or through a person you trust.',
  'Les signalements sont chiffrés dans votre navigateur avant d’être envoyés, ce qui nécessite JavaScript. Activez-le pour cette page (dans Tor Browser : l’icône du bouclier, puis le niveau de sécurité « Standard »), ou contactez la cellule d’intégrité autrement : par courrier ou en personne à son bureau, ou par une personne de confiance.',
);

export const DEFAULT_EMERGENCY: Record<string, string> = withTranslations(
  'If someone is in immediate danger, call the local emergency number now (112 in many countries, 911 in others). This service is not watched around the clock and cannot send help.',
  'Si quelqu’un est en danger immédiat, appelez maintenant le numéro d’urgence local (112 dans de nombreux pays, 911 dans d’autres). Ce service n’est pas surveillé en permanence et ne peut pas envoyer de secours.',
);

/** A setting as `{locale: text}`, or the default when it is missing or malformed. */
function textSetting(settings: SettingsReader | undefined, key: typeof NOSCRIPT_SETTING | typeof EMERGENCY_SETTING, fallback: Record<string, string>): Record<string, string> {
  const value = settingValue(key, settings?.get(key));
  if (value === undefined) return fallback;
  return typeof value === 'string' ? { en: value } : value;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * One paragraph per language, each marked with its `lang` (and `dir="rtl"` for a right-to-left
 * one: the page around it may be laid out left to right); blank lines split paragraphs.
 */
export function noscriptHtml(texts: Record<string, string>): string {
  return Object.entries(texts)
    .flatMap(([lang, text]) => {
      const attributes = `lang="${escapeHtml(lang)}"${dirOf(lang) === 'rtl' ? ' dir="rtl"' : ''}`;
      return text.split(/\n\s*\n/).map((p) => `<p ${attributes}>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`);
    })
    .join('\n');
}

export const staticPages = fp<{ root: string; kind: string; settings?: SettingsReader }>(async (app: FastifyInstance, opts) => {
  const indexFile = join(opts.root, 'index.html');
  const template = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : undefined;
  await app.register(fastifyStatic, {
    root: opts.root,
    // The page is served by the routes below, so that it carries the instance's texts.
    index: template === undefined ? 'index.html' : false,
    list: false,
    dotfiles: 'deny',
    // Bundles have content hashes in their names; the page itself must always be fresh.
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable');
    },
  });
  if (template !== undefined) {
    const page = async (_request: unknown, reply: import('fastify').FastifyReply) => {
      const html = template.replace('%NOSCRIPT%', noscriptHtml(textSetting(opts.settings, NOSCRIPT_SETTING, DEFAULT_NOSCRIPT)));
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
    };
    app.get('/', { schema: { hide: true } }, page);
    app.get('/index.html', { schema: { hide: true } }, page);
  }
  if (opts.kind === 'reporter') {
    app.get('/api/page-settings', {
      schema: {
        summary: 'Texts the unit sets for the reporting page: emergency contacts by language',
        response: { 200: pageSettingsOut },
      },
    }, async () => ({ emergencyContacts: textSetting(opts.settings, EMERGENCY_SETTING, DEFAULT_EMERGENCY) }));
  }
}, { name: 'sealbox-static-pages' });
