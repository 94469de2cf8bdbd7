import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console: a static bundle the hub serves at /console/ (server/console/plugin.ts).
 * Built by `npm ci` (postinstall → npm run build) into dist/web. No inline script,
 * no request to any third party: the hub's Content-Security-Policy forbids both.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
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
