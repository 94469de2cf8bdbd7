/**
 * The disclosure log's read API: proofs (public: sizes, times and hashes
 * only), and for members the records behind the leaves they may read, with
 * their salts, and a message's acceptance receipt. The checkpoint, the key
 * and the tiles are text and bytes (docs/audit-log.md), not JSON.
 *
 * @example
 * const { proof } = await http.get(routePath(ROUTES.logConsistency, {}, { from: 10, to: 12 }), ConsistencyProofSchema);
 */
import { Type, type Static } from '@sinclair/typebox';
import { UuidSchema } from '../schemas.js';

/** The kinds of leaf the log carries (docs/audit-log.md lists each one's record). */
export const LEAF_TYPES = [
  'message.accepted',
  'message.refused',
  'message.delivered',
  'message.acknowledged',
  'message.escalated',
  'message.erased',
  'consent.recorded',
  'consent.revoked',
  'protocol.submitted',
  'protocol.signed',
  'protocol.activated',
  'protocol.superseded',
  'protocol.retired',
  'protocol.refused',
  'key.agency_registered',
  'key.inbox_registered',
  'key.member_registered',
  'key.member_revoked',
  'key.rotated',
  'register.read',
] as const;
export type LeafType = (typeof LEAF_TYPES)[number];

/**
 * Leaf kinds about the key directory and the partners' agreements: public
 * facts among members, what the records route lists and what a client
 * follows between two checkpoints (clients/sdk/log-verifier.ts).
 */
export const DIRECTORY_KINDS: readonly LeafType[] = LEAF_TYPES.filter((t) => t.startsWith('key.') || t.startsWith('protocol.'));
export const LeafTypeSchema = Type.Union(LEAF_TYPES.map((k) => Type.Literal(k)));

/** A tree size or a leaf index in a query string: a decimal without leading zeros. */
export const CountSchema = Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$' });
/** Message, agency, inbox or member ids. */
const SUBJECT_PATTERN = '^[A-Za-z0-9][A-Za-z0-9/_.-]*$';

/** A checkpoint as the hub serves it: a C2SP signed note (the checkpoint's text, the log's signature, witness cosignatures). */
export const CheckpointNoteSchema = Type.String({ minLength: 1, maxLength: 64 * 1024 });

export const InclusionQuerySchema = Type.Object({ index: CountSchema, size: CountSchema }, { additionalProperties: false });
export const InclusionProofSchema = Type.Object({ index: Type.Integer(), size: Type.Integer(), proof: Type.Array(Type.String()) });
export type InclusionProof = Static<typeof InclusionProofSchema>;

export const ConsistencyQuerySchema = Type.Object({ from: CountSchema, to: CountSchema }, { additionalProperties: false });
export const ConsistencyProofSchema = Type.Object({ from: Type.Integer(), to: Type.Integer(), proof: Type.Array(Type.String()) });
export type ConsistencyProof = Static<typeof ConsistencyProofSchema>;

export const LookupQuerySchema = Type.Object(
  {
    kind: LeafTypeSchema,
    subject: Type.String({ minLength: 1, maxLength: 128, pattern: SUBJECT_PATTERN }),
    size: CountSchema,
    /** The earliest such leaf rather than the latest: a registration happens once, and a later one is a forgery. */
    first: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** A leaf, the canonical record and salt it commits to, and its inclusion proof in the tree of `size`. */
export const LeafAnswerSchema = Type.Object({
  index: Type.Integer(),
  size: Type.Integer(),
  leaf: Type.String(),
  record: Type.String(),
  salt: Type.Union([Type.String(), Type.Null()]),
  proof: Type.Array(Type.String()),
});
export type LeafAnswer = Static<typeof LeafAnswerSchema>;

export const RecordsQuerySchema = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: -1, maximum: Number.MAX_SAFE_INTEGER })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Within the first `size` leaves (a checkpoint the client verified); the newest checkpoint's size when absent. */
    size: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
);
/** One record of the key directory or of a protocol event; `subject` is what the hub indexed it by, and must be what the record names. */
export const DirectoryRecordSchema = Type.Object({
  index: Type.Integer(),
  kind: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  record: Type.String(),
  salt: Type.Union([Type.String(), Type.Null()]),
});
export type DirectoryRecord = Static<typeof DirectoryRecordSchema>;
export const DirectoryRecordsSchema = Type.Object({ records: Type.Array(DirectoryRecordSchema), size: Type.Integer() });

/**
 * Proof that the hub accepted a message, as the hub serves it and as a device
 * saves it (`<message>.tlog-proof.json`): the leaf (the salted commitment the
 * log carries), the record it commits to and its salt (null for a leaf written
 * before commitments, which carries its record), and the tlog-proof bundle.
 */
export const AcceptanceProofSchema = Type.Object(
  {
    message: UuidSchema,
    index: Type.Integer({ minimum: 0 }),
    leaf: Type.String({ maxLength: 64 * 1024 }),
    record: Type.String({ maxLength: 64 * 1024 }),
    salt: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
    bundle: Type.String({ maxLength: 512 * 1024 }),
  },
  { additionalProperties: false },
);
export type AcceptanceProof = Static<typeof AcceptanceProofSchema>;

export const LogMessageParamsSchema = Type.Object({ id: UuidSchema });
/** What follows /v1/log/tile/: `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]` (protocol/log/tiles.ts reads it). */
export const TileParamsSchema = Type.Object({ '*': Type.String() });
