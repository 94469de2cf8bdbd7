import { sql } from 'drizzle-orm';
import type { Db } from '../db/connect.js';
import { appendLeaf } from '../disclosure-log/append.js';
import { messageErasedLeaf } from '../disclosure-log/leaves.js';
import { agencyOfInbox } from '../../protocol/ids.js';

/** What the retention sweep erases of a message whose protocol's retention ended. */
export const ERASED_PARTS = ['ciphertext', 'wraps', 'case'] as const;

/**
 * Crypto-shredding at the end of retention: for each message whose
 * protocol's `retention.days` have passed, erases the ciphertext, the key
 * wraps (without them the hub's database can no longer yield the content
 * key to anyone) and the case reference of the signed header. Copies made
 * before — recipients' devices, backups — are outside its reach.
 * The rest of the header, the deliveries and receipts stay, and so do the
 * log leaf and its commitment, which prove that the disclosure happened; a
 * `message.erased` leaf records the erasure. One batch per call, in one
 * transaction; rows another instance is erasing are skipped.
 */
export async function eraseExpired(db: Db, now: Date, limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const res = (await tx.execute(sql`
      update messages m
      set ciphertext = '', header = (m.header - 'wraps') #- '{legalBasis,case}', erased_at = ${now.toISOString()}::timestamptz
      where m.id in (
        select id from messages
        where erased_at is null and retain_until <= ${now.toISOString()}::timestamptz
        order by retain_until
        limit ${limit}
        for update skip locked)
      returning m.id, m.type, m.sender_agency, m.sender_inbox, m.header->'recipients' as recipients, m.header->'protocol' as protocol, m.retain_until`)) as unknown as {
      rows: { id: string; type: string; sender_agency: string; sender_inbox: string; recipients: string[]; protocol: { id: string; version: number } | null; retain_until: Date | string }[];
    };
    await appendLeaf(
      tx,
      ...res.rows.map((r) =>
        messageErasedLeaf(
          {
            message: r.id,
            messageType: r.type,
            sender: { agency: r.sender_agency, inbox: r.sender_inbox },
            // Accepted messages only: the hub resolved every recipient inbox to its agency, the id's prefix.
            recipients: r.recipients.map((inbox) => ({ inbox, agency: agencyOfInbox(inbox) })),
            protocol: r.protocol,
            retainUntil: new Date(r.retain_until).toISOString(),
            erased: [...ERASED_PARTS],
          },
          now,
        ),
      ),
    );
    return res.rows.length;
  });
}
