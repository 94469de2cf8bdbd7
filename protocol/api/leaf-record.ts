/**
 * A leaf's record as members read it (GET /v1/log/lookup, /v1/log/records,
 * a message receipt): canonical JSON with its version, its kind and the hub's
 * time, then the fields of that kind (docs/audit-log.md). Parsed one way by
 * the SDK, the CLI and the console: an object with those three fields, or
 * nothing.
 *
 * @example
 * parseLeafRecord('{"at":"2026-01-01T00:00:00.000Z","message":"…","type":"message.accepted","v":1}')?.type // 'message.accepted'
 * parseLeafRecord('[1,2]') // null
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The fields every record has; the rest depend on `type` (a newer hub may add kinds). */
export const LeafRecordSchema = Type.Object({ v: Type.Literal(1), type: Type.String({ minLength: 1 }), at: Type.String() });
export type LeafRecord = Static<typeof LeafRecordSchema> & Record<string, unknown>;

/** The record, or null when it is not JSON or not a record. */
export function parseLeafRecord(text: string): LeafRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return Value.Check(LeafRecordSchema, parsed) ? parsed : null;
}
