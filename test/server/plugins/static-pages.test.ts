// The built pages: files only (no listing, no dot files), the page never cached and filled in with
// the instance's <noscript> text, bundles cached for good, and the reporting page's texts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializerCompiler, validatorCompiler } from '@fastify/type-provider-zod';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import {
  DEFAULT_EMERGENCY, DEFAULT_NOSCRIPT, EMERGENCY_SETTING, escapeHtml, NOSCRIPT_SETTING, noscriptHtml, staticPages,
} from '../../../server/plugins/static-pages.js';

function pages(t: Test, withTemplate = true): string {
  const root = t.testdir({
    'assets': { 'app-abc123.js': 'console.log(1)', 'app-abc123.css': 'body{}' },
    '.secret': 'dot file',
    ...(withTemplate ? { 'index.html': '<!doctype html><noscript>%NOSCRIPT%</noscript><script src="/assets/app-abc123.js"></script>' } : { 'index.html': '<!doctype html><p>plain</p>' }),
  });
  return root;
}

async function app(t: Test, root: string, kind: string, settings?: Record<string, unknown>) {
  const a = Fastify();
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  await a.register(staticPages, { root, kind, ...(settings ? { settings: { get: <T>(key: string) => settings[key] as T | undefined } } : {}) });
  t.teardown(() => a.close());
  return a;
}

t.test('escapeHtml and noscriptHtml', async (t) => {
  t.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  t.equal(noscriptHtml({ en: 'One.\n\nTwo,\nlines.', fr: '<b>Un</b>' }), '<p lang="en">One.</p>\n<p lang="en">Two,<br>lines.</p>\n<p lang="fr">&lt;b&gt;Un&lt;/b&gt;</p>');
  t.equal(noscriptHtml({ ar: 'واحد', 'ar-EG': 'اثنان', arn: 'x' }), '<p lang="ar" dir="rtl">واحد</p>\n<p lang="ar-EG" dir="rtl">اثنان</p>\n<p lang="arn">x</p>', 'Arabic right to left');
});

t.test('the page: filled in per request, never cached; bundles immutable; no listing, no dot files', async (t) => {
  const a = await app(t, pages(t), 'reporter');
  for (const url of ['/', '/index.html']) {
    const res = await a.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200, url);
    t.equal(res.headers['cache-control'], 'no-store');
    t.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
    t.ok(res.body.includes(noscriptHtml(DEFAULT_NOSCRIPT)), 'the default noscript text');
    t.notOk(res.body.includes('%NOSCRIPT%'));
  }
  const js = await a.inject({ method: 'GET', url: '/assets/app-abc123.js' });
  t.equal(js.statusCode, 200);
  t.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal((await a.inject({ method: 'GET', url: '/.secret' })).statusCode >= 400, true, 'no dot files');
  t.equal((await a.inject({ method: 'GET', url: '/assets/' })).statusCode >= 400, true, 'no listing');
  t.equal((await a.inject({ method: 'GET', url: '/../package.json' })).statusCode >= 400, true, 'nothing outside the folder');
});

t.test('the instance’s own texts, from its settings; malformed settings fall back to the defaults', async (t) => {
  const custom = await app(t, pages(t), 'reporter', {
    [NOSCRIPT_SETTING]: { en: 'Turn on <JavaScript>.', ar: 'فعّل جافاسكربت' },
    [EMERGENCY_SETTING]: 'Call 112.',
  });
  const page = (await custom.inject({ method: 'GET', url: '/' })).body;
  t.ok(page.includes('<p lang="en">Turn on &lt;JavaScript&gt;.</p>'), 'escaped');
  t.ok(page.includes('<p lang="ar" dir="rtl">فعّل جافاسكربت</p>'), 'Arabic right to left');
  const settings = await custom.inject({ method: 'GET', url: '/api/page-settings' });
  t.same(settings.json(), { emergencyContacts: { en: 'Call 112.' } }, 'a plain text is English');

  for (const bad of [{ 'not a locale!': 'x' }, 42, { en: 'x'.repeat(5000) }, null]) {
    const a = await app(t, pages(t), 'reporter', { [NOSCRIPT_SETTING]: bad, [EMERGENCY_SETTING]: bad });
    t.ok((await a.inject({ method: 'GET', url: '/' })).body.includes(noscriptHtml(DEFAULT_NOSCRIPT)), `noscript ${JSON.stringify(bad)?.slice(0, 20)}: the default`);
    t.same((await a.inject({ method: 'GET', url: '/api/page-settings' })).json(), { emergencyContacts: DEFAULT_EMERGENCY });
  }
  const none = await app(t, pages(t), 'reporter');
  t.same((await none.inject({ method: 'GET', url: '/api/page-settings' })).json(), { emergencyContacts: DEFAULT_EMERGENCY }, 'no settings: the defaults');
});

t.test('the console has no page settings; a folder without a template serves its index as a file', async (t) => {
  const c = await app(t, pages(t), 'console');
  t.equal((await c.inject({ method: 'GET', url: '/api/page-settings' })).statusCode, 404);
  const plain = await app(t, pages(t, false), 'reporter');
  const res = await plain.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<p>plain<\/p>/);
  t.equal(res.headers['cache-control'], 'no-store');
  const root = join(t.testdir(), 'empty');
  mkdirSync(root);
  writeFileSync(join(root, 'x.txt'), 'x');
  const empty = await app(t, root, 'reporter');
  t.equal((await empty.inject({ method: 'GET', url: '/x.txt' })).statusCode, 200);
});
