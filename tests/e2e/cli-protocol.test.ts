// `vigie protocol` and `vigie consent` end to end: a real hub on PostgreSQL
// and Redis; a shelter and a police service enrolled through the SDK; then
// the real CLI, run as child processes by the two administrators and a
// shelter worker's device — drafting, signing and submitting the
// shelter–police protocol, checking its signatures, recording and revoking
// the victim's consent, sending under each legal basis, and reading the
// explanation of each refusal.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { enrolAgency, enrolDevice } from '../../clients/harness/enrol.js';
import type { SignedProtocol } from '../../protocol/protocol-document.js';
import { loadSodium } from '../../protocol/sodium.js';
import { startTestHub, tempDir } from '../helpers/env.js';
import { cliRunner, TEST_KEY_COST } from '../helpers/cli.js';
import { writeKeyDir } from '../../clients/harness/key-dir.js';

const PASSPHRASE = 'correct horse battery staple';
const REVOKED_FR = 'La victime a retiré son consentement : seule une communication fondée sur le danger appréhendé ou une obligation légale reste possible.';

const crypto = await loadSodium();
const dir = tempDir(t, 'vigie-cli-protocol');
const hub = await startTestHub(t);

const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-laval', 'shelter', { fr: 'Maison Laval', en: 'Laval shelter' }, {
  intake: { fr: 'Intervention', en: 'Intake' },
  coordination: { fr: 'Intervenante de garde', en: 'On-call worker' },
});
const police = await enrolAgency(hub.url, hub.operatorToken, 'police-laval', 'police', { fr: 'Police Laval', en: 'Laval police' }, {
  dispatch: { fr: 'Répartition', en: 'Dispatch' },
  supervision: { fr: 'Superviseur de relève', en: 'Shift supervisor' },
  'duty-officer': { fr: 'Officier de service', en: 'Duty officer' },
});
const worker = await enrolDevice(hub.url, shelter, 'intervenante-1', ['sender', 'receiver'], ['shelter-laval/intake']);

const home = { shelter: join(dir, 'shelter-admin'), police: join(dir, 'police-admin'), worker: join(dir, 'worker') };
writeKeyDir(crypto, home.shelter, shelter.keys, PASSPHRASE, TEST_KEY_COST);
writeKeyDir(crypto, home.police, police.keys, PASSPHRASE, TEST_KEY_COST);
writeKeyDir(crypto, home.worker, worker.keys, PASSPHRASE, TEST_KEY_COST);

const { run: vigie } = cliRunner(t, { hubUrl: hub.url, cwd: dir, passphrase: PASSPHRASE });

const file = join(dir, 'shelter-police.json');
const consentArgs = ['--protocol', 'shelter-police@1', '--legal-basis', 'consent', '--case', 'DOSSIER-7', '--purpose', 'victim_safety'];
const dangerArgs = ['--protocol', 'shelter-police@1', '--legal-basis', 'apprehended_danger', '--reason', 'death_threat', '--directive', 'DIR-2026-04'];
const ALL_FOUR = ['--attest', 'reasonable-cause,serious-risk,identifiable-person,urgency'];
const toPolice = ['send', '--to', 'police-laval/dispatch'];

