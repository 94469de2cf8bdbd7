/**
 * How an agency's root key reads the agency's own lists from the hub (its
 * member devices and invitations) without any member device: an
 * `agency-request` document signed for one method and path at one moment,
 * carried in the `Authorization` header as `Vigie-Agency <base64url(JSON)>`.
 * The hub accepts it for that path only, a few minutes around `at`.
 *
 * @example
 * const header = agencyRequestHeader(crypto, 'shelter-laval', 'GET', '/v1/agencies/shelter-laval/members', rootSecretKey);
 * parseAgencyRequestHeader(header)?.document.path // '/v1/agencies/shelter-laval/members'
 */
import type { CryptoPort } from './crypto-port.js';
import { fromB64u, fromUtf8, toB64u, utf8 } from './encoding.js';
import type { AgencyRequest, SignedDocument } from './schemas.js';
import { signDocument } from './signing.js';

export const AGENCY_REQUEST_SCHEME = 'Vigie-Agency';
/** How far from the hub's clock a request's `at` may be, either way. */
export const AGENCY_REQUEST_WINDOW_SECONDS = 300;

/** The `Authorization` header value of a request signed by the agency's root key. */
export function agencyRequestHeader(crypto: CryptoPort, agency: string, method: 'GET', path: string, rootSecretKey: Uint8Array, at = new Date()): string {
  const document: AgencyRequest = { type: 'agency-request', v: 1, agency, method, path, at: at.toISOString() };
  return `${AGENCY_REQUEST_SCHEME} ${toB64u(utf8(JSON.stringify(signDocument(crypto, 'agency-request', document, rootSecretKey))))}`;
}

/** The signed request an `Authorization` header carries, unchecked; null when it carries none. */
export function parseAgencyRequestHeader(header: string | undefined): SignedDocument<AgencyRequest> | null {
  if (!header?.startsWith(`${AGENCY_REQUEST_SCHEME} `)) return null;
  const value = header.slice(AGENCY_REQUEST_SCHEME.length + 1).trim();
  if (value.length > 2048) return null;
  try {
    const parsed: unknown = JSON.parse(fromUtf8(fromB64u(value)));
    return parsed && typeof parsed === 'object' ? (parsed as SignedDocument<AgencyRequest>) : null;
  } catch {
    return null;
  }
}
