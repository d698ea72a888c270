// Serves a built browser app (dist/public/report or dist/public/console): files only, no listing.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const staticPages = fp<{ root: string; kind: string }>(async (app: FastifyInstance, opts) => {
  await app.register(fastifyStatic, {
    root: opts.root,
    index: 'index.html',
    list: false,
    dotfiles: 'deny',
    // Bundles have content hashes in their names; the page itself must always be fresh.
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable');
    },
  });
}, { name: 'sealbox-static-pages' });
