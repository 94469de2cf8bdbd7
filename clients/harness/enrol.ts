import type { ProtocolDocument, SignedProtocol } from '../../protocol/protocol-document.js';
import type { Role } from '../../protocol/schemas.js';
import { loadSodium } from '../../protocol/sodium.js';
import { AgencyAdmin, admitAgency } from '../sdk/admin.js';
import { VigieClient } from '../sdk/client.js';
import { draftFromTemplate } from '../templates.js';
import { newAgencyKeys, newMemberKeys, publicMemberKeys, type AgencyKeys, type MemberKeys } from '../sdk/keys.js';

export interface EnrolledAgency {
  admin: AgencyAdmin;
  keys: AgencyKeys;
}

/** Operator admission, then the administrator registers the root key and certifies the inboxes. */
export async function enrolAgency(
  url: string,
  operatorToken: string,
  agency: string,
  kind: string,
  names: { fr: string; en: string },
  desks: Record<string, { fr: string; en: string }>,
): Promise<EnrolledAgency> {
  const crypto = await loadSodium();
  const keys = newAgencyKeys(crypto, agency);
  const { code } = await admitAgency(url, operatorToken, { agency, kind, names });
  const admin = await AgencyAdmin.create(url, keys);
  await admin.register(code, kind, names);
  for (const [desk, deskNames] of Object.entries(desks)) await admin.createInbox(desk, deskNames);
  return { admin, keys };
}

/** A new device, certified by its agency for these inboxes and roles, connected as a client. */
export async function enrolDevice(
  url: string,
  agency: EnrolledAgency,
  label: string,
  roles: Role[],
  inboxes: string[],
): Promise<{ keys: MemberKeys; client: VigieClient }> {
  const crypto = await loadSodium();
  const keys = newMemberKeys(crypto, agency.keys.agency);
  await agency.admin.enrolMember({ ...publicMemberKeys(keys), label, roles, inboxes });
  const client = await VigieClient.connect({ url, keys });
  return { keys, client };
}

/**
 * Drafts a protocol from a shipped template, has every party's administrator
 * sign it with the root key, and submits it: in force from now. `edit`
 * changes the draft before anyone signs it (the bench's short deadlines).
 */
export async function establishProtocol(
  parties: EnrolledAgency[],
  template: string,
  bindings: Record<string, string>,
  options: { id?: string; version?: number; effectiveFrom?: string; edit?: (draft: ProtocolDocument) => void } = {},
): Promise<SignedProtocol> {
  const rootKeys = Object.fromEntries(parties.map((p) => [p.keys.agency, p.keys.root.publicKey]));
  const { edit, ...draftOptions } = options;
  const document = draftFromTemplate(template, bindings, { ...draftOptions, rootKeys });
  edit?.(document);
  let signed: SignedProtocol = { document, signatures: [] };
  for (const party of parties) signed = party.admin.signProtocol(signed);
  const view = await parties[0]!.admin.submitProtocol(signed);
  if (view.missing.length > 0) throw new Error(`protocol ${view.id} still misses signatures: ${view.missing.join(', ')}`);
  return signed;
}
