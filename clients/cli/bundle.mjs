// `npm run build`, last step: the `vigie` command as one file, dist/bin/vigie.js.
// A desk types `vigie ack` and waits for Node to load the command: from the
// compiled modules that is some three hundred files to resolve, read and
// compile (about 0.3 s of `vigie status`); one bundled file (with TypeBox,
// itself hundreds of files) loads in a third of that. The package's other
// dependencies stay outside: sodium-native is a native addon, the others are
// loaded only when a command needs them.
//
// dist/bin/ sits two levels under the package's root, as dist/server/paths.js
// does: server/paths.ts finds config/ and migrations/ from it the same way.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const bundled = new Set(['@sinclair/typebox']);

await build({
  entryPoints: [new URL('./bin.ts', import.meta.url).pathname],
  outfile: new URL('../../dist/bin/vigie.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(pkg.dependencies).filter((d) => !bundled.has(d)),
  // Bundled CommonJS code asks for `require`, which an ES module does not have.
  banner: { js: "import { createRequire as vigieCreateRequire } from 'node:module'; const require = vigieCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
