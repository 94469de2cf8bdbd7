/**
 * The demo's ready-made console accounts: one sealed key file per role
 * (sealed exactly as `vigie keys` seals them, under a passphrase printed by
 * the demo), so a newcomer imports them all at once in the console and opens
 * each role with its passphrase. Demo only: a real device makes its own keys
 * in the browser (an invitation) and its passphrase is never printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealKeyFile } from '../../protocol/keyfile.js';
import type { Role } from '../../protocol/schemas.js';
import { loadSodium } from '../../protocol/sodium.js';
import { newMemberKeys, publicMemberKeys, type AgencyKeys, type MemberKeys } from '../sdk/keys.js';
import type { EnrolledAgency } from '../harness/enrol.js';

export interface ConsoleAccount {
  /** The file's name without `.key`: the account's name on the unlock screen. */
  name: string;
  passphrase: string;
  /** What this account does, in both languages. */
  role: { fr: string; en: string };
}

interface Wanted {
  name: string;
  passphrase: string;
  role: { fr: string; en: string };
  /** A member device to certify, or the agency's own root key. */
  device?: { agency: EnrolledAgency; label: string; roles: Role[]; inboxes: string[] };
  rootOf?: EnrolledAgency;
}

/**
 * Certifies a device per member role, writes every account's key file into
 * `dir`, and returns what to print. Files are sealed with the interactive
 * Argon2id cost, so each unlock takes a moment in a browser.
 */
export async function writeConsoleAccounts(dir: string, parties: { shelter: EnrolledAgency; police: EnrolledAgency; oversight: EnrolledAgency }): Promise<ConsoleAccount[]> {
  const { shelter, police, oversight } = parties;
  const s = shelter.keys.agency;
  const p = police.keys.agency;
  const wanted: Wanted[] = [
    {
      name: '1-intervenante-maison',
      passphrase: 'demo-intervenante',
      role: { fr: 'intervenante de la maison : dossiers, consentements, grille, alertes', en: 'shelter worker: cases, consents, risk grid, alerts' },
      device: { agency: shelter, label: 'Intervenante (console)', roles: ['sender', 'receiver'], inboxes: [`${s}/intake`] },
    },
    {
      name: '2-repartition-police',
      passphrase: 'demo-repartition',
      role: { fr: 'répartition de la police : reçoit les alertes, les prend en charge', en: 'police dispatch: receives alerts, acknowledges them' },
      device: { agency: police, label: 'Répartition (console)', roles: ['receiver', 'sender'], inboxes: [`${p}/dispatch`] },
    },
    {
      name: '3-supervision-police',
      passphrase: 'demo-supervision',
      role: { fr: 'superviseure de relève : avisée quand une alerte attend', en: 'shift supervisor: notified when an alert waits' },
      device: { agency: police, label: 'Supervision (console)', roles: ['receiver'], inboxes: [`${p}/supervision`] },
    },
    {
      name: '4-administration-maison',
      passphrase: 'demo-administration',
      role: { fr: 'administration de la maison : boîtes, membres, invitations, protocoles', en: 'shelter administration: inboxes, members, invitations, protocols' },
      rootOf: shelter,
    },
    {
      name: '5-administration-police',
      passphrase: 'demo-administration-police',
      role: { fr: 'administration de la police', en: 'police administration' },
      rootOf: police,
    },
    {
      name: '6-verification-commissaire',
      passphrase: 'demo-verification',
      role: { fr: 'vérificatrice d’un organisme de surveillance : registre, journal, preuves', en: 'oversight auditor: register, log, proofs' },
      device: { agency: oversight, label: 'Vérification (console)', roles: ['auditor'], inboxes: [] },
    },
  ];
  const crypto = await loadSodium();
  mkdirSync(dir, { recursive: true });
  const accounts: ConsoleAccount[] = [];
  for (const w of wanted) {
    let secrets: MemberKeys | AgencyKeys;
    if (w.device) {
      secrets = newMemberKeys(crypto, w.device.agency.keys.agency);
      await w.device.agency.admin.enrolMember({ ...publicMemberKeys(secrets), label: w.device.label, roles: w.device.roles, inboxes: w.device.inboxes });
    } else {
      secrets = w.rootOf!.keys;
    }
    writeFileSync(join(dir, `${w.name}.key`), `${JSON.stringify(sealKeyFile(crypto, secrets, w.passphrase, crypto.argon2idInteractive), null, 2)}\n`, { mode: 0o600 });
    accounts.push({ name: w.name, passphrase: w.passphrase, role: w.role });
  }
  return accounts;
}
