/**
 * What an agency administrator does with the root key: register the agency
 * with the operator's admission code, certify inboxes and member devices,
 * revoke a device. Every document is signed client side; the hub only checks.
 *
 * @example
 * const admin = await AgencyAdmin.create(url, agencyKeys);
 * await admin.register(code, 'shelter', { fr: 'Maison Halte', en: 'Halte House' });
 * await admin.createInbox('intake', { fr: 'Accueil', en: 'Intake' });
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import { wrapInboxKey } from '../../protocol/inbox-keys.js';
import type { PartySignature, ProtocolDocument, ProtocolRetirement, SignedProtocol } from '../../protocol/protocol-document.js';
import type { AgencyRegistration, InboxCertificate, MemberCertificate, MemberRevocation, Role } from '../../protocol/schemas.js';
import { signDocument } from '../../protocol/signing.js';
import { loadSodium } from '../../protocol/sodium.js';
import { HubHttp } from './http.js';
import type { ProtocolView } from './protocols.js';
import { encodePair, type AgencyKeys } from './keys.js';

const now = () => new Date().toISOString();

export class AgencyAdmin {
  readonly http: HubHttp;
  private constructor(
    readonly crypto: CryptoPort,
    url: string,
    readonly keys: AgencyKeys,
    lang: 'fr' | 'en' = 'fr',
  ) {
    this.http = new HubHttp(url, lang);
  }

  static async create(url: string, keys: AgencyKeys, lang: 'fr' | 'en' = 'fr'): Promise<AgencyAdmin> {
    return new AgencyAdmin(await loadSodium(), url, keys, lang);
  }

  private sign<T>(context: Parameters<typeof signDocument>[1], document: T) {
    return signDocument(this.crypto, context, document, fromB64u(this.keys.root.secretKey));
  }

  async register(admissionCode: string, kind: string, names: { fr: string; en: string }) {
    const document: AgencyRegistration = { type: 'agency', v: 1, agency: this.keys.agency, kind, names, rootKey: this.keys.root.publicKey, issuedAt: now() };
    return this.http.post<{ agency: string }>('/v1/agencies', { admissionCode, registration: this.sign('agency-registration', document) });
  }

  /** Creates an inbox key pair (kept in the agency keys) and registers its certificate. */
  async createInbox(desk: string, names: { fr: string; en: string }) {
    const inbox = `${this.keys.agency}/${desk}`;
    const pair = this.keys.inboxes[inbox] ?? { ...encodePair(this.crypto.boxKeypair()), keyVersion: 1 };
    this.keys.inboxes[inbox] = pair;
    const document: InboxCertificate = {
      type: 'inbox',
      v: 1,
      agency: this.keys.agency,
      inbox,
      names,
      encryptionKey: pair.publicKey,
      keyVersion: pair.keyVersion,
      issuedAt: now(),
    };
    await this.http.post(`/v1/agencies/${this.keys.agency}/inboxes`, this.sign('inbox-certificate', document));
    return inbox;
  }

  /** Certifies a member device and seals each inbox key to it. */
  async enrolMember(input: { member: string; signingKey: string; encryptionKey: string; label: string; roles: Role[]; inboxes: string[] }) {
    const document: MemberCertificate = {
      type: 'member',
      v: 1,
      agency: this.keys.agency,
      member: input.member,
      label: input.label,
      signingKey: input.signingKey,
      encryptionKey: input.encryptionKey,
      roles: input.roles,
      inboxes: input.inboxes,
      issuedAt: now(),
    };
    const inboxKeys = input.inboxes.map((inbox) => {
      const pair = this.keys.inboxes[inbox];
      if (!pair) throw new Error(`the agency keys hold no key for inbox ${inbox}`);
      return { inbox, wrappedKey: wrapInboxKey(this.crypto, fromB64u(pair.secretKey), fromB64u(input.encryptionKey)) };
    });
    return this.http.post<{ member: string }>(`/v1/agencies/${this.keys.agency}/members`, {
      certificate: this.sign('member-certificate', document),
      inboxKeys,
    });
  }

  /**
   * Signs the exact canonical form of a protocol version with the root key
   * and adds the signature to those already gathered (replacing an older one of this agency).
   */
  signProtocol(signed: SignedProtocol | ProtocolDocument): SignedProtocol {
    const existing: SignedProtocol = 'document' in signed ? signed : { document: signed, signatures: [] };
    const mine: PartySignature = { agency: this.keys.agency, signature: this.sign('protocol', existing.document).signature };
    return { document: existing.document, signatures: [...existing.signatures.filter((s) => s.agency !== this.keys.agency), mine] };
  }

  /** Submits a version and its signatures; the hub adds them to those it holds and says what is missing. */
  async submitProtocol(signed: SignedProtocol) {
    return this.http.post<ProtocolView>('/v1/protocols', signed);
  }

  /** Retires a protocol on behalf of this party: no version of it allows a new message. */
  async retireProtocol(protocol: string, retiredAt = now()) {
    const document: ProtocolRetirement = { type: 'protocol-retirement', v: 1, protocol, agency: this.keys.agency, retiredAt };
    return this.http.post<ProtocolView[]>(`/v1/protocols/${protocol}/retirement`, this.sign('protocol-retirement', document));
  }

  async revokeMember(member: string) {
    const document: MemberRevocation = { type: 'member-revocation', v: 1, agency: this.keys.agency, member, revokedAt: now() };
    return this.http.post<{ member: string }>(`/v1/agencies/${this.keys.agency}/revocations`, this.sign('member-revocation', document));
  }
}

/**
 * The hub operator's side: admits an agency once. Refusals are VigieApiError
 * with the hub's code (OPERATOR_TOKEN_INVALID, AGENCY_EXISTS…).
 */
export async function admitAgency(
  url: string,
  operatorToken: string,
  input: { agency: string; kind: string; names: { fr: string; en: string }; validHours?: number },
  lang: 'fr' | 'en' = 'fr',
) {
  return new HubHttp(url, lang).post<{ agency: string; code: string; expiresAt: string }>('/v1/admissions', input, operatorToken);
}
