/**
 * An agency's own lists as its administrators read them (its inboxes are
 * public: agencies.ts): its member devices and the invitations it issued,
 * read with the agency's root key or by a member device holding the admin
 * role. Every member certificate is checked against the agency's root key here: a device the
 * hub lists but the agency never certified is flagged, not believed.
 *
 * @example
 * const members = await agencyMembers(http, crypto, 'shelter-laval', { token: await client.accessToken() }, rootKey);
 * members.filter((m) => !m.revokedAt).map((m) => m.label);
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import { deviceFingerprint } from '../../protocol/fingerprint.js';
import { AgencyInvitationsSchema, AgencyMembersSchema } from '../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../protocol/api/routes.js';
import { verifyDocument } from '../../protocol/signing.js';
import type { InvitationState } from './admin.js';
import type { HubHttp } from './http.js';

/** How a request to an agency's own lists is authorized: a bearer token (admin role) or a root-key request. */
export type AgencyReadAuth = { authorization: string } | { token: string };

export interface AgencyMember {
  member: string;
  label: string;
  roles: string[];
  inboxes: string[];
  enrolledAt: string;
  revokedAt: string | null;
  /** The device's fingerprint, as it shows it (to compare aloud). */
  fingerprint: string;
  /** False when the agency's root key did not sign the certificate the hub serves: an alarm, never a member. */
  certified: boolean;
}

export interface AgencyInvitation extends InvitationState {
  createdAt: string;
  /** The answering device's fingerprint, once a device answered. */
  fingerprint: string | null;
}

const options = (auth: AgencyReadAuth) => ('token' in auth ? { token: auth.token } : { authorization: auth.authorization });

/** The agency's member devices, oldest first, each certificate checked against `rootKey` (base64url). */
export async function agencyMembers(http: HubHttp, crypto: CryptoPort, agency: string, auth: AgencyReadAuth, rootKey: string): Promise<AgencyMember[]> {
  const rows = await http.request('GET', routePath(ROUTES.agencyMembers, { agency }), AgencyMembersSchema, options(auth));
  const root = fromB64u(rootKey);
  return rows.map((r) => {
    const doc = r.certificate.document;
    const certified = verifyDocument(crypto, 'member-certificate', r.certificate, root) && doc.member === r.member && doc.agency === agency;
    return {
      member: r.member,
      label: doc.label,
      roles: doc.roles,
      inboxes: doc.inboxes,
      enrolledAt: r.enrolledAt,
      revokedAt: r.revokedAt,
      fingerprint: deviceFingerprint((d) => crypto.sha256(d), doc),
      certified,
    };
  });
}

/** The invitations the agency issued, newest first, with the fingerprint of each device that answered. */
export async function agencyInvitations(http: HubHttp, crypto: CryptoPort, agency: string, auth: AgencyReadAuth): Promise<AgencyInvitation[]> {
  const rows = await http.request('GET', routePath(ROUTES.agencyInvitations, { agency }), AgencyInvitationsSchema, options(auth));
  return rows.map((r) => ({ ...r, fingerprint: r.device ? deviceFingerprint((d) => crypto.sha256(d), r.device) : null }));
}
