/**
 * Tokens (RFC 7523 private_key_jwt): the audience a device's assertion names,
 * and the access token it is exchanged for.
 *
 * @example
 * const { audience } = await http.get(ROUTES.authMetadata, AuthMetadataSchema);
 */
import { Type, type Static } from '@sinclair/typebox';
import { CLIENT_ASSERTION_TYPE } from '../client-assertion.js';

export const AuthMetadataSchema = Type.Object({ audience: Type.String(), tokenEndpoint: Type.String(), keys: Type.Array(Type.Unknown()) });
export type AuthMetadata = Static<typeof AuthMetadataSchema>;

export const TokenRequestSchema = Type.Object(
  {
    grant_type: Type.Literal('client_credentials'),
    client_assertion_type: Type.Literal(CLIENT_ASSERTION_TYPE),
    client_assertion: Type.String({ minLength: 20, maxLength: 4096 }),
  },
  { additionalProperties: false },
);
export type TokenRequest = Static<typeof TokenRequestSchema>;

export const TokenResponseSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  member: Type.String(),
  agency: Type.String(),
  roles: Type.Array(Type.String()),
  inboxes: Type.Array(Type.String()),
});
export type TokenResponse = Static<typeof TokenResponseSchema>;
