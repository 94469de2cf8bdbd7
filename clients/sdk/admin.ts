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
import { fromB64u, toB64u, utf8 } from '../../protocol/encoding.js';
import { wrapInboxKey } from '../../protocol/inbox-keys.js';
import type { PartySignature, ProtocolDocument, ProtocolRetirement, SignedProtocol } from '../../protocol/protocol-document.js';
import type { AgencyRegistration, InboxCertificate, Invitation, MemberCertificate, MemberRevocation, Role } from '../../protocol/schemas.js';
import {
  AdmissionSchema,
  AgencyRegisteredSchema,
  InboxMembersSchema,
  InboxRegisteredSchema,
  InboxRotatedSchema,
  InboxViewSchema,
  InvitationViewSchema,
  MemberEnrolledSchema,
  MemberViewSchema,
  RevokedSchema,
  type AdmissionRequest,
  type InvitationView,
} from '../../protocol/api/identity.js';
import { ProtocolViewListSchema } from '../../protocol/api/catalogue.js';
import { inboxParams, ROUTES, routePath } from '../../protocol/api/routes.js';
import { ProtocolViewSchema } from '../../protocol/protocol-document.js';
import { deviceFingerprint } from '../../protocol/fingerprint.js';
import { randomUuid } from '../../protocol/uuid.js';
import { signDocument, verifyDocument } from '../../protocol/signing.js';
import { loadSodium } from '../../protocol/sodium.js';
import { agencyRequestHeader } from '../../protocol/agency-request.js';
import { HubHttp } from './http.js';
import { agencyInvitations, agencyMembers, type AgencyInvitation, type AgencyMember } from './roster.js';
import { encodePair, publicMemberKeys, type AgencyKeys, type MemberKeys } from './keys.js';

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
    return this.http.post(ROUTES.agencies, { admissionCode, registration: this.sign('agency-registration', document) }, AgencyRegisteredSchema);
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
    await this.http.post(routePath(ROUTES.agencyInboxes, { agency: this.keys.agency }), this.sign('inbox-certificate', document), InboxRegisteredSchema);
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
    return this.http.post(routePath(ROUTES.agencyMembers, { agency: this.keys.agency }), {
      certificate: this.sign('member-certificate', document),
      inboxKeys,
    }, MemberEnrolledSchema);
  }

  /**
   * Invites a person to enrol a device: a one-time code (to hand over in a
   * link or aloud) and the invitation, signed by the root key, naming the
   * label, roles and inboxes the device will get once approved.
   */
  async invite(input: { label: string; roles: Role[]; inboxes: string[]; validHours?: number }): Promise<{ invitation: string; code: string; expiresAt: string }> {
    const code = toB64u(this.crypto.randomBytes(24));
    const expiresAt = new Date(Date.now() + (input.validHours ?? 72) * 3_600_000).toISOString();
    const document: Invitation = {
      type: 'invitation',
      v: 1,
      agency: this.keys.agency,
      invitation: randomUuid(this.crypto),
      label: input.label,
      roles: input.roles,
      inboxes: input.inboxes,
      codeHash: toB64u(this.crypto.sha256(utf8(code))),
      expiresAt,
    };
    await this.http.post(routePath(ROUTES.agencyInvitations, { agency: this.keys.agency }), this.sign('invitation', document), InvitationViewSchema);
    return { invitation: document.invitation, code, expiresAt };
  }

  /**
   * An invitation's state and, once the person answered, the device's public
   * keys and fingerprint (to compare aloud). Its label, roles, inboxes and
   * expiry are read from the invitation as this agency's root key signed it,
   * never from what the hub's database says beside it: a served invitation
   * that this root key did not sign is refused (InvitationError NOT_SIGNED).
   */
  async invitation(id: string): Promise<InvitationState & { fingerprint: string | null }> {
    const state = await this.http.get(routePath(ROUTES.invitation, { invitation: id }), InvitationViewSchema);
    const doc = state.signed?.document;
    if (!doc || doc.invitation !== id || doc.agency !== this.keys.agency || state.agency !== this.keys.agency || !verifyDocument(this.crypto, 'invitation', state.signed, fromB64u(this.keys.root.publicKey))) {
      throw new InvitationError('NOT_SIGNED');
    }
    return {
      ...state,
      label: doc.label,
      roles: doc.roles,
      inboxes: doc.inboxes,
      expiresAt: doc.expiresAt,
      fingerprint: state.device ? deviceFingerprint((d) => this.crypto.sha256(d), state.device) : null,
    };
  }

  /**
   * Approves the device that answered an invitation, after the person and the
   * administrator compared its fingerprint: certifies it with the root key,
   * with the label, roles and inboxes the invitation named.
   */
  async approve(id: string, expectedFingerprint: string) {
    // Read through invitation(): what is certified is what this root key signed.
    const state = await this.invitation(id);
    if (!state.device) throw new InvitationError('NOT_ANSWERED');
    if (state.fingerprint !== expectedFingerprint) throw new InvitationError('FINGERPRINT_MISMATCH');
    return this.enrolMember({ ...state.device, label: state.label, roles: state.roles, inboxes: state.inboxes });
  }

  /** A request to one of this agency's own lists, signed by the root key for that path. */
  private readAuth(path: string) {
    return { authorization: agencyRequestHeader(this.crypto, this.keys.agency, 'GET', path, fromB64u(this.keys.root.secretKey)) };
  }

  /** This agency's member devices, active and revoked, each certificate checked against the root key. */
  members(): Promise<AgencyMember[]> {
    return agencyMembers(this.http, this.crypto, this.keys.agency, this.readAuth(routePath(ROUTES.agencyMembers, { agency: this.keys.agency })), this.keys.root.publicKey);
  }

  /** The invitations this agency issued, newest first, and their state. */
  invitations(): Promise<AgencyInvitation[]> {
    return agencyInvitations(this.http, this.crypto, this.keys.agency, this.readAuth(routePath(ROUTES.agencyInvitations, { agency: this.keys.agency })));
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
    return this.http.post(ROUTES.protocols, signed, ProtocolViewSchema);
  }

  /** Retires a protocol on behalf of this party: no version of it allows a new message. */
  async retireProtocol(protocol: string, retiredAt = now()) {
    const document: ProtocolRetirement = { type: 'protocol-retirement', v: 1, protocol, agency: this.keys.agency, retiredAt };
    return this.http.post(routePath(ROUTES.protocolRetirement, { id: protocol }), this.sign('protocol-retirement', document), ProtocolViewListSchema);
  }

  /**
   * A new key for an inbox, sealed to each member device that reads it but
   * `except`: the next key version, certified by the root key. The member
   * certificates come from the hub, so each is checked against this agency's
   * own root key first: the hub cannot slip in a device of its own. The new
   * pair replaces the old one in `keys` (the caller saves them).
   */
  private async newInboxKey(inbox: string, except: string | null) {
    const desk = inbox.slice(inbox.indexOf('/') + 1);
    const [{ certificate: current }, members] = await Promise.all([
      this.http.get(routePath(ROUTES.inbox, { agency: this.keys.agency, desk }), InboxViewSchema),
      this.http.get(routePath(ROUTES.inboxMembers, { agency: this.keys.agency, desk }), InboxMembersSchema),
    ]);
    const root = fromB64u(this.keys.root.publicKey);
    if (!verifyDocument(this.crypto, 'inbox-certificate', current, root) || current.document.inbox !== inbox) {
      throw new Error(`the hub serves a certificate of ${inbox} that this agency did not sign`);
    }
    const pair = { ...encodePair(this.crypto.boxKeypair()), keyVersion: current.document.keyVersion + 1 };
    const revoked = new Set([...(this.keys.revoked ?? []), ...(except ? [except] : [])]);
    const wraps = members
      .filter((m) => m.member !== except)
      .map((m) => {
        const doc = m.certificate.document;
        if (!verifyDocument(this.crypto, 'member-certificate', m.certificate, root) || doc.member !== m.member || !doc.inboxes.includes(inbox)) {
          throw new Error(`the hub lists for ${inbox} a device this agency did not certify: ${m.member}`);
        }
        if (revoked.has(m.member)) throw new Error(`the hub lists for ${inbox} a device this agency revoked: ${m.member}`);
        return { member: m.member, wrappedKey: wrapInboxKey(this.crypto, fromB64u(pair.secretKey), fromB64u(doc.encryptionKey)) };
      });
    const document: InboxCertificate = { ...current.document, encryptionKey: pair.publicKey, keyVersion: pair.keyVersion, issuedAt: now() };
    return { rotation: { certificate: this.sign('inbox-certificate', document), wraps }, pair };
  }

  /** Rotates an inbox key (e.g. on a schedule): senders encrypt to the new key from then on. */
  async rotateInbox(inbox: string) {
    const { rotation, pair } = await this.newInboxKey(inbox, null);
    const res = await this.http.post(routePath(ROUTES.inboxRotations, inboxParams(inbox)), rotation, InboxRotatedSchema);
    this.keys.inboxes[inbox] = pair;
    return res;
  }

  /**
   * Revokes a device and, in the same request, rotates every inbox key it
   * could read: the new keys are sealed to the remaining members only.
   */
  async revokeMember(member: string) {
    const { certificate } = await this.http.get(routePath(ROUTES.member, { member }), MemberViewSchema);
    // The inboxes the device could read are those its certificate names; one this agency did not sign is no certificate.
    if (!verifyDocument(this.crypto, 'member-certificate', certificate, fromB64u(this.keys.root.publicKey)) || certificate.document.member !== member) {
      throw new Error(`the hub serves for ${member} a certificate this agency did not sign`);
    }
    const readable = certificate.document.inboxes;
    const fresh = await Promise.all(readable.map((inbox) => this.newInboxKey(inbox, member).then((r) => ({ inbox, ...r }))));
    const document: MemberRevocation = { type: 'member-revocation', v: 1, agency: this.keys.agency, member, revokedAt: now() };
    const res = await this.http.post(routePath(ROUTES.agencyRevocations, { agency: this.keys.agency }), {
      ...this.sign('member-revocation', document),
      rotations: fresh.map((f) => f.rotation),
    }, RevokedSchema);
    for (const f of fresh) this.keys.inboxes[f.inbox] = f.pair;
    this.keys.revoked = [...new Set([...(this.keys.revoked ?? []), member])];
    return res;
  }
}

