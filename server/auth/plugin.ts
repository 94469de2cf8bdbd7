import { createHash, randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { SignJWT, jwtVerify } from 'jose';
import type { Role } from '../../protocol/schemas.js';
import { VigieError } from '../http/errors.js';
import { loadHubSigningKey, type HubSigningKey } from './secrets.js';
import { findActiveMember, findActiveMemberRow, type ActiveMember } from './members.js';
import { tokenRoutes } from './routes.js';
import { bearerOf } from './bearer.js';

declare module 'fastify' {
  interface FastifyRequest {
    member: ActiveMember | null;
    /** With requireMemberRechecked: the version of the member's row as read, which the route's statement checks again (memberUnchanged). */
    memberRow: { version: string; roles: Role[]; fresh: boolean } | null;
  }
  interface FastifyInstance {
    hubKey: HubSigningKey;
    /** This deployment's token audience (see deploymentAudience). */
    audience: string;
    /** Verifies an access token and that its member is still active. */
    authenticateToken(token: string | undefined): Promise<ActiveMember & { tokenExpiresAt: number }>;
    /** preHandler: an authenticated, unrevoked member holding one of `roles` (any role when empty). */
    requireMember(...roles: Role[]): preHandlerHookHandler;
    /**
     * preHandler for a route whose own statement checks the member's row again
     * (memberUnchanged, share-locked until it ends): the member as this instance
     * last read it, without a query. Such a route gives no answer but its
     * success on that word: before any other, it calls `recheckMember`.
     */
    requireMemberRechecked(...roles: Role[]): preHandlerHookHandler;
    /** Reads the request's member again (MEMBER_REVOKED, ROLE_REQUIRED), for a route of requireMemberRechecked. */
    recheckMember(request: FastifyRequest): Promise<ActiveMember>;
    issueAccessToken(member: ActiveMember): Promise<{ token: string; expiresAt: Date }>;
  }
}

export interface AuthOptions {
  audience?: string;
  publicUrl?: string;
  hubKeyFile: string;
  tokenTtlSeconds: number;
  clockSkewSeconds: number;
}

/**
 * The audience of this deployment's tokens and assertions: the configured
 * one, else the origin of the hub's public URL, else one derived from its
 * token-signing key (shared by the instances of one deployment, by no other).
 */
export function deploymentAudience(opts: { audience?: string; publicUrl?: string }, hubKey: HubSigningKey): string {
  if (opts.audience) return opts.audience;
  if (opts.publicUrl) return new URL(opts.publicUrl).origin;
  return `urn:vigie:hub:${createHash('sha256').update(JSON.stringify(hubKey.publicJwk.x)).digest('base64url').slice(0, 22)}`;
}

export const authPlugin = fp<AuthOptions>(
  async (app, opts) => {
    const hubKey = await loadHubSigningKey(opts.hubKeyFile);
    app.decorate('hubKey', hubKey);
    const audience = deploymentAudience(opts, hubKey);
    app.decorate('audience', audience);
    app.decorateRequest('member', null);
    app.decorateRequest('memberRow', null);

    app.decorate('issueAccessToken', async (member: ActiveMember) => {
      const expiresAt = new Date(Date.now() + opts.tokenTtlSeconds * 1000);
      const token = await new SignJWT({ agency: member.agencyId, roles: member.roles })
        .setProtectedHeader({ alg: 'EdDSA', kid: hubKey.kid, typ: 'at+jwt' })
        .setIssuer(audience)
        .setAudience(audience)
        .setSubject(member.id)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .setJti(randomBytes(12).toString('base64url'))
        .sign(hubKey.privateKey);
      return { token, expiresAt };
    });

    // A token whose signature was checked need not be checked again before it expires:
    // the hub signed it and it cannot change. Revocation is still asked of the database.
    // Kept by the token's SHA-256, so that the tokens themselves are not held in memory.
    const verified = new Map<string, { sub: string; exp: number }>();
    const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');
    const VERIFIED_MAX = 10_000;
    function rememberVerified(token: string, sub: string, exp: number) {
      if (verified.size >= VERIFIED_MAX) {
        const now = Date.now() / 1000;
        for (const [t, v] of verified) if (v.exp <= now) verified.delete(t);
        // Still full: forget the oldest (Map iteration follows insertion order).
        if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
      }
      verified.set(keyOf(token), { sub, exp });
    }

    /** The token's member and expiry once its signature, audience and type check (each token's signature once). */
    async function tokenSubject(token: string | undefined): Promise<{ sub: string; exp: number }> {
      if (!token) throw new VigieError('UNAUTHENTICATED');
      const known = verified.get(keyOf(token));
      if (known && known.exp > Date.now() / 1000) return known;
      let sub: string | undefined;
      let exp = 0;
      try {
        const { payload } = await jwtVerify(token, hubKey.publicKey, {
          audience,
          issuer: audience,
          algorithms: ['EdDSA'],
          typ: 'at+jwt',
          clockTolerance: 5,
        });
        sub = payload.sub;
        exp = payload.exp ?? 0;
      } catch (cause) {
        throw new VigieError('TOKEN_INVALID', { cause });
      }
      if (!sub || !exp) throw new VigieError('TOKEN_INVALID');
      rememberVerified(token, sub, exp);
      return { sub, exp };
    }

    app.decorate('authenticateToken', async (token: string | undefined) => {
      const { sub, exp } = await tokenSubject(token);
      // Revocation is checked on every request, not only when the token is issued.
      const member = await findActiveMember(app.db, sub);
      if (!member) throw new VigieError('MEMBER_REVOKED');
      return { ...member, tokenExpiresAt: exp * 1000 };
    });

    const hasRole = (member: ActiveMember, roles: Role[]) => roles.length === 0 || roles.some((r) => member.roles.includes(r));
    const withRole = (member: ActiveMember, roles: Role[]) => {
      if (!hasRole(member, roles)) throw new VigieError('ROLE_REQUIRED');
      return member;
    };

    app.decorate('requireMember', (...roles: Role[]) => {
      return async function requireMember(request: FastifyRequest, _reply: FastifyReply) {
        request.member = withRole(await app.authenticateToken(bearerOf(request)), roles);
      };
    });

    // Members as this instance last read them, with their rows' versions: for routes whose own statement checks the row again.
    const seenMembers = new Map<string, { member: ActiveMember; rowVersion: string }>();
    const readMember = async (id: string) => {
      const found = await findActiveMemberRow(app.db, id);
      if (!found) {
        seenMembers.delete(id);
        throw new VigieError('MEMBER_REVOKED');
      }
      if (seenMembers.size >= VERIFIED_MAX) seenMembers.clear();
      seenMembers.set(id, found);
      return found;
    };

    app.decorate('requireMemberRechecked', (...roles: Role[]) => {
      return async function requireMemberRechecked(request: FastifyRequest, _reply: FastifyReply) {
        const { sub } = await tokenSubject(bearerOf(request));
        const cached = seenMembers.get(sub);
        // A refusal is never on the cached word: a member without the role (or unknown here) is read now.
        const seen = cached && hasRole(cached.member, roles) ? cached : await readMember(sub);
        request.member = withRole(seen.member, roles);
        request.memberRow = { version: seen.rowVersion, roles, fresh: seen !== cached };
      };
    });

    app.decorate('recheckMember', async (request: FastifyRequest) => {
      if (!request.member || !request.memberRow) throw new VigieError('UNAUTHENTICATED');
      const found = await readMember(request.member.id);
      request.member = withRole(found.member, request.memberRow.roles);
      request.memberRow = { version: found.rowVersion, roles: request.memberRow.roles, fresh: true };
      return request.member;
    });

    await app.register(tokenRoutes, { ...opts, audience });
  },
  { name: 'vigie-auth', dependencies: ['vigie-db'] },
);