t.test('draft, sign by each party, submit, show', async (t) => {
  const [noTemplate, unbound, drafted] = await Promise.all([
    vigie(home.shelter, ['protocol', 'draft']),
    vigie(home.shelter, ['protocol', 'draft', '--template', 'shelter-police', '--party', 'shelter=shelter-laval', '--out', join(dir, 'x.json')]),
    vigie(home.shelter, ['protocol', 'draft', '--template', 'shelter-police', '--party', 'shelter=shelter-laval', '--party', 'police=police-laval', '--out', file]),
  ]);
  t.equal(noTemplate.code, 2, 'no template is a usage error');
  t.match(noTemplate.stderr, /shelter-police — Protocole de collaboration maison d’hébergement – service de police\n\s+rôles : maison d’hébergement \(shelter\), service de police \(police\)/, 'templates and their roles are listed');
  t.equal(unbound.code, 2);
  t.match(unbound.stderr, 'manque : service de police (police). Ex. : --party shelter=shelter-laval --party police=<organisme>');
  t.equal(drafted.code, 0, 'exit 0', { stderr: drafted.stderr });
  t.match(drafted.stdout, `Projet du protocole shelter-police, version 1, écrit dans ${file}`);
  const draftFile = JSON.parse(readFileSync(file, 'utf8')) as SignedProtocol;
  t.same(draftFile.signatures, [], 'a draft carries no signature');
  t.match(draftFile.document.parties, [
    { agency: 'shelter-laval', kind: 'shelter', rootKeyFingerprint: /^[A-Za-z0-9_-]{43}$/ },
    { agency: 'police-laval', kind: 'police', rootKeyFingerprint: /^[A-Za-z0-9_-]{43}$/ },
  ], 'each party with the fingerprint of its root key');
  t.match(drafted.stdout, /shelter-laval — maison d’hébergement — clé racine [0-9a-f]{4}( [0-9a-f]{4}){5}/, 'shown for the parties to compare aloud');
  t.match(drafted.stdout, /compare de vive voix l’empreinte de sa propre clé racine/);

  // A draft that names another root key for the police: the police's administrator refuses to sign it.
  const forged = join(dir, 'forged.json');
  writeFileSync(forged, JSON.stringify({ ...draftFile, document: { ...draftFile.document, parties: [draftFile.document.parties[0], { ...draftFile.document.parties[1], rootKeyFingerprint: 'A'.repeat(43) }] } }));
  const refusedSign = await vigie(home.police, ['protocol', 'sign', '--file', forged, '--yes']);
  t.equal(refusedSign.code, 1, 'not signed');
  t.match(refusedSign.stderr, /Le protocole nomme pour police-laval une clé racine \(0000 0000 .*\) qui n’est pas la vôtre/, 'the administrator is told why');
  t.same((JSON.parse(readFileSync(forged, 'utf8')) as SignedProtocol).signatures, [], 'the file carries no signature');

  const [unconfirmed, shelterSigned] = await Promise.all([
    vigie(home.police, ['protocol', 'sign', '--file', file]),
    vigie(home.shelter, ['protocol', 'sign', '--file', file, '--yes']),
  ]);
  t.equal(unconfirmed.code, 1, 'without --yes and without a terminal, nothing is signed');
  t.match(unconfirmed.stderr, /confirmation requise/);
  t.equal(shelterSigned.code, 0, 'exit 0', { stderr: shelterSigned.stderr });
  t.match(shelterSigned.stdout, 'De : maison d’hébergement (shelter-laval) → À : service de police (police-laval)', 'each flow is summarised before signing');
  t.match(shelterSigned.stdout, 'Types de message : Alerte de danger (danger_alert), Évaluation du risque (risk_assessment), Note\n');
  t.match(shelterSigned.stdout, 'Fondement : Consentement de la victime — finalités : Assurer la sécurité de la victime (victim_safety), Évaluer le risque (risk_assessment)');
  t.match(shelterSigned.stdout, /Prise en charge exigée dans les 5 min pour : Alerte de danger; à défaut : police-laval\/supervision \(dès l’échéance\)/);
  t.match(shelterSigned.stdout, 'Reste à signer : police-laval.');

  const policeSigned = await vigie(home.police, ['protocol', 'sign', '--file', file, '--yes', '--lang', 'en']);
  t.equal(policeSigned.code, 0, 'exit 0', { stderr: policeSigned.stderr });
  t.match(policeSigned.stdout, 'From: shelter (shelter-laval) → To: police service (police-laval)', 'the summary in English');
  t.match(policeSigned.stdout, 'Every party has signed. Next: vigie protocol submit --file');
  t.same((JSON.parse(readFileSync(file, 'utf8')) as SignedProtocol).signatures.map((s) => s.agency), ['shelter-laval', 'police-laval']);

  const submitted = await vigie(home.shelter, ['protocol', 'submit', '--file', file]);
  t.equal(submitted.code, 0, 'exit 0', { stderr: submitted.stderr });
  t.match(submitted.stdout, 'Protocole shelter-police, version 1, soumis : en vigueur.');
  t.match(submitted.stdout, 'Signé par : police-laval, shelter-laval');
  t.match(submitted.stdout, 'Signatures manquantes : —');

  const shown = await vigie(home.worker, ['protocol', 'show', 'shelter-police']);
  t.equal(shown.code, 0, 'exit 0', { stdout: shown.stdout, stderr: shown.stderr });
  t.match(shown.stdout, /version 1 : en vigueur — à compter du .*; signée par police-laval, shelter-laval; manque : —/);
  t.match(shown.stdout, '✓ signature de shelter-laval vérifiée avec sa clé racine épinglée');
  t.match(shown.stdout, '✓ signature de police-laval vérifiée avec sa clé racine épinglée');
  t.match(shown.stdout, 'Chaque partie a signé cette version exacte');
  const pinned = JSON.parse(readFileSync(join(home.worker, 'known-roots.json'), 'utf8')) as Record<string, string>;
  t.same(pinned, { 'shelter-laval': shelter.keys.root.publicKey, 'police-laval': police.keys.root.publicKey }, 'the root keys are pinned');
});

