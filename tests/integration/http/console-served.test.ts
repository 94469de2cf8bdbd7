// The hub serves the console's build as static files: the page revalidated,
// the hashed assets immutable and Brotli-compressed for browsers that accept
// it, under a CSP without inline script and without upgrade-insecure-requests
// (the console and /docs work over plain HTTP on a LAN address).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import t from 'tap';
import { startTestHub, tempDir } from '../../helpers/env.js';

const PAGE = '<!doctype html><html lang="fr"><head><script type="module" src="/console/assets/index-abc.js"></script></head><body><div id="app"></div></body></html>';
const SCRIPT = `export const words = ${JSON.stringify('Alerte de danger '.repeat(200))};\n`;

function bundle(t: Parameters<typeof tempDir>[0]): string {
  const dir = tempDir(t, 'vigie-console');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), PAGE);
  writeFileSync(join(dir, 'assets', 'index-abc.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-abc.js.br'), brotliCompressSync(SCRIPT));
  return dir;
}

t.test('the console page, its assets compressed, under the strict CSP', async (t) => {
  const hub = await startTestHub(t, { listen: false, config: { consoleDir: bundle(t) } });
  const page = await hub.app.inject({ method: 'GET', url: '/console/', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  t.equal(page.statusCode, 200);
  t.equal(page.body, PAGE, 'the page itself');
  t.match(page.headers['content-type'], /^text\/html/);
  t.equal(page.headers['cache-control'], 'no-cache', 'the page is revalidated: it names the current build');
  const csp = String(page.headers['content-security-policy']);
  t.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, 'scripts from the hub only (and libsodium’s WebAssembly)');
  t.notMatch(csp, /script-src[^;]*unsafe-inline/, 'no inline script');
  t.match(csp, /connect-src 'self'/, 'no connection to anyone but the hub');
  t.notMatch(csp, /upgrade-insecure-requests/, 'plain HTTP on a LAN address keeps working');

  const br = await hub.app.inject({ method: 'GET', url: '/console/assets/index-abc.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  t.equal(br.statusCode, 200);
  t.equal(br.headers['content-encoding'], 'br', 'Brotli to a browser that accepts it');
  t.equal(brotliDecompressSync(br.rawPayload).toString(), SCRIPT);
  t.ok(br.rawPayload.length < SCRIPT.length / 4, 'and much smaller');
  t.match(br.headers['cache-control'], /immutable/, 'hashed assets are cached for good');
  const plain = await hub.app.inject({ method: 'GET', url: '/console/assets/index-abc.js' });
  t.equal(plain.headers['content-encoding'], undefined, 'identity to a client that does not ask');
  t.equal(plain.body, SCRIPT);

  t.equal((await hub.app.inject({ method: 'GET', url: '/console' })).headers.location, '/console/');
  t.equal((await hub.app.inject({ method: 'GET', url: '/' })).headers.location, '/console/', 'the hub’s address opens the console');
  const missing = await hub.app.inject({ method: 'GET', url: '/console/assets/nope.js' });
  t.equal(missing.statusCode, 404);
  const docs = await hub.app.inject({ method: 'GET', url: '/docs/' });
  t.equal(docs.statusCode, 200);
  t.notMatch(String(docs.headers['content-security-policy']), /upgrade-insecure-requests/, '/docs too');
  t.notMatch(String(docs.headers['content-security-policy']), /swagger\.io|https:/, 'and /docs asks nothing of any third party');
  t.match(String(docs.headers['content-security-policy']), /script-src 'self'\s*(;|$)/, 'nor runs any inline script');
});

t.test('without a build, /console/ says how to make one, in both languages', async (t) => {
  const hub = await startTestHub(t, { listen: false, config: { consoleDir: tempDir(t, 'vigie-empty') } });
  const res = await hub.app.inject({ method: 'GET', url: '/console/' });
  t.equal(res.statusCode, 503);
  t.match(res.body, /npm run build/);
  t.match(res.body, /Console non construite/);
  t.match(res.body, /Console not built/);
});
