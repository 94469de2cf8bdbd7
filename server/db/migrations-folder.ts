import { PATHS } from '../paths.js';

/** The committed migrations (`dist/migrations` when compiled: `npm run build` copies them there). */
export const MIGRATIONS = PATHS.migrations;
