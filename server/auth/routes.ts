import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { lt } from 'drizzle-orm';
import { AuthMetadataSchema, TokenRequestSchema, TokenResponseSchema } from '../../protocol/api/auth.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { usedAssertions } from './tables.js';
import { VigieError } from '../http/errors.js';
import { findActiveMember } from './members.js';
import type { AuthOptions } from './plugin.js';

const MAX_ASSERTION_LIFETIME = 300;

/**
 * RFC 7523 private_key_jwt: the member signs a short-lived assertion with its
 * device key; the hub checks the signature, the audience, the lifetime, that
 * the assertion was never used, and that the member is active.
 */
export const tokenRoutes: FastifyPluginAsyncTypebox<AuthOptions & { audience: string }> = async (app, opts) => {
  app.get(
    ROUTES.authMetadata,
    {
      schema: {
        tags: ['auth'],
        summary: 'The audience client assertions name, and the hub token-signing key',
        response: { 200: AuthMetadataSchema },
      },
    },
    async () => ({ audience: opts.audience, tokenEndpoint: ROUTES.authToken, keys: [app.hubKey.publicJwk] }),
  );

  app.post(
    ROUTES.authToken,
    {
      schema: {
        tags: ['auth'],
        summary: 'Access token from a device-key assertion (RFC 7523)',
        body: TokenRequestSchema,
        response: { 200: TokenResponseSchema },
      },
    },
    async (request) => {
      const { client_assertion: assertion } = request.body;
      let kid: string | undefined;
      try {
        kid = decodeProtectedHeader(assertion).kid;
      } catch (cause) {
        throw new VigieError('ASSERTION_INVALID', { cause });
      }
      if (!kid) throw new VigieError('ASSERTION_INVALID');
      const member = await findActiveMember(app.db, kid);
      if (!member) throw new VigieError('ASSERTION_INVALID');
      let payload;
      try {
        const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: member.signingKey }, 'EdDSA');
        ({ payload } = await jwtVerify(assertion, key, {
          audience: opts.audience,
          issuer: member.id,
          subject: member.id,
          algorithms: ['EdDSA'],
          requiredClaims: ['jti', 'exp', 'iat'],
          maxTokenAge: MAX_ASSERTION_LIFETIME,
          clockTolerance: opts.clockSkewSeconds,
        }));
      } catch (cause) {
        throw new VigieError('ASSERTION_INVALID', { cause });
      }
      const exp = payload.exp!;
      if (exp - payload.iat! > MAX_ASSERTION_LIFETIME || typeof payload.jti !== 'string' || payload.jti.length > 128) {
        throw new VigieError('ASSERTION_INVALID');
      }
      const now = new Date();
      await app.db.delete(usedAssertions).where(lt(usedAssertions.expiresAt, new Date(now.getTime() - opts.clockSkewSeconds * 1000)));
      const inserted = await app.db
        .insert(usedAssertions)
        .values({ jti: `${member.id}:${payload.jti}`, memberId: member.id, expiresAt: new Date(exp * 1000) })
        .onConflictDoNothing()
        .returning({ jti: usedAssertions.jti });
      if (inserted.length === 0) throw new VigieError('ASSERTION_REPLAYED');
      const { token, expiresAt } = await app.issueAccessToken(member);
      return {
        access_token: token,
        token_type: 'Bearer' as const,
        expires_in: Math.floor((expiresAt.getTime() - now.getTime()) / 1000),
        member: member.id,
        agency: member.agencyId,
        roles: member.roles,
        inboxes: member.inboxes,
      };
    },
  );
};
