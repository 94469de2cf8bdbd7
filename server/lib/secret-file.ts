/**
 * A secret file (a key, a token) is written whole or not at all, mode 0600:
 * under a private name first, then linked into place — which never replaces
 * an existing file — or renamed over the old one when replacing is meant.
 * A process starting at the same moment sees no file or the complete one.
 * Node only: the hub, the CLI and the witness share it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

/** Writes `text` to `path`; false, and nothing written, when `exclusive` and the file exists already. */
export function writeSecretFile(path: string, text: string, { exclusive }: { exclusive: boolean }): boolean {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  try {
    if (exclusive) linkSync(tmp, path);
    else renameSync(tmp, path);
    return true;
  } catch (err) {
    if (exclusive && (err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    if (existsSync(tmp)) unlinkSync(tmp);
  }
}