export type InvitationErrorCode = 'NOT_SIGNED' | 'NOT_ANSWERED' | 'FINGERPRINT_MISMATCH';

/**
 * The administrator's device will not approve this invitation: the hub
 * served one this agency's root key did not sign (NOT_SIGNED: its database
 * was changed), no device answered it yet, or the device's fingerprint is not
 * the one the person and the administrator compared.
 */
export class InvitationError extends Error {
  constructor(readonly code: InvitationErrorCode) {
    super(`invitation refused on this device: ${code}`);
    this.name = 'InvitationError';
  }
}

/** An invitation as the hub shows it (GET /v1/invitations/:id). */
export type InvitationState = InvitationView;

/**
 * The invited person's side: submits this device's public keys with the
 * one-time code; the administrator then compares the fingerprint and approves.
 *
 * @example
 * const keys = newMemberKeys(crypto, 'shelter-laval');
 * const { fingerprint } = await answerInvitation(url, { invitation, code }, keys);
 */
export async function answerInvitation(url: string, link: { invitation: string; code: string }, keys: MemberKeys, lang: 'fr' | 'en' = 'fr') {
  const crypto = await loadSodium();
  const device = publicMemberKeys(keys);
  const state = await new HubHttp(url, lang).post(routePath(ROUTES.invitationDevice, { invitation: link.invitation }), {
    code: link.code,
    agency: keys.agency,
    device: { member: device.member, signingKey: device.signingKey, encryptionKey: device.encryptionKey },
  }, InvitationViewSchema);
  return { ...state, fingerprint: deviceFingerprint((d) => crypto.sha256(d), device) };
}

