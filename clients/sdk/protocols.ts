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
import type { ProtocolDocument, ProtocolStatus, SignedProtocol } from '../../protocol/protocol-document.js';
import { verifyDocument } from '../../protocol/signing.js';
import type { HubHttp } from './http.js';

export interface ProtocolView {
  id: string;
  version: number;
  status: ProtocolStatus;
  titles: { fr: string; en: string };
  parties: ProtocolDocument['parties'];
  effectiveFrom: string;
  documentHash: string;
  signedBy: string[];
  missing: string[];
  signedAt: string | null;
  retiredAt: string | null;
}

export interface ConsentInput {
  id: string;
  case: string;
  recipients: string[];
  purposes: string[];
  dataCategories: string[];
  validFrom?: string;
  validUntil?: string | null;
  /** base64url SHA-256 of the signed consent form, which stays with the agency. */
  evidenceHash: string;
}

export interface ConsentView extends Required<Omit<ConsentInput, 'validFrom' | 'validUntil'>> {
  agency: string;
  validFrom: string;
  validUntil: string | null;
  recordedBy: string;
  recordedAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  state: 'active' | 'pending' | 'expired' | 'revoked';
}

export const listProtocols = (http: HubHttp) => http.get<ProtocolView[]>('/v1/protocols');
export const protocolVersions = (http: HubHttp, id: string) => http.get<ProtocolView[]>(`/v1/protocols/${encodeURIComponent(id)}`);
export const getProtocol = (http: HubHttp, id: string, version: number) => http.get<SignedProtocol>(`/v1/protocols/${encodeURIComponent(id)}/${version}`);

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
