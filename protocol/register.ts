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
  /** accepted, refused, unacknowledged, escalated or exhausted */
  event: Type.String(),
  message: Type.String(),
  messageType: Type.String(),
  senderAgency: Type.String(),
  senderInbox: Type.String(),
  recipients: Type.String(),
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
});
export type RegisterRow = Static<typeof RegisterRowSchema>;
