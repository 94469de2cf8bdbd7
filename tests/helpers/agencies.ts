import { createHash, randomUUID } from 'node:crypto';
import { rootKeyFingerprint } from '../../protocol/protocol-document.js';
import { fromB64u } from '../../protocol/encoding.js';
import { enrolAgency, enrolDevice, establishProtocol, type EnrolledAgency } from '../../clients/harness/enrol.js';
import type { SendInput, VigieClient } from '../../clients/sdk/client.js';
import type { MemberKeys } from '../../clients/sdk/keys.js';
import { InboxViewSchema } from '../../protocol/api/identity.js';
import { inboxParams, ROUTES, routePath } from '../../protocol/api/routes.js';

export type Basis = Pick<SendInput, 'protocol' | 'legalBasis' | 'dataCategories'>;

export interface Partners {
  shelter: EnrolledAgency;
  police: EnrolledAgency;
  worker: { keys: MemberKeys; client: VigieClient };
  officer: { keys: MemberKeys; client: VigieClient };
  /** The signed shelter–police protocol and the victim's consent, recorded by the shelter. */
  consentId: string;
  /** Shelter → police under the victim's consent for case DOSSIER-1. */
  underConsent: Basis;
  /** Shelter → police under apprehended danger, attested. */
  underDanger: Basis;
  /** Police → shelter under the victim's consent. */
  policeUnderConsent: Basis;
}

export const SHELTER_POLICE = { id: 'shelter-police', version: 1 } as const;

/** The four conditions attested, a reason code and the shelter's internal directive. */
export const DANGER_BASIS = {
  code: 'apprehended_danger',
  attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: true },
  reason: 'death_threat',
  reference: 'DIR-2026-04',
} as const;

/**
 * A shelter and a police service, each with one inbox and one device, bound by
 * the signed shelter–police protocol, with the victim's consent recorded.
 */
export async function enrolPartners(url: string, operatorToken: string): Promise<Partners> {
  const shelter = await enrolAgency(url, operatorToken, 'shelter-laval', 'shelter', { fr: 'Maison Laval', en: 'Laval shelter' }, {
    intake: { fr: 'Intervention', en: 'Intake' },
  });
  const police = await enrolAgency(url, operatorToken, 'police-laval', 'police', { fr: 'Police Laval', en: 'Laval police' }, {
    dispatch: { fr: 'Répartition', en: 'Dispatch' },
  });
  const worker = await enrolDevice(url, shelter, 'intervenante-1', ['sender', 'receiver'], ['shelter-laval/intake']);
  const officer = await enrolDevice(url, police, 'repartiteur-1', ['sender', 'receiver'], ['police-laval/dispatch']);
  await establishProtocol([shelter, police], 'shelter-police', { shelter: 'shelter-laval', police: 'police-laval' });
  const consentId = randomUUID();
  await worker.client.recordConsent({
    id: consentId,
    case: 'DOSSIER-1',
    recipients: ['police-laval'],
    purposes: ['victim_safety', 'risk_assessment'],
    dataCategories: ['identity', 'contact', 'location', 'threat', 'risk_level', 'violence_history', 'firearms', 'children', 'judicial_status', 'release_conditions'],
    evidenceHash: 'A'.repeat(43),
  });
  const policeConsentId = randomUUID();
  await officer.client.recordConsent({
    id: policeConsentId,
    case: 'EVENEMENT-1',
    recipients: ['shelter-laval'],
    purposes: ['victim_safety'],
    dataCategories: ['identity', 'location', 'threat', 'judicial_status', 'release_conditions'],
    evidenceHash: 'B'.repeat(43),
  });
  return {
    shelter,
    police,
    worker,
    officer,
    consentId,
    underConsent: { protocol: SHELTER_POLICE, legalBasis: { code: 'consent', case: 'DOSSIER-1', purpose: 'victim_safety' }, dataCategories: ['identity', 'threat'] },
    underDanger: { protocol: SHELTER_POLICE, legalBasis: { ...DANGER_BASIS }, dataCategories: ['identity', 'location', 'threat'] },
    policeUnderConsent: { protocol: SHELTER_POLICE, legalBasis: { code: 'consent', case: 'EVENEMENT-1', purpose: 'victim_safety' }, dataCategories: ['release_conditions'] },
  };
}

/** agency id → root public key, as `draftFromTemplate` takes them. */
export const rootKeysOf = (...agencies: EnrolledAgency[]): Record<string, string> => Object.fromEntries(agencies.map((a) => [a.keys.agency, a.keys.root.publicKey]));

/** The fingerprint a protocol document names an enrolled agency's root key by. */
export const fingerprintOf = (agency: EnrolledAgency): string =>
  rootKeyFingerprint((d) => new Uint8Array(createHash('sha256').update(d).digest()), agency.keys.root.publicKey);

/** Stand-in root keys for drafts whose parties are not enrolled (agency id → a valid-looking key). */
export const placeholderRootKeys = (agencies: string[]): Record<string, string> => Object.fromEntries(agencies.map((a) => [a, 'A'.repeat(43)]));

/**
 * Sends as a client that does not anchor its partners' keys in a protocol
 * (the hub's own checks must refuse what the SDK would have stopped first):
 * recipient keys as the hub serves them.
 */
export async function sendUnanchored(client: VigieClient, input: SendInput) {
  const recipients = await Promise.all(
    input.recipients.map(async (inbox) => {
      const res = await client.http.get(routePath(ROUTES.inbox, inboxParams(inbox)), InboxViewSchema);
      return { inbox, encryptionKey: fromB64u(res.certificate.document.encryptionKey), keyVersion: res.certificate.document.keyVersion };
    }),
  );
  return client.resubmit(await client.seal(input, recipients));
}
