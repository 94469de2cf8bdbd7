import { eq } from 'drizzle-orm';
import type { ActiveMember } from '../auth/members.js';
import type { Db } from '../db/connect.js';
import { agencies } from '../identity/tables.js';
import { DIRECTORY_KINDS } from './leaves.js';

/** Agencies whose auditors may read every agency's disclosures (an oversight body). */
export const OVERSIGHT_KINDS = new Set(['oversight']);

/** Whether the member's agency is an oversight body. */
export async function isOversight(db: Db, member: ActiveMember): Promise<boolean> {
  const [own] = await db.select({ kind: agencies.kind }).from(agencies).where(eq(agencies.id, member.agencyId));
  return own ? OVERSIGHT_KINDS.has(own.kind) : false;
}

interface RecordParties {
  agency?: unknown;
  sender?: { agency?: unknown } | null;
  recipients?: unknown;
}

/**
 * Who may read a log record: directory events (keys, protocols) any member;
 * a disclosure its sender's agency and the agencies it was disclosed to (a
 * refusal only its sender's: the recipients it names are the sender's claim);
 * consents and register reads their agency; an oversight body's auditors all.
 */
export async function mayReadRecord(db: Db, member: ActiveMember, kind: string, record: string): Promise<boolean> {
  if ((DIRECTORY_KINDS as readonly string[]).includes(kind)) return true;
  let r: RecordParties;
  try {
    r = JSON.parse(record) as RecordParties;
  } catch {
    return false;
  }
  const own = member.agencyId;
  const isParty =
    r.agency === own ||
    r.sender?.agency === own ||
    (kind !== 'message.refused' && Array.isArray(r.recipients) && r.recipients.some((x: unknown) => (x as { agency?: unknown } | null)?.agency === own));
  if (isParty) return true;
  return member.roles.includes('auditor') && (await isOversight(db, member));
}
