/**
 * The register of communications on the wire: one row per disclosure event
 * (accepted, refused, or an escalation step), as `GET /v1/audit/register`
 * serves it and the SDK, the CLI and the demo read it.
 *
 * @example
 * const { rows } = await http.get<{ rows: RegisterRow[] }>('/v1/audit/register', token);
 * rows.filter((r) => r.withoutConsent && r.followUp)
 */
import { Type, type Static } from '@sinclair/typebox';

export const RegisterRowSchema = Type.Object({
  index: Type.Integer(),
  at: Type.String(),
  /** accepted, refused, unacknowledged, escalated, exhausted, or erased (retention ended) */
  event: Type.String(),
  message: Type.String(),
  messageType: Type.String(),
  senderAgency: Type.String(),
  senderInbox: Type.String(),
  /** The inboxes the message was disclosed to (accepted messages and escalation steps). */
  recipients: Type.String(),
  /** A refused message: the inboxes its sender named, a claim and not parties to a disclosure. */
  declaredRecipients: Type.String(),
  legalBasis: Type.String(),
  legalReference: Type.String(),
  /** A basis other than the victim's consent. */
  withoutConsent: Type.Boolean(),
  dangerReason: Type.String(),
  /** Apprehended danger: written follow-up required. */
  followUp: Type.Boolean(),
  purpose: Type.String(),
  consent: Type.String(),
  protocol: Type.String(),
  dataCategories: Type.String(),
  /** The refusal code of a refused message. */
  reason: Type.String(),
  contentHash: Type.String(),
  /** The leaf at `index` (JSON only): the salted commitment of `record`; check it with protocol/log/commitment.ts. */
  leaf: Type.Optional(Type.String()),
  record: Type.Optional(Type.String()),
  salt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type RegisterRow = Static<typeof RegisterRowSchema>;
