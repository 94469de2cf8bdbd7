import { fileURLToPath } from 'node:url';

/** The committed migrations (`dist/migrations` when compiled: `npm run build` copies them there). */
export const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