t.test('consent, send under consent, revocation explained, apprehended danger', async (t) => {
  const evidence = join(dir, 'formulaire-signe.pdf');
  writeFileSync(evidence, 'Formulaire de consentement signé — DOSSIER-7');
  const recorded = await vigie(home.worker, [
    'consent', 'record', '--case', 'DOSSIER-7', '--to', 'police-laval', '--purpose', 'victim_safety',
    '--category', 'identity,threat,location', '--evidence', evidence, '--json',
  ]);
  t.equal(recorded.code, 0, 'exit 0', { stderr: recorded.stderr });
  const consent = JSON.parse(recorded.stdout) as { id: string; state: string; evidenceHash: string; case: string };
  t.equal(consent.state, 'active');
  t.equal(consent.evidenceHash, createHash('sha256').update(readFileSync(evidence)).digest('base64url'), 'only the SHA-256 of the evidence reached the hub');

  const sent = await vigie(home.worker, [...toPolice, '--type', 'risk_assessment', '--text', 'Grille remplie : risque élevé.', '--category', 'identity,threat', ...consentArgs]);
  t.equal(sent.code, 0, 'accepted under consent', { stderr: sent.stderr });
  t.match(sent.stdout, /Message envoyé : [0-9a-f-]{36}/);
  t.match(sent.stdout, 'Protocole shelter-police@1; fondement : Consentement de la victime — DOSSIER-7, Assurer la sécurité de la victime.');

  const [revoked, listed] = await Promise.all([
    vigie(home.worker, ['consent', 'revoke', consent.id]),
    vigie(home.worker, ['consent', 'list', '--case', 'DOSSIER-7']),
  ]);
  t.equal(revoked.code, 0, 'exit 0', { stderr: revoked.stderr });
  t.match(revoked.stdout, `Consentement ${consent.id} (dossier DOSSIER-7) révoqué le`);
  t.equal(listed.code, 0, 'exit 0', { stderr: listed.stderr });
  t.match(listed.stdout, 'Finalités : Assurer la sécurité de la victime (victim_safety)');

  const [refused, refusedEn, unattested, danger] = await Promise.all([
    vigie(home.worker, [...toPolice, '--type', 'note', '--text', 'Suivi.', '--category', 'identity', ...consentArgs]),
    vigie(home.worker, [...toPolice, '--type', 'note', '--text', 'Suivi.', '--category', 'identity', ...consentArgs, '--lang', 'en']),
    vigie(home.worker, [...toPolice, '--type', 'danger_alert', '--text', 'x', ...dangerArgs, '--attest', 'reasonable-cause,urgency']),
    vigie(home.worker, [...toPolice, '--type', 'danger_alert', '--text', 'Menace de mort ce soir.', '--category', 'identity,location,threat', ...dangerArgs, ...ALL_FOUR]),
  ]);
  t.equal(refused.code, 1, 'a refusal is exit 1', { stdout: refused.stdout });
  t.match(refused.stderr, 'le carrefour a refusé : La victime a retiré son consentement pour ce dossier. [CONSENT_REVOKED, HTTP 403]');
  t.match(refused.stderr, REVOKED_FR, 'what the refusal means and what remains possible, in French');
  t.notMatch(refused.stderr, /\n\s+at /, 'no stack trace');
  t.equal(refusedEn.code, 1);
  t.match(refusedEn.stderr, 'The victim has withdrawn her consent: only a communication based on apprehended danger or a legal obligation remains possible.');
  t.equal(unattested.code, 2, 'apprehended danger without the four conditions is stopped before anything is signed');
  t.match(unattested.stderr, /manque : Risque sérieux de mort ou de blessures graves \(serious-risk\), Personne ou groupe identifiable \(identifiable-person\)/);
  t.equal(danger.code, 0, 'accepted under apprehended danger', { stderr: danger.stderr });
  t.match(danger.stdout, 'fondement : Danger appréhendé (sans consentement) — Menaces de mort, DIR-2026-04');
});

