import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Brotli and gzip copies of every text asset (the page itself is half a
 * kilobyte and served as is), written beside it: the hub
 * serves them to browsers that accept them (@fastify/static preCompressed),
 * so a worker on a phone connection downloads the compressed size.
 */
function precompress(): Plugin {
  return {
    name: 'vigie-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir!;
      const names = Object.keys(bundle).filter((n) => /\.(js|css|svg|json)$/.test(n));
      for (const name of names) {
        const item = bundle[name];
        const source = item?.type === 'chunk' ? item.code : item?.type === 'asset' ? item.source : null;
        if (source === null) continue;
        const bytes = typeof source === 'string' ? Buffer.from(source) : Buffer.from(source);
        writeFileSync(join(dir, `${name}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
        writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

/**
 * The console: a static bundle the hub serves at /console/ (server/console/plugin.ts).
 * Built by `npm ci` (postinstall → npm run build) into dist/web. No inline script,
 * no request to any third party: the hub's Content-Security-Policy forbids both.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  plugins: [precompress()],
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // One chunk for the app, one for libsodium: the initial download is measured by npm run bench.
    chunkSizeWarningLimit: 1500,
    modulePreload: { polyfill: false },
  },
  resolve: { alias: { 'node:crypto': fileURLToPath(new URL('./src/lib/no-node.ts', import.meta.url)) } },
});
