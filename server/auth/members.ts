import { and, eq, isNull } from 'drizzle-orm';
import { UUID_PATTERN } from '../../protocol/ids.js';
import type { Role } from '../../protocol/schemas.js';
import type { Db } from '../db/connect.js';
import { memberInboxes, members } from '../identity/tables.js';

export interface ActiveMember {
  id: string;
  agencyId: string;
  roles: Role[];
  signingKey: string;
  /** Inboxes this device may read (and send from). */
  inboxes: string[];
}

const UUID = new RegExp(UUID_PATTERN);

/** The member with this id if it exists and is not revoked. */
export async function findActiveMember(db: Db, id: string): Promise<ActiveMember | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select({ id: members.id, agencyId: members.agencyId, roles: members.roles, signingKey: members.signingKey })
    .from(members)
    .where(and(eq(members.id, id), isNull(members.revokedAt)));
  if (!row) return null;
  const inboxRows = await db.select({ inboxId: memberInboxes.inboxId }).from(memberInboxes).where(eq(memberInboxes.memberId, id));
  return { ...row, roles: row.roles as Role[], inboxes: inboxRows.map((r) => r.inboxId) };
}