t.test('a retired protocol allows nothing more', async (t) => {
  const retired = await vigie(home.shelter, ['protocol', 'retire', 'shelter-police', '--yes']);
  t.equal(retired.code, 0, 'exit 0', { stderr: retired.stderr });
  t.match(retired.stdout, 'Protocole shelter-police retiré par shelter-laval le');

  const [refused, shown] = await Promise.all([
    vigie(home.worker, [...toPolice, '--type', 'danger_alert', '--text', 'Menace de mort.', '--category', 'identity,threat', ...dangerArgs, ...ALL_FOUR]),
    vigie(home.worker, ['protocol', 'show', 'shelter-police', '--json']),
  ]);
  t.equal(refused.code, 1, 'refused', { stdout: refused.stdout });
  t.match(refused.stderr, /\[PROTOCOL_RETIRED, HTTP 403\]/);
  t.match(refused.stderr, 'Une partie a retiré ce protocole : aucune de ses versions ne permet plus de communication par le carrefour.');
  t.match(refused.stderr, /911/);
  t.match(refused.stderr, 'Précisions du carrefour : Version shelter-police@1 : retirée.', 'the version’s status, in words');
  t.equal(shown.code, 0, 'exit 0', { stderr: shown.stderr });
  t.match(JSON.parse(shown.stdout), { status: 'retired', verified: true, signatures: [{ state: 'verified' }, { state: 'verified' }] });
});

t.test('a signature that does not verify, or a root key that changed, is reported: exit 4', async (t) => {
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  // The stored signatures, swapped: each is a valid signature, by the other party's key.
  const updated = await db.query(
    `update protocol_signatures s set signature = o.signature from protocol_signatures o
      where s.protocol_id = 'shelter-police' and o.protocol_id = s.protocol_id and o.version = s.version and o.agency_id <> s.agency_id`,
  );
  t.equal(updated.rowCount, 2);
  // Another device that pinned, earlier, another root key for the shelter.
  const other = join(dir, 'other-device');
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 'known-roots.json'), JSON.stringify({ 'shelter-laval': police.keys.root.publicKey }));
  const [shown, swapped] = await Promise.all([
    vigie(home.worker, ['protocol', 'show', 'shelter-police']),
    vigie(other, ['protocol', 'show', 'shelter-police', '--lang', 'en']),
  ]);
  t.equal(shown.code, 4, 'a check found a problem', { stdout: shown.stdout, stderr: shown.stderr });
  t.match(shown.stdout, '✗ la signature de shelter-laval NE SE VÉRIFIE PAS avec sa clé racine');
  t.match(shown.stdout, '✗ la signature de police-laval NE SE VÉRIFIE PAS avec sa clé racine');
  t.match(shown.stdout, /ATTENTION : le carrefour présente la version 1 comme « retirée »/);
  t.equal(swapped.code, 4, { stdout: swapped.stdout, stderr: swapped.stderr });
  t.match(swapped.stdout, '✗ signature of shelter-laval cannot be checked: its root key could not be established (the hub serves another root key than the one pinned on this device)');
  t.same(JSON.parse(readFileSync(join(other, 'known-roots.json'), 'utf8'))['shelter-laval'], police.keys.root.publicKey, 'a pinned root key is never replaced');
});
