/**
 * Where the package's own files are, for every process that needs them (the
 * hub, the CLI's templates and instruments, the demo, the tests and the
 * bench), run from the sources (`npm run dev`, tsx) or from the build
 * (`npm start`, the CLI, an installed package): `npm run build` compiles
 * server/, protocol/ and clients/ into dist/ and copies config/ and
 * migrations/ beside them, so the compiled code reads dist/config and
 * dist/migrations, and the sources read config/ and migrations/. The
 * console's bundle is always dist/web (Vite's output).
 *
 * No other module finds a file relative to its own location.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** server/ or dist/server/, whichever this module runs from: the folder above it holds config/ and migrations/. */
const base = dirname(dirname(fileURLToPath(import.meta.url)));

/** The package's root: the folder of its package.json (a checkout, or node_modules/vigie once installed). */
const root = existsSync(join(base, 'package.json')) ? base : dirname(base);

export const PATHS = {
  root,
  /** Settings' defaults (config/default.json). */
  defaults: join(base, 'config', 'default.json'),
  /** The risk instruments (config/instruments/*.json). */
  instruments: join(base, 'config', 'instruments'),
  /** The protocol templates (config/protocols/*.json). */
  protocolTemplates: join(base, 'config', 'protocols'),
  /** The committed SQL migrations. */
  migrations: join(base, 'migrations'),
  /** The console's build (clients/web → dist/web). */
  console: join(root, 'dist', 'web'),
  /** The compiled programs: what `npm start`, `vigie`, `npm run demo`, the image and the tests' processes run. */
  hubMain: join(root, 'dist', 'server', 'main.js'),
  migrate: join(root, 'dist', 'server', 'migrate.js'),
  logKey: join(root, 'dist', 'server', 'log-key.js'),
  /** The `vigie` command, bundled into one file (clients/cli/bundle.mjs). */
  cliBin: join(root, 'dist', 'bin', 'vigie.js'),
  demoMain: join(root, 'dist', 'clients', 'demo', 'main.js'),
} as const;
