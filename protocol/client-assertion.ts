/**
 * RFC 7523 `private_key_jwt` client assertions: a member device proves
 * possession of its certified Ed25519 key to the hub's token endpoint with a
 * short-lived compact JWS (RFC 7515, alg EdDSA per RFC 8037).
 *
 * @example
 * const assertion = createClientAssertion(crypto, {
 *   member: '0f8fad5b-d9cb-469f-a165-70867728950e',
 *   audience: 'https://hub.example/v1/auth/token',
 *   signingSecretKey: device.secretKey,
 * });
 * // POST client_assertion_type=CLIENT_ASSERTION_TYPE&client_assertion=<assertion>
 */
import type { CryptoPort } from './crypto-port.js';
import { toB64u, utf8 } from './encoding.js';

/** The `client_assertion_type` of RFC 7523 §2.2. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAssertionInput {
  /** The member id: `iss`, `sub` and the header's `kid`. */
  member: string;
  /** The token endpoint URL (`aud`). */
  audience: string;
  /** The member device's Ed25519 secret key (64 bytes). */
  signingSecretKey: Uint8Array;
  /** Default: the current time. */
  now?: Date;
  /** Default: 16 random bytes, base64url. */
  jti?: string;
  /** Default: 60. */
  lifetimeSeconds?: number;
}

/**
 * A compact JWS `b64u(header).b64u(payload).b64u(signature)` with protected
 * header `{"alg":"EdDSA","typ":"JWT","kid":member}` and payload
 * `{iss, sub, aud, jti, iat, exp}` (seconds since the epoch); the Ed25519
 * signature covers the ASCII signing input `b64u(header).b64u(payload)`.
 *
 * @example
 * createClientAssertion(crypto, { member, audience, signingSecretKey, now: new Date(0), lifetimeSeconds: 30 })
 * // 'eyJhbGciOiJFZERTQSIs…' with iat 0 and exp 30
 */
export function createClientAssertion(crypto: CryptoPort, input: ClientAssertionInput): string {
  const lifetime = input.lifetimeSeconds ?? 60;
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0) throw new RangeError('lifetimeSeconds must be a positive integer');
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (!Number.isSafeInteger(iat)) throw new RangeError('invalid now');
  const header = { alg: 'EdDSA', typ: 'JWT', kid: input.member };
  const payload = {
    iss: input.member,
    sub: input.member,
    aud: input.audience,
    jti: input.jti ?? toB64u(crypto.randomBytes(16)),
    iat,
    exp: iat + lifetime,
  };
  const signingInput = `${toB64u(utf8(JSON.stringify(header)))}.${toB64u(utf8(JSON.stringify(payload)))}`;
  const signature = crypto.sign(utf8(signingInput), input.signingSecretKey);
  return `${signingInput}.${toB64u(signature)}`;
}
