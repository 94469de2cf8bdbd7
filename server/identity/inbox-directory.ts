import { eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db, Tx } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import { agencies, inboxes } from './tables.js';

export interface InboxFacts {
  agencyId: string;
  /** The agency's kind (shelter, police…), which protocols name. */
  kind: string;
}

/**
 * The agency and kind of each inbox, remembered after the first look-up: the
 * hub never moves an inbox to another agency, nor changes an agency's kind,
 * so what was read once stays true. Inboxes that do not exist are not
 * remembered (they may be created later).
 */
export class InboxDirectory {
  private readonly inboxes = new Map<string, InboxFacts>();
  private readonly kinds = new Map<string, string>();

  /** Facts of every inbox that exists among `ids`. */
  async resolve(db: Db | Tx, ids: readonly string[]): Promise<Map<string, InboxFacts>> {
    const out = new Map<string, InboxFacts>();
    const missing: string[] = [];
    for (const id of ids) {
      const known = this.inboxes.get(id);
      if (known) out.set(id, known);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const rows = await db
        .select({ id: inboxes.id, agencyId: inboxes.agencyId, kind: agencies.kind })
        .from(inboxes)
        .innerJoin(agencies, eq(agencies.id, inboxes.agencyId))
        .where(inArray(inboxes.id, missing));
      for (const r of rows) {
        const facts = { agencyId: r.agencyId, kind: r.kind };
        this.inboxes.set(r.id, facts);
        this.kinds.set(r.agencyId, r.kind);
        out.set(r.id, facts);
      }
    }
    return out;
  }

  /** An agency's kind, or null when it does not exist. */
  async agencyKind(db: Db | Tx, id: string): Promise<string | null> {
    const known = this.kinds.get(id);
    if (known) return known;
    const [row] = await db.select({ kind: agencies.kind }).from(agencies).where(eq(agencies.id, id));
    if (row) this.kinds.set(id, row.kind);
    return row?.kind ?? null;
  }
}

/** An envelope's wrap as the acceptance checks it: the inbox and the version of its key the wrap is sealed to. */
export interface WrapKey {
  inbox: string;
  keyVersion: number;
}

/**
 * For a statement that stores a message: true when every wrap of `wrapKeys`
 * (a JSON array of WrapKey, one per inbox) names its inbox's current key
 * version. The inbox rows are share-locked until the statement ends, in the
 * order of their ids (as a revocation locks the inboxes it rotates, so that
 * the two never wait for each other in a cycle): a rotation commits either
 * before the statement (which, having waited, compares the rotated row and
 * is false) or after the message.
 */
export function inboxKeysCurrent(wrapKeys: SQLWrapper): SQL {
  return sql`(select count(*) from (select ${inboxes.id} as id, ${inboxes.keyVersion} as key_version from ${inboxes}
                where ${inboxes.id} in (select w.inbox from jsonb_to_recordset(${wrapKeys}::jsonb) as w(inbox text))
                order by ${inboxes.id} collate "C" for share) as locked
              join jsonb_to_recordset(${wrapKeys}::jsonb) as w(inbox text, "keyVersion" int)
                on locked.id = w.inbox and locked.key_version = w."keyVersion") = jsonb_array_length(${wrapKeys}::jsonb)`;
}

/** The order in which inbox rows are locked for a change: ids compared byte by byte, as `collate "C"` orders them. */
export const inboxLockOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Why inboxKeysCurrent was false: KEY_VERSION_UNKNOWN when a wrap names a
 * version its inbox never had, else INBOX_KEY_ROTATED (the sender seals
 * again to the current key); each names the inboxes.
 */
export async function staleKeyRefusal(db: Db | Tx, wraps: readonly WrapKey[]): Promise<VigieError> {
  const rows = await db.select({ id: inboxes.id, keyVersion: inboxes.keyVersion }).from(inboxes).where(inArray(inboxes.id, wraps.map((w) => w.inbox)));
  const current = new Map(rows.map((r) => [r.id, r.keyVersion]));
  const unknown = wraps.filter((w) => w.keyVersion > (current.get(w.inbox) ?? 0)).map((w) => w.inbox);
  if (unknown.length > 0) return new VigieError('KEY_VERSION_UNKNOWN', { detail: unknown.join(', ') });
  return new VigieError('INBOX_KEY_ROTATED', { detail: wraps.filter((w) => current.get(w.inbox) !== w.keyVersion).map((w) => w.inbox).join(', ') });
}
