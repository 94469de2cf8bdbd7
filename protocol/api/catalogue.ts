/**
 * The public catalogue's requests and answers beyond the documents themselves
 * (protocol-document.ts, instrument.ts, consent.ts hold those): protocol and
 * instrument parameters, an instrument's summary, consent queries.
 *
 * @example
 * const list = await http.get(ROUTES.instruments, InstrumentListSchema);
 */
import { Type, type Static } from '@sinclair/typebox';
import { CaseReferenceSchema, ConsentStateSchema, ConsentViewSchema } from '../consent.js';
import { ProtocolViewSchema } from '../protocol-document.js';
import { INSTRUMENT_ID_PATTERN, MAX_VERSION, ProtocolIdSchema, UuidSchema } from '../schemas.js';

export const ProtocolParamsSchema = Type.Object({ id: ProtocolIdSchema });
/** Every protocol version and its status, or the versions of one protocol. */
export const ProtocolViewListSchema = Type.Array(ProtocolViewSchema);
export const ProtocolVersionParamsSchema = Type.Object({ id: ProtocolIdSchema, version: Type.Integer({ minimum: 1, maximum: MAX_VERSION }) });

export const InstrumentParamsSchema = Type.Object({ id: Type.String({ pattern: INSTRUMENT_ID_PATTERN }), version: Type.Integer({ minimum: 1, maximum: MAX_VERSION }) });
export const InstrumentSummarySchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  titles: Type.Object({ fr: Type.String(), en: Type.String() }),
  status: Type.String(),
  levels: Type.Array(Type.String()),
});
export type InstrumentSummary = Static<typeof InstrumentSummarySchema>;
export const InstrumentListSchema = Type.Array(InstrumentSummarySchema);

export const ConsentParamsSchema = Type.Object({ id: UuidSchema });
export const ConsentQuerySchema = Type.Object({ case: Type.Optional(CaseReferenceSchema), state: Type.Optional(ConsentStateSchema) }, { additionalProperties: false });
export type ConsentQuery = Static<typeof ConsentQuerySchema>;
export const ConsentListSchema = Type.Array(ConsentViewSchema);
