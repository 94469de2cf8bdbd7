import { and, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { UUID_PATTERN } from '../../protocol/ids.js';
import type { Role } from '../../protocol/schemas.js';
import type { Db } from '../db/connect.js';
import { preparedOnce } from '../db/prepared.js';
import { rowVersionOf } from '../db/row-versions.js';
import { members } from '../identity/tables.js';

export interface ActiveMember {
  id: string;
  agencyId: string;
  roles: Role[];
  signingKey: string;
  /** Inboxes this device may read (and send from). */
  inboxes: string[];
}

const UUID = new RegExp(UUID_PATTERN);

// Asked on every authenticated request: one round trip, a statement PostgreSQL parses once per connection. With the
// row's version (xmin, which every update changes), for a route whose own statement checks the row again.
const activeMemberRow = preparedOnce((db: Db) =>
  db
    .select({
      id: members.id,
      agencyId: members.agencyId,
      roles: members.roles,
      signingKey: members.signingKey,
      inboxes: sql<string[]>`array(select mi.inbox_id from member_inboxes mi where mi.member_id = ${members.id} order by mi.inbox_id)`,
      rowVersion: rowVersionOf(members),
    })
    .from(members)
    .where(and(eq(members.id, sql.placeholder('id')), isNull(members.revokedAt)))
    .prepare('vigie_active_member_row'),
);

/** The member with this id if it exists and is not revoked. */
export async function findActiveMember(db: Db, id: string): Promise<ActiveMember | null> {
  return (await findActiveMemberRow(db, id))?.member ?? null;
}

/** The member with this id if it exists and is not revoked, and the version of its row (see memberUnchanged). */
export async function findActiveMemberRow(db: Db, id: string): Promise<{ member: ActiveMember; rowVersion: string } | null> {
  if (!UUID.test(id)) return null;
  const [row] = await activeMemberRow(db).execute({ id });
  if (!row) return null;
  const { rowVersion, ...member } = row;
  return { member: { ...member, roles: member.roles as Role[], inboxes: member.inboxes ?? [] }, rowVersion };
}

/**
 * For a statement that acts for a member: true when the member's row is the
 * version `findActiveMemberRow` read (so still not revoked, with the same
 * roles), share-locked until the statement ends. A statement that waited for
 * the lock (a revocation under way) compares the row as committed.
 */
export function memberUnchanged(id: SQLWrapper, rowVersion: SQLWrapper): SQL {
  return sql`exists (select 1 from ${members} where ${members.id} = ${id} and ${rowVersionOf(members)} = ${rowVersion} and ${members.revokedAt} is null for share)`;
}
