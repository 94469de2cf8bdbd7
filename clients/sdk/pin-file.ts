/**
 * Pinned root keys kept in a JSON file between runs (Node): written whole or
 * not at all (a temporary file renamed over the old one), mode 0600. A file
 * that exists but cannot be read is an error, never a fresh start: starting
 * over would trust any key again.
 *
 * @example
 * const client = await VigieClient.connect({ url, keys, pinStore: filePinStore('/var/lib/desk/pins.json') });
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PinStore } from './directory.js';

export function filePinStore(path: string): PinStore {
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw err;
      }
      const value = JSON.parse(text) as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
        throw new Error(`${path}: not a file of pinned root keys`);
      }
      return value as Record<string, string>;
    },
    save(pins) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(pins, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}
