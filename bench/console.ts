/**
 * The console's initial download: what Debian's Chromium actually receives
 * (bytes on the wire, after the hub's Brotli/gzip, headers excluded) when a
 * person opens /console/ on a fresh browser, until the first view is shown
 * (`first_view_kib`), and then with libsodium, which the console loads as
 * its own file the first time it makes or opens keys (`compressed_kib`, what
 * the budget counts), against a hub started as `npm start` starts it. The
 * uncompressed size is printed beside it. The console's budget is 1 MB
 * compressed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startHubProcess } from '../clients/harness/hub-process.js';
import { PATHS } from '../server/paths.js';

const CHROMIUM = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';

export async function consoleScenario(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-bench-console-'));
  const hub = await startHubProcess({ VIGIE_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await (await browser.newContext()).newPage();
    const responses: Promise<{ url: string; wire: number; body: number; encoding: string }>[] = [];
    page.on('response', (r) =>
      responses.push(
        (async () => {
          const sizes = await r.request().sizes();
          return { url: r.url(), wire: sizes.responseBodySize, body: (await r.body().catch(() => Buffer.alloc(0))).length, encoding: (await r.allHeaders())['content-encoding'] ?? 'identity' };
        })(),
      ),
    );
    await page.goto(`${hub.url}/console/`, { waitUntil: 'networkidle' });
    // The first view (the welcome of a device without keys) is on screen: libsodium's module is in the bundle.
    await page.waitForSelector('main h1');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const firstView = (await Promise.all(responses)).reduce((a, r) => a + r.wire, 0);
    // libsodium's chunk, fetched as the console fetches it when it first needs keys.
    const chunk = readdirSync(join(PATHS.console, 'assets')).find((f) => /^libsodium.*\.js$/.test(f));
    if (!chunk) throw new Error('no libsodium chunk in the console build');
    await page.evaluate(async (src) => void (await import(src)), `/console/assets/${chunk}`);
    await page.waitForLoadState('networkidle');
    const all = await Promise.all(responses);
    const kib = (n: number) => Math.round((n / 1024) * 10) / 10;
    const wire = all.reduce((a, r) => a + r.wire, 0);
    const body = all.reduce((a, r) => a + r.body, 0);
    process.stdout.write(
      `${JSON.stringify({
        scenario: 'console',
        requests: all.length,
        first_view_kib: kib(firstView),
        compressed_kib: kib(wire),
        uncompressed_kib: kib(body),
        budget_kib: 1000,
        encodings: [...new Set(all.map((r) => r.encoding))].join(','),
        largest: all.sort((a, b) => b.wire - a.wire).slice(0, 3).map((r) => `${new URL(r.url).pathname} ${kib(r.wire)} KiB`).join('; '),
      })}\n`,
    );
  } finally {
    await browser.close();
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
