import type { Flow } from '../../protocol/protocol-document.js';
import type { EnvelopeHeader } from '../../protocol/schemas.js';
import type { ActiveMember } from '../auth/members.js';
import type { Tx } from '../db/connect.js';

/** What the accepting transaction knows about a message when it asks the seams below. */
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
}

/**
 * Protocols, consent and legal bases (invariant 3): called inside the
 * accepting transaction; throws a VigieError refusal to refuse.
 * `server/protocols/policy.ts` is the hub's policy.
 */
export interface DisclosurePolicy {
  authorize(tx: Tx, ctx: AcceptContext): Promise<Authorization>;
}
