/**
 * Every refusal of the hub has one shape: a stable code, a message in the
 * language asked for (accept-language), and details where they help
 * (server/http/errors.ts lists the codes).
 *
 * @example
 * Value.Check(ErrorAnswerSchema, { error: { code: 'MESSAGE_UNKNOWN', message: 'Message inconnu.' } }) // true
 */
import { Type, type Static } from '@sinclair/typebox';

export const ErrorAnswerSchema = Type.Object({
  error: Type.Object({ code: Type.String({ maxLength: 64 }), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});
export type ErrorAnswer = Static<typeof ErrorAnswerSchema>;
