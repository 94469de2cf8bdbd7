import type { Flow } from '../../protocol/protocol-document.js';
import type { EnvelopeHeader } from '../../protocol/schemas.js';
import type { ActiveMember } from '../auth/members.js';
import type { SQL } from 'drizzle-orm';
import type { Db } from '../db/connect.js';

/** What the acceptance knows about a message when it asks the policy below. */
export interface AcceptContext {
  header: EnvelopeHeader;
  headerHash: string;
  sender: ActiveMember;
  /** Agency of each recipient inbox. */
  recipientAgencies: Map<string, string>;
  /** Kind of the sender's agency and of each recipient agency. */
  agencyKinds: Map<string, string>;
  now: Date;
}

/** What the policy found: the consent that covers a consent-based message, and each recipient's flow. */
export interface Authorization {
  consent: string | null;
  /** The protocol flow that allows each recipient inbox. */
  flows: Record<string, Flow>;
  /** The protocol version's retention: how long the ciphertext, its key wraps and the case reference are kept. */
  retentionDays: number;
  /** The values of the policy's `guard` placeholders: which facts the decision read, and as which row versions. */
  guard: Record<string, unknown>;
}

/**
 * Protocols, consent and legal bases (invariant 3). `authorize` decides on
 * facts read without locks (those this instance read before, unless
 * `fresh`), and throws a VigieError refusal to refuse; `guard` is a boolean
 * SQL expression, part of the acceptance statement, that is true when those
 * facts are still the database's, share-locking them until the statement
 * ends: the message is stored only then, and decided again otherwise.
 * `server/protocols/policy.ts` is the hub's policy.
 */
export interface DisclosurePolicy {
  authorize(db: Db, ctx: AcceptContext, fresh: boolean): Promise<Authorization>;
  readonly guard: SQL;
}
