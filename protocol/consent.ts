/**
 * Consents on the wire: what the agency serving the victim records, and what
 * the hub shows back. Metadata only: the signed form stays with the agency,
 * the hub keeps its SHA-256.
 *
 * @example
 * Value.Check(ConsentInputSchema, { id, case: 'DOSSIER-1', recipients: ['police-laval'], purposes: ['victim_safety'],
 *   dataCategories: ['identity'], evidenceHash }) // true
 */
import { Type, type Static } from '@sinclair/typebox';
import { AgencyIdSchema, CASE_REFERENCE_PATTERN, CODE_PATTERN, DATA_CATEGORY_PATTERN, Sha256Schema, TimestampSchema, UuidSchema } from './schemas.js';

export const CaseReferenceSchema = Type.String({ pattern: CASE_REFERENCE_PATTERN, description: 'pseudonymous case reference, never a name' });

export const CONSENT_STATES = ['active', 'pending', 'expired', 'revoked'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export const ConsentStateSchema = Type.Union(CONSENT_STATES.map((s) => Type.Literal(s)));

export const ConsentInputSchema = Type.Object(
  {
    id: UuidSchema,
    case: CaseReferenceSchema,
    recipients: Type.Array(AgencyIdSchema, { minItems: 1, maxItems: 32, uniqueItems: true }),
    purposes: Type.Array(Type.String({ pattern: CODE_PATTERN }), { minItems: 1, maxItems: 16, uniqueItems: true }),
    dataCategories: Type.Array(Type.String({ pattern: DATA_CATEGORY_PATTERN }), { minItems: 1, maxItems: 32, uniqueItems: true }),
    validFrom: Type.Optional(TimestampSchema),
    validUntil: Type.Optional(Type.Union([TimestampSchema, Type.Null()])),
    /** base64url SHA-256 of the signed consent form. */
    evidenceHash: Sha256Schema,
  },
  { additionalProperties: false },
);
export type ConsentInput = Static<typeof ConsentInputSchema>;

export const ConsentViewSchema = Type.Object({
  id: Type.String(),
  agency: Type.String(),
  case: Type.String(),
  recipients: Type.Array(Type.String()),
  purposes: Type.Array(Type.String()),
  dataCategories: Type.Array(Type.String()),
  validFrom: Type.String(),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  evidenceHash: Type.String(),
  recordedBy: Type.String(),
  recordedAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()]),
  state: ConsentStateSchema,
});
export type ConsentView = Static<typeof ConsentViewSchema>;
