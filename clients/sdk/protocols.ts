/**
 * Protocols and consents as clients see them: the hub's views, and the
 * client-side check that a stored version carries every party's root-key
 * signature (so a client never trusts the hub's word that a protocol is signed).
 *
 * @example
 * const signed = await getProtocol(http, 'shelter-police', 1);
 * const missing = unsignedParties(crypto, signed, rootKeys); // [] when every party signed
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import { SignedProtocolSchema, type SignedProtocol } from '../../protocol/protocol-document.js';
import { ProtocolViewListSchema } from '../../protocol/api/catalogue.js';
import { ROUTES, routePath } from '../../protocol/api/routes.js';
import { verifyDocument } from '../../protocol/signing.js';
import type { HubHttp } from './http.js';

export type { ProtocolView } from '../../protocol/protocol-document.js';
export type { ConsentInput, ConsentView } from '../../protocol/consent.js';

export const listProtocols = (http: HubHttp) => http.get(ROUTES.protocols, ProtocolViewListSchema);
export const protocolVersions = (http: HubHttp, id: string) => http.get(routePath(ROUTES.protocol, { id }), ProtocolViewListSchema);
export const getProtocol = (http: HubHttp, id: string, version: number) => http.get(routePath(ROUTES.protocolVersion, { id, version }), SignedProtocolSchema);

/**
 * The parties whose valid root-key signature is missing from a signed
 * protocol, checked against root keys the caller trusts (pinned or proven in the log).
 */
export function unsignedParties(crypto: CryptoPort, signed: SignedProtocol, rootKeys: Readonly<Record<string, string>>): string[] {
  return signed.document.parties
    .map((p) => p.agency)
    .filter((agency) => {
      const key = rootKeys[agency];
      const sig = signed.signatures.find((s) => s.agency === agency);
      return !key || !sig || !verifyDocument(crypto, 'protocol', { document: signed.document, signature: sig.signature }, fromB64u(key));
    });
}
