import { desc, eq } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { parseNote, parseVkey, verifyNoteSignature } from '../../protocol/log/note.js';
import type { Db } from '../db/connect.js';
import { logIdentity } from './integrity-tables.js';
import { logCheckpoints } from './tables.js';

/**
 * A hub instance configured with another log origin or key than the log
 * this database holds. The process stops (exit 78, like any configuration
 * error) rather than sign checkpoints that auditors would refuse.
 */
export class LogIdentityError extends Error {
  readonly code = 'LOG_IDENTITY_MISMATCH';
  constructor(
    /** The environment variable to correct. */
    readonly setting: 'VIGIE_DISCLOSURE_LOG_ORIGIN' | 'VIGIE_DISCLOSURE_LOG_KEY_FILE',
    readonly stored: string,
    readonly configured: string,
  ) {
    super(
      setting === 'VIGIE_DISCLOSURE_LOG_ORIGIN'
        ? `Réglage invalide / Invalid setting: VIGIE_DISCLOSURE_LOG_ORIGIN\n` +
            `  Cette base de données tient le journal d’origine « ${stored} »; cette instance est configurée avec « ${configured} ». Toutes les instances d’un carrefour partagent la même origine.\n` +
            `  This database holds the log with origin "${stored}"; this instance is configured with "${configured}". Every instance of one hub shares one origin.`
        : `Réglage invalide / Invalid setting: VIGIE_DISCLOSURE_LOG_KEY_FILE\n` +
            `  Le journal de cette base de données est signé par la clé ${stored}; le fichier de clé de cette instance donne ${configured}. Toutes les instances montent le même fichier de clé du journal.\n` +
            `  The log in this database is signed by key ${stored}; this instance's key file gives ${configured}. Every instance mounts the same log key file.`,
    );
    this.name = 'LogIdentityError';
  }
}

/**
 * Records the log's origin and verifier key at the first start, and checks
 * them at every start. A database that already holds checkpoints but no
 * record (signed before this check existed) is claimed only if its newest
 * checkpoint verifies with this key under this origin.
 */
export async function checkLogIdentity(db: Db, crypto: CryptoPort, configured: { origin: string; vkey: string }): Promise<void> {
  let [stored] = await db.select().from(logIdentity).where(eq(logIdentity.id, 1));
  if (!stored) {
    const [last] = await db.select({ note: logCheckpoints.note }).from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);
    if (last) {
      const note = parseNote(last.note);
      const origin = note.text.slice(0, note.text.indexOf('\n'));
      if (origin !== configured.origin) throw new LogIdentityError('VIGIE_DISCLOSURE_LOG_ORIGIN', origin, configured.origin);
      if (!verifyNoteSignature(crypto, note, parseVkey(crypto, configured.vkey))) {
        throw new LogIdentityError('VIGIE_DISCLOSURE_LOG_KEY_FILE', `(${note.signatures.map((s) => s.name).join(', ')})`, configured.vkey);
      }
    }
    // Two instances starting together on a new database: the first insert wins, the other compares with it.
    await db.insert(logIdentity).values({ id: 1, origin: configured.origin, vkey: configured.vkey }).onConflictDoNothing();
    [stored] = await db.select().from(logIdentity).where(eq(logIdentity.id, 1));
  }
  if (!stored) throw new Error('log identity not recorded');
  if (stored.origin !== configured.origin) throw new LogIdentityError('VIGIE_DISCLOSURE_LOG_ORIGIN', stored.origin, configured.origin);
  if (stored.vkey !== configured.vkey) throw new LogIdentityError('VIGIE_DISCLOSURE_LOG_KEY_FILE', stored.vkey, configured.vkey);
}
