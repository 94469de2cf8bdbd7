/**
 * The register of communications as JSON: a page of rows in log order and the
 * index to read the next page after (null on the last page).
 *
 * @example
 * const page = await http.get(routePath(ROUTES.auditRegister, {}, { format: 'json' }), RegisterPageSchema, token);
 */
import { Type, type Static } from '@sinclair/typebox';
import { RegisterFiltersSchema, RegisterRowSchema } from '../register.js';

export const RegisterQuerySchema = Type.Composite(
  [
    RegisterFiltersSchema,
    Type.Object({
      after: Type.Optional(Type.Integer({ minimum: -1 })),
      format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
    }),
  ],
  { additionalProperties: false },
);
export type RegisterQuery = Static<typeof RegisterQuerySchema>;

export const RegisterPageSchema = Type.Object({ rows: Type.Array(RegisterRowSchema), next: Type.Union([Type.Integer(), Type.Null()]) });
export type RegisterPage = Static<typeof RegisterPageSchema>;
