/**
 * The communications register on the wire: one row per disclosure event
 * (accepted, refused, or an escalation step), as `GET /v1/audit/register`
 * serves it and the SDK, the CLI and the demo read it.
 *
 * @example
 * const { rows } = await http.get<{ rows: RegisterRow[] }>('/v1/audit/register', token);
 * rows.filter((r) => r.withoutConsent && r.followUp)
 */
import { Type, type Static } from '@sinclair/typebox';
import { AgencyIdSchema, LEGAL_BASES, MessageTypeSchema } from './schemas.js';

/**
 * What a row of the register records: a disclosure accepted, a message
 * refused (nothing was disclosed), a step of an acknowledgement deadline
 * (unacknowledged, escalated, exhausted: the chain ran out), or the end of
 * its retention (erased). Their words: REGISTER_EVENT_LABELS in vocabulary.ts.
 */
export const REGISTER_EVENTS = ['accepted', 'refused', 'unacknowledged', 'escalated', 'exhausted', 'erased'] as const;
export type RegisterEvent = (typeof REGISTER_EVENTS)[number];

/**
 * The register's filters, as `GET /v1/audit/register` takes them: a period
 * (the hub's times), an agency (an oversight body's auditors only; others
 * read their own agency's), an event, a legal basis, a message type, and
 * whether the basis was something other than the victim's consent.
 */
export const RegisterFiltersSchema = Type.Object(
  {
    agency: Type.Optional(AgencyIdSchema),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    event: Type.Optional(Type.Union(REGISTER_EVENTS.map((e) => Type.Literal(e)))),
    legalBasis: Type.Optional(Type.Union(LEGAL_BASES.map((b) => Type.Literal(b)))),
    messageType: Type.Optional(MessageTypeSchema),
    withoutConsent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RegisterFilters = Static<typeof RegisterFiltersSchema>;

export const RegisterRowSchema = Type.Object({
  index: Type.Integer(),
  at: Type.String(),
  /** One of REGISTER_EVENTS (a newer hub may add others). */
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
