import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { PATHS } from '../paths.js';

/**
 * The console: the static bundle `npm run build` makes with Vite
 * (clients/web → dist/web), served at /console/. It is a client of the public
 * API like the CLI: no route here renders content or knows a key.
 */
export const consolePlugin: FastifyPluginAsync<{ dir?: string | undefined }> = async (app, opts) => {
  // The configured bundle (consoleDir), else the build's dist/web.
  const dir = join(opts.dir ?? PATHS.console, '/');
  const root = existsSync(`${dir}index.html`) ? dir : undefined;
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/'));
  if (!root) {
    app.log.warn('console not built (npm run build): /console/ answers 503');
    app.get('/console/*', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('Console non construite : lancez « npm run build ». / Console not built: run “npm run build”.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/console/',
    // The page itself is served below: @fastify/static's preCompressed misses a directory's index.
    index: false,
    // The build's .br and .gz copies of the assets, to browsers that accept them.
    preCompressed: true,
    // /docs (swagger-ui) registers @fastify/static too: one reply decorator is enough.
    decorateReply: false,
    // Hashed assets never change; the page itself is always revalidated.
    setHeaders: (reply: { header(name: string, value: string): unknown }, path: string) => void reply.header('cache-control', /\/assets\//.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  app.get('/console', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/'));
  // Half a kilobyte, read once: it names the build's hashed assets.
  const page = readFileSync(join(root, 'index.html'));
  app.get('/console/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page));
};