/**
 * The one-time link an administrator gives the invited person: the console's
 * join page on this hub, with the invitation and its code. The CLI reads the
 * same link (`vigie keys join`).
 *
 * @example
 * invitationLink('https://hub.example', { invitation, code }) // 'https://hub.example/console/#/join?i=…&c=…'
 */
export function invitationLink(url: string, link: { invitation: string; code: string }): string {
  return `${new URL('/console/', url).href}#/join?i=${encodeURIComponent(link.invitation)}&c=${encodeURIComponent(link.code)}`;
}

/** The hub, invitation and code an invitation link carries, or null when the text is not one. */
export function parseInvitationLink(text: string): { hub: string; invitation: string; code: string } | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const query = url.hash.split('?')[1];
  if (!/^#\/?join\?/.test(url.hash) || query === undefined) return null;
  const params = new URLSearchParams(query);
  const invitation = params.get('i');
  const code = params.get('c');
  if (!invitation || !code) return null;
  return { hub: url.origin, invitation, code };
}

/**
 * The hub operator's side: admits an agency once. Refusals are VigieApiError
 * with the hub's code (OPERATOR_TOKEN_INVALID, AGENCY_EXISTS…).
 */
export async function admitAgency(
  url: string,
  operatorToken: string,
  input: AdmissionRequest,
  lang: 'fr' | 'en' = 'fr',
) {
  return new HubHttp(url, lang).post(ROUTES.admissions, input, AdmissionSchema, operatorToken);
}
