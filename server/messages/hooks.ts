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
  now: Date;
}

/**
 * Seam for protocols, consent and legal bases (invariant 3): called inside
 * the accepting transaction; throws a VigieError refusal to refuse.
 */
export interface DisclosurePolicy {
  authorize(tx: Tx, ctx: AcceptContext): Promise<void>;
}

/**
 * Until the protocols issue lands, the hub checks identity, certificates and
 * recipients only; every authenticated sender may address any registered inbox.
 */
export const identityOnlyPolicy: DisclosurePolicy = { authorize: async () => {} };
