// protocol/ runs unchanged in browsers: no `node:` modules, no Buffer or
// process, and only the adapter (sodium.ts) touches libsodium.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../protocol');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Drops comments (TSDoc mentions Buffer or process in prose) but keeps string literals. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

const files = sources(root);

t.test('protocol/ has the expected modules', async (t) => {
  const names = files.map((f) => relative(root, f));
  for (const expected of ['sodium.ts', 'canonical.ts', 'envelope.ts', 'signing.ts', 'index.ts']) t.ok(names.includes(expected), expected);
});

for (const file of files) {
  const name = relative(root, file);
  t.test(name, async (t) => {
    const text = code(readFileSync(file, 'utf8'));
    const imports = specifiers(text);
    for (const spec of imports) {
      t.notOk(spec.startsWith('node:'), `${spec}: no node: modules`);
      t.notOk(['fs', 'path', 'crypto', 'buffer', 'process', 'os', 'url', 'util', 'stream'].includes(spec), `${spec}: no Node built-ins`);
      if (/libsodium/.test(spec)) t.equal(name, 'sodium.ts', `${spec}: only the adapter imports libsodium`);
      if (spec.startsWith('.')) {
        t.match(spec, /\.js$/, `${spec}: relative imports end in .js`);
        t.ok(resolve(dirname(file), spec).startsWith(root + '/'), `${spec}: stays inside protocol/`);
      }
    }
    t.notMatch(text, /\bBuffer\b/, 'no Buffer');
    t.notMatch(text, /\bprocess\b/, 'no process');
    t.notMatch(text, /\brequire\s*\(/, 'no require');
    t.notMatch(text, /\b__dirname\b|\b__filename\b/, 'no CommonJS globals');
  });
}

t.test('the checker itself catches violations', async (t) => {
  t.same(specifiers(`import sodium from 'libsodium-wrappers-sumo';\nexport * from './x.js';\nconst f = await import('node:fs');`), [
    'libsodium-wrappers-sumo',
    './x.js',
    'node:fs',
  ]);
  t.match(code('const b = Buffer.from("x"); // comment'), /\bBuffer\b/);
  t.notMatch(code('/** Buffer */ const x = 1; // process'), /\bBuffer\b|\bprocess\b/);
  t.match(code(`const u = 'https://example.org'; process.exit();`), /\bprocess\b/);
});
