import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { ActiveMember } from '../auth/members.js';
import { appendLeaf } from '../disclosure-log/append.js';
import { consentRecordedLeaf, consentRevokedLeaf } from '../disclosure-log/leaves.js';
import type { Db } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import { agencies } from '../identity/tables.js';
import { consents } from './tables.js';
import type { ConsentInput, ConsentState, ConsentView } from '../../protocol/consent.js';

type Row = typeof consents.$inferSelect;

function view(row: Row, now: Date): ConsentView {
  const state: ConsentState = row.revokedAt
    ? 'revoked'
    : row.validUntil && row.validUntil.getTime() <= now.getTime()
      ? 'expired'
      : row.validFrom.getTime() > now.getTime()
        ? 'pending'
        : 'active';
  return {
    id: row.id,
    agency: row.agencyId,
    case: row.caseRef,
    recipients: row.recipients,
    purposes: row.purposes,
    dataCategories: row.dataCategories,
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil?.toISOString() ?? null,
    evidenceHash: row.evidenceHash,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy: row.revokedBy,
    state,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Records a consent for the member's agency (the agency serving the victim).
 * Idempotent for the same id and the same terms; a `consent.recorded` leaf.
 */
export async function recordConsent(db: Db, member: ActiveMember, input: ConsentInput, now = new Date()): Promise<{ consent: ConsentView; created: boolean }> {
  const validFrom = input.validFrom ? new Date(input.validFrom) : now;
  const validUntil = input.validUntil ? new Date(input.validUntil) : null;
  if (validUntil && validUntil.getTime() <= validFrom.getTime()) throw new VigieError('CONSENT_PERIOD_INVALID');
  const known = await db.select({ id: agencies.id }).from(agencies).where(inArray(agencies.id, input.recipients));
  const unknown = input.recipients.filter((r) => !known.some((k) => k.id === r));
  if (unknown.length > 0) throw new VigieError('AGENCY_UNKNOWN', { detail: unknown.join(', ') });

  return db.transaction(async (tx) => {
    const values = {
      id: input.id,
      agencyId: member.agencyId,
      caseRef: input.case,
      recipients: input.recipients,
      purposes: input.purposes,
      dataCategories: input.dataCategories,
      validFrom,
      validUntil,
      evidenceHash: input.evidenceHash,
      recordedBy: member.id,
      recordedAt: now,
    };
    const [inserted] = await tx.insert(consents).values(values).onConflictDoNothing().returning();
    if (!inserted) {
      const [row] = await tx.select().from(consents).where(eq(consents.id, input.id));
      const same =
        row &&
        row.agencyId === member.agencyId &&
        row.caseRef === input.case &&
        sameSet(row.recipients, input.recipients) &&
        sameSet(row.purposes, input.purposes) &&
        sameSet(row.dataCategories, input.dataCategories) &&
        row.evidenceHash === input.evidenceHash &&
        (row.validUntil?.getTime() ?? null) === (validUntil?.getTime() ?? null);
      if (!same) throw new VigieError('CONSENT_EXISTS');
      return { consent: view(row, now), created: false };
    }
    await appendLeaf(
      tx,
      consentRecordedLeaf(
        {
          consent: inserted.id,
          agency: member.agencyId,
          recipients: input.recipients,
          purposes: input.purposes,
          dataCategories: input.dataCategories,
          validFrom: validFrom.toISOString(),
          validUntil: validUntil?.toISOString() ?? null,
          evidenceHash: input.evidenceHash,
          member: member.id,
        },
        now,
      ),
    );
    return { consent: view(inserted, now), created: true };
  });
}

/**
 * Revokes a consent at once: the UPDATE waits for messages being accepted
 * under it (they share-lock the row), and every later message is refused.
 */
export async function revokeConsent(db: Db, member: ActiveMember, id: string, clock: () => Date = () => new Date()): Promise<ConsentView> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(consents).where(eq(consents.id, id)).for('update');
    // Read the clock once the lock is held: messages accepted before it carry earlier times.
    const now = clock();
    // Another agency's consent does not exist for this member.
    if (!row || row.agencyId !== member.agencyId) throw new VigieError('CONSENT_UNKNOWN');
    if (row.revokedAt) return view(row, now);
    const [updated] = await tx.update(consents).set({ revokedAt: now, revokedBy: member.id }).where(eq(consents.id, id)).returning();
    await appendLeaf(tx, consentRevokedLeaf({ consent: id, agency: member.agencyId, member: member.id, revokedAt: now.toISOString() }, now));
    return view(updated!, now);
  });
}

export async function listConsents(db: Db, member: ActiveMember, filter: { case?: string; state?: ConsentState }, now = new Date()): Promise<ConsentView[]> {
  const where: SQL[] = [eq(consents.agencyId, member.agencyId)];
  if (filter.case) where.push(eq(consents.caseRef, filter.case));
  const rows = await db.select().from(consents).where(and(...where)).orderBy(asc(consents.recordedAt), asc(consents.id)).limit(1000);
  return rows.map((r) => view(r, now)).filter((v) => !filter.state || v.state === filter.state);
}

export async function getConsent(db: Db, member: ActiveMember, id: string, now = new Date()): Promise<ConsentView> {
  const [row] = await db.select().from(consents).where(eq(consents.id, id));
  if (!row || row.agencyId !== member.agencyId) throw new VigieError('CONSENT_UNKNOWN');
  return view(row, now);
}
