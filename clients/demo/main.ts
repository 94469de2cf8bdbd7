/**
 * `npm run demo [-- --exit] [-- --lang en]`: starts the hub on its embedded
 * default (PGlite + a supervised redis-server), enrols a demo shelter and a
 * demo police service bound by the signed shelter–police protocol, records
 * the victim's consent, and carries a danger alert under that consent, then a
 * second one under apprehended danger, end to end, printing each step with its
 * timing. With --exit, exits 0 only once both police acknowledgements reached
 * the shelter's client and the register shows the second alert as a
 * disclosure without consent. Without it, the hub keeps running and the demo
 * prints the console's address and a ready-made account per role (key files
 * to import at once, each with its passphrase), so a newcomer can click
 * through the same story in the browser.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAcceptanceProof, type AcceptanceProof } from '../sdk/audit.js';
import type { OpenedMessage, VerifiedReceipt } from '../sdk/client.js';
import { VigieApiError } from '../sdk/http.js';
import { DANGER_REASONS, DELIVERY_STATE_LABELS, LEGAL_BASIS_LABELS, MESSAGE_TYPE_LABELS, PURPOSES, RECEIPT_KIND_LABELS, labelOf, type Labels } from '../../protocol/vocabulary.js';
import { writeConsoleAccounts } from './console-accounts.js';
import { enrolAgency, enrolDevice, establishProtocol } from '../harness/enrol.js';
import { ROOT, startHubProcess, type HubProcess } from '../harness/hub-process.js';
import type { RegisterRow } from '../../protocol/register.js';
import { preferNodeHttp } from '../sdk/node-http.js';
import { preferNativeSodium } from '../../server/lib/native-sodium.js';
import { RegisterPageSchema } from '../../protocol/api/register.js';
import { ROUTES } from '../../protocol/api/routes.js';

preferNativeSodium();
preferNodeHttp();

const { values: args } = parseArgs({
  options: { exit: { type: 'boolean', default: false }, lang: { type: 'string', default: 'fr' }, timeout: { type: 'string', default: '60' } },
});
const en = args.lang === 'en';
const t0 = performance.now();
const say = (fr: string, english: string) => {
  const ms = (performance.now() - t0).toFixed(0).padStart(6);
  process.stdout.write(`[${ms} ms] ${en ? english : fr}\n`);
};

let hub: HubProcess | null = null;
let dataDir: string | null = null;

async function finish(code: number) {
  await hub?.stop();
  if (dataDir && args.exit) rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}

async function run(): Promise<void> {
  mkdirSync(join(ROOT, 'data'), { recursive: true });
  dataDir = mkdtempSync(join(ROOT, 'data', 'demo-'));
  say('Démarrage du carrefour (PGlite intégré + redis-server supervisé)…', 'Starting the hub (embedded PGlite + supervised redis-server)…');
  hub = await startHubProcess({ VIGIE_DATA_DIR: dataDir });
  say(`Carrefour prêt sur ${hub.url}`, `Hub ready at ${hub.url}`);

  const shelter = await enrolAgency(hub.url, hub.operatorToken, 'maison-demo', 'shelter', { fr: 'Maison d’hébergement (démo)', en: 'Women’s shelter (demo)' }, {
    intake: { fr: 'Intervention', en: 'Intake' },
  });
  say('Maison d’hébergement admise, clé racine inscrite, boîte maison-demo/intake certifiée', 'Shelter admitted, root key registered, inbox maison-demo/intake certified');
  const police = await enrolAgency(hub.url, hub.operatorToken, 'police-demo', 'police', { fr: 'Service de police (démo)', en: 'Police service (demo)' }, {
    dispatch: { fr: 'Répartition', en: 'Dispatch' },
    supervision: { fr: 'Superviseur de relève', en: 'Shift supervisor' },
    'duty-officer': { fr: 'Officier de service', en: 'Duty officer' },
  });
  say(
    'Service de police admis, boîtes police-demo/dispatch, /supervision et /duty-officer certifiées',
    'Police service admitted, inboxes police-demo/dispatch, /supervision and /duty-officer certified',
  );

  const worker = await enrolDevice(hub.url, shelter, 'poste-intervenante-1', ['sender', 'receiver'], ['maison-demo/intake']);
  const officer = await enrolDevice(hub.url, police, 'poste-repartition-1', ['receiver', 'sender'], ['police-demo/dispatch']);
  const officerInCharge = await enrolDevice(hub.url, shelter, 'poste-responsable-acces', ['admin'], []);
  say('Appareils de l’intervenante et du répartiteur certifiés par leur organisme', 'Shelter worker and dispatcher devices certified by their agencies');

  const protocol = await establishProtocol([shelter, police], 'shelter-police', { shelter: 'maison-demo', police: 'police-demo' });
  say(
    `Protocole « ${protocol.document.titles.fr} » (version ${protocol.document.version}) signé par les clés racines des deux organismes : en vigueur`,
    `Protocol "${protocol.document.titles.en}" (version ${protocol.document.version}) signed by both agencies' root keys: in force`,
  );
  const underProtocol = { id: protocol.document.id, version: protocol.document.version };

  // The signed consent form stays at the shelter; the hub keeps its hash.
  const form = en ? 'Consent form DEMO-0001, signed by the victim' : 'Formulaire de consentement DEMO-0001, signé par la victime';
  const consent = await worker.client.recordConsent({
    id: randomUUID(),
    case: 'DEMO-0001',
    recipients: ['police-demo'],
    purposes: ['victim_safety'],
    dataCategories: ['identity', 'location', 'threat'],
    validUntil: new Date(Date.now() + 90 * 86400_000).toISOString(),
    evidenceHash: createHash('sha256').update(form).digest('base64url'),
  });
  say(
    `Maison : consentement de la victime inscrit (dossier DEMO-0001, police-demo, « ${PURPOSES.victim_safety.fr} », jusqu’au ${consent.validUntil!.slice(0, 10)})`,
    `Shelter: victim's consent recorded (case DEMO-0001, police-demo, "${PURPOSES.victim_safety.en}", until ${consent.validUntil!.slice(0, 10)})`,
  );

  const acknowledgements = new Map<string, (r: VerifiedReceipt) => void>();
  const acknowledged = (id: string) => new Promise<VerifiedReceipt>((resolve) => acknowledgements.set(id, resolve));
  const shelterStream = worker.client.stream();
  shelterStream.on('receipt', (r) => {
    const kind = word(RECEIPT_KIND_LABELS, r.receipt.kind);
    say(`Maison : ${r.signer.label} (${r.receipt.inbox}) a signé l’accusé de l’alerte : « ${kind.fr} »`, `Shelter: ${r.signer.label} (${r.receipt.inbox}) signed the alert's receipt: "${kind.en}"`);
    if (r.receipt.kind === 'acknowledged') acknowledgements.get(r.receipt.message)?.(r);
  });
  await shelterStream.open();

  const policeStream = officer.client.stream();
  policeStream.on('message', async (m: OpenedMessage) => {
    const type = word(MESSAGE_TYPE_LABELS, m.header.type);
    const basis = word(LEGAL_BASIS_LABELS, m.header.legalBasis?.code ?? '');
    say(
      `Police : message « ${type.fr} » reçu, fondement : ${basis.fr}; signature de ${m.sender.label} (${m.sender.agency}) vérifiée, contenu déchiffré : ${JSON.stringify(m.content)}`,
      `Police: "${type.en}" message received, basis: ${basis.en}; signature of ${m.sender.label} (${m.sender.agency}) verified, content decrypted: ${JSON.stringify(m.content)}`,
    );
    // The demo plays the dispatcher, who has read the alert. On a real desk, acknowledging is that
    // person's act on this one message: `vigie ack <id>`, or a yes to `vigie listen --ack`'s question.
    await officer.client.acknowledge(m);
    say(
      `Police : la répartitrice a lu l’alerte et la prend en charge (en vrai, son geste : « vigie ack ${m.id} »); prise en charge signée et envoyée`,
      `Police: the dispatcher read the alert and acknowledges it (for real, her own act: "vigie ack ${m.id}"); signed acknowledgement sent`,
    );
  });
  policeStream.on('invalid', ({ error }) => say(`Police : message refusé (${error.message})`, `Police: message refused (${error.message})`));
  await policeStream.open();
  say('Poste de répartition connecté en temps réel', 'Dispatch desk connected in real time');

  const timeoutMs = Number(args.timeout) * 1000;
  const timer = setTimeout(() => {
    say('ÉCHEC : aucune prise en charge n’est parvenue à la maison dans le délai', 'FAILURE: no acknowledgement reached the shelter in time');
    void finish(1);
  }, timeoutMs);

  // Watch for the acknowledgement before sending: it may come back at once.
  const firstId = randomUUID();
  const firstAck = acknowledged(firstId);
  const sent = await worker.client.send({
    id: firstId,
    type: 'danger_alert',
    recipients: ['police-demo/dispatch'],
    dataCategories: ['identity', 'location', 'threat'],
    protocol: underProtocol,
    legalBasis: { code: 'consent', case: 'DEMO-0001', purpose: 'victim_safety' },
    content: {
      text: en
        ? 'The ex-partner threatened to kill the victim tonight; she is at the shelter and consents to police being told.'
        : 'L’ex-conjoint a menacé de tuer la victime ce soir; elle est à la maison d’hébergement et consent à ce que la police soit avisée.',
      case: 'DEMO-0001',
    },
  });
  say(
    `Maison : alerte chiffrée et signée, sous le protocole et le consentement, acceptée durablement par le carrefour (202, id ${sent.id})`,
    `Shelter: alert encrypted and signed, under the protocol and the consent, durably accepted by the hub (202, id ${sent.id})`,
  );
  await firstAck;
  const status = await worker.client.status(sent.id);
  const states = (lang: 'fr' | 'en') => status.recipients.map((r) => `${r.inbox}${lang === 'fr' ? ' : ' : ': '}${labelOf(DELIVERY_STATE_LABELS, r.state, lang)}`).join(', ');
  say(`Statut : ${states('fr')}`, `Status: ${states('en')}`);
  // The disclosure log: the alert is a leaf, and its acceptance proof verifies offline against the log key.
  const accepted = await eventuallyProof(() => worker.client.fetchAcceptanceProof(sent.id));
  const logKey = (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim();
  const proof = await verifyAcceptanceProof(accepted, { logKey });
  // Kept beside the demo's data directory, so that it outlives `--exit`.
  const proofFile = join(ROOT, 'data', `${sent.id}.tlog-proof.json`);
  writeFileSync(proofFile, JSON.stringify(accepted, null, 2));
  if (!proof.ok) {
    say(`ÉCHEC : la preuve d’acceptation ne se vérifie pas (${proof.reason})`, `FAILURE: the acceptance proof does not verify (${proof.reason})`);
    return finish(1);
  }
  say(
    `Journal des communications : alerte inscrite à l’entrée ${accepted.index}, preuve vérifiée hors ligne contre la clé ${logKey.split('+')[0]} (${proofFile})`,
    `Disclosure log: alert recorded as entry ${accepted.index}, acceptance proof verified offline against key ${logKey.split('+')[0]} (${proofFile})`,
  );
  say(`  npx vigie audit prove ${proofFile} --log-key ${logKey}`, `  npx vigie audit prove ${proofFile} --log-key ${logKey}`);

  // Later that night: the victim cannot be reached to consent, and the danger is imminent.
  const secondId = randomUUID();
  const secondAck = acknowledged(secondId);
  const second = await worker.client.send({
    id: secondId,
    type: 'danger_alert',
    recipients: ['police-demo/dispatch'],
    dataCategories: ['identity', 'location', 'threat'],
    protocol: underProtocol,
    legalBasis: {
      code: 'apprehended_danger',
      attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: true },
      reason: 'weapon',
      reference: 'DIR-MAISON-2026-03',
    },
    content: {
      text: en ? 'The ex-partner was seen outside the shelter with a firearm.' : 'L’ex-conjoint a été vu devant la maison d’hébergement avec une arme à feu.',
    },
  });
  say(
    `Maison : seconde alerte, en danger appréhendé (quatre conditions attestées, motif « ${DANGER_REASONS.weapon.fr} », directive DIR-MAISON-2026-03), acceptée (202, id ${second.id})`,
    `Shelter: second alert, under apprehended danger (four conditions attested, reason "${DANGER_REASONS.weapon.en}", directive DIR-MAISON-2026-03), accepted (202, id ${second.id})`,
  );
  await secondAck;
  clearTimeout(timer);

  // The communications register, as the shelter's access officer exports it.
  const register = await eventuallyRegister(async () =>
    officerInCharge.client.http.get(ROUTES.auditRegister, RegisterPageSchema, await officerInCharge.client.accessToken()),
  [sent.id, second.id]);
  for (const row of register.filter((r) => r.event === 'accepted')) {
    say(
      `Registre : ${row.at} « ${word(MESSAGE_TYPE_LABELS, row.messageType).fr} » → ${row.recipients} — ${word(LEGAL_BASIS_LABELS, row.legalBasis).fr}${row.withoutConsent ? ' — COMMUNICATION SANS CONSENTEMENT, suivi écrit requis' : ''} (${row.protocol})`,
      `Register: ${row.at} "${word(MESSAGE_TYPE_LABELS, row.messageType).en}" → ${row.recipients} — ${word(LEGAL_BASIS_LABELS, row.legalBasis).en}${row.withoutConsent ? ' — DISCLOSURE WITHOUT CONSENT, written follow-up required' : ''} (${row.protocol})`,
    );
  }
  const flagged = register.find((r) => r.message === second.id);
  if (!flagged?.withoutConsent || !flagged.followUp || register.find((r) => r.message === sent.id)?.withoutConsent !== false) {
    say('ÉCHEC : le registre ne distingue pas la communication sans consentement', 'FAILURE: the register does not single out the disclosure without consent');
    return finish(1);
  }
  say('Démo réussie : la police a reçu les deux alertes et une personne les a prises en charge; le registre montre la seconde comme communication sans consentement.', 'Demo succeeded: police received both alerts and a person acknowledged them; the register shows the second as a disclosure without consent.');
  if (args.exit) return finish(0);

  // The scripted devices step aside: from here on, people act in the console.
  await Promise.all([shelterStream.close(), policeStream.close()]);
  const oversight = await enrolAgency(hub.url, hub.operatorToken, 'commissaire-demo', 'oversight', { fr: 'Commissaire à la surveillance (démo)', en: 'Oversight commissioner (demo)' }, {});
  const accountsDir = join(dataDir, 'console');
  const accounts = await writeConsoleAccounts(accountsDir, { shelter, police, oversight });
  const width = Math.max(...accounts.map((a) => a.name.length));
  const pass = Math.max(...accounts.map((a) => a.passphrase.length));
  say(`Console : ${hub.url}/console/`, `Console: ${hub.url}/console/`);
  say(
    `Comptes de démonstration : « Importer un fichier de clés de la ligne de commande », choisissez d’un coup les ${accounts.length} fichiers de ${accountsDir}, puis déverrouillez un compte avec sa phrase de passe (un onglet par rôle) :`,
    `Demo accounts: “Import a key file from the command line”, pick the ${accounts.length} files of ${accountsDir} at once, then unlock an account with its passphrase (one tab per role):`,
  );
  for (const a of accounts) {
    say(`  ${a.name.padEnd(width)}  ${a.passphrase.padEnd(pass)}  ${a.role.fr}`, `  ${a.name.padEnd(width)}  ${a.passphrase.padEnd(pass)}  ${a.role.en}`);
  }
  say(
    'Par exemple : l’intervenante ouvre le dossier DEMO-0001 et envoie une alerte; la répartition l’entend arriver, l’ouvre et la prend en charge; sans prise en charge, la supervision est avisée après 5 minutes.',
    'For example: the shelter worker opens case DEMO-0001 and sends an alert; dispatch hears it arrive, opens it and acknowledges it; unacknowledged, the supervisor is notified after 5 minutes.',
  );
  say(`Le carrefour reste actif sur ${hub.url} (Ctrl-C pour arrêter).`, `The hub keeps running at ${hub.url} (Ctrl-C to stop).`);
  process.once('SIGINT', () => void finish(0));
  process.once('SIGTERM', () => void finish(0));
}

/** A code of the shared vocabulary in both languages' words (protocol/vocabulary.ts); an unknown code as is. */
const word = (table: Readonly<Record<string, Labels>>, code: string): Labels => ({ fr: labelOf(table, code, 'fr'), en: labelOf(table, code, 'en') });

/** The register reads the log: wait until both alerts are integrated. */
async function eventuallyRegister(read: () => Promise<{ rows: RegisterRow[] }>, ids: string[]): Promise<RegisterRow[]> {
  for (let i = 0; ; i++) {
    const { rows } = await read();
    if (ids.every((id) => rows.some((r) => r.message === id)) || i > 50) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The log integrates a leaf within its checkpoint gap (a second by default): wait for it. */
async function eventuallyProof(fetchOnce: () => Promise<AcceptanceProof>): Promise<AcceptanceProof> {
  for (let i = 0; ; i++) {
    try {
      return await fetchOnce();
    } catch (err) {
      if (!(err instanceof VigieApiError && err.code === 'RECEIPT_PENDING') || i > 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

run().catch((err) => {
  say(`ÉCHEC : ${(err as Error).message}`, `FAILURE: ${(err as Error).message}`);
  void finish(1);
});
