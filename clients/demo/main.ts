/**
 * `npm run demo [-- --exit] [-- --lang en]`: starts the hub on its embedded
 * default (PGlite + a supervised redis-server), enrols a demo shelter and a
 * demo police service, and carries one danger alert end to end, printing
 * each step with its timing. With --exit, exits 0 only once the police
 * acknowledgement has reached the shelter's client.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { proveReceipt, type ReceiptFile } from '../sdk/audit.js';
import type { OpenedMessage, VerifiedReceipt } from '../sdk/client.js';
import { VigieApiError } from '../sdk/http.js';
import { enrolAgency, enrolDevice } from './enrol.js';
import { ROOT, startHubProcess, type HubProcess } from './hub-process.js';

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
  });
  say('Service de police admis, boîte police-demo/dispatch certifiée', 'Police service admitted, inbox police-demo/dispatch certified');

  const worker = await enrolDevice(hub.url, shelter, 'poste-intervenante-1', ['sender', 'receiver'], ['maison-demo/intake']);
  const officer = await enrolDevice(hub.url, police, 'poste-repartition-1', ['receiver', 'sender'], ['police-demo/dispatch']);
  say('Appareils de l’intervenante et du répartiteur certifiés par leur organisme', 'Shelter worker and dispatcher devices certified by their agencies');

  const acknowledged = new Promise<VerifiedReceipt>((resolve) => {
    const shelterStream = worker.client.stream();
    shelterStream.on('receipt', (r) => {
      const when = r.receipt.kind === 'delivered' ? ['reçue par l’appareil', 'received by the device'] : ['prise en charge par une personne', 'acknowledged by a person'];
      say(`Maison : accusé « ${r.receipt.kind} » signé par ${r.signer.label} (${r.receipt.inbox}) — alerte ${when[0]}`, `Shelter: signed "${r.receipt.kind}" receipt from ${r.signer.label} (${r.receipt.inbox}) — alert ${when[1]}`);
      if (r.receipt.kind === 'acknowledged') resolve(r);
    });
    void shelterStream.open();
  });

  const policeStream = officer.client.stream();
  policeStream.on('message', async (m: OpenedMessage) => {
    say(
      `Police : alerte ${m.header.type} reçue, signature de ${m.sender.label} (${m.sender.agency}) vérifiée, contenu déchiffré : ${JSON.stringify(m.content)}`,
      `Police: ${m.header.type} received, signature of ${m.sender.label} (${m.sender.agency}) verified, content decrypted: ${JSON.stringify(m.content)}`,
    );
    await officer.client.acknowledge(m);
    say('Police : prise en charge signée et envoyée', 'Police: signed acknowledgement sent');
  });
  policeStream.on('invalid', ({ error }) => say(`Police : message refusé (${error.message})`, `Police: message refused (${error.message})`));
  await policeStream.open();
  say('Poste de répartition connecté en temps réel', 'Dispatch desk connected in real time');

  const sent = await worker.client.send({
    type: 'danger_alert',
    urgency: 'immediate',
    recipients: ['police-demo/dispatch'],
    dataCategories: ['identity', 'location', 'threat'],
    content: {
      text: en
        ? 'Apprehended danger: the ex-partner threatened to kill the victim tonight; she is at the shelter.'
        : 'Danger appréhendé : l’ex-conjoint a menacé de tuer la victime ce soir; elle est à la maison d’hébergement.',
      case: 'DEMO-0001',
    },
  });
  say(`Maison : alerte chiffrée et signée, acceptée durablement par le carrefour (202, id ${sent.id})`, `Shelter: alert encrypted and signed, durably accepted by the hub (202, id ${sent.id})`);

  const timeoutMs = Number(args.timeout) * 1000;
  const timer = setTimeout(() => {
    say('ÉCHEC : aucune prise en charge n’est parvenue à la maison dans le délai', 'FAILURE: no acknowledgement reached the shelter in time');
    void finish(1);
  }, timeoutMs);
  await acknowledged;
  clearTimeout(timer);
  const status = await worker.client.status(sent.id);
  say(`Statut : ${status.recipients.map((r) => `${r.inbox} = ${r.state}`).join(', ')}`, `Status: ${status.recipients.map((r) => `${r.inbox} = ${r.state}`).join(', ')}`);
  // The disclosure log: the alert is a leaf, and its receipt verifies offline against the log key.
  const receipt = await eventuallyReceipt(() => worker.client.fetchReceipt(sent.id));
  const logKey = (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim();
  const proof = await proveReceipt(receipt, { logKey });
  // Kept beside the demo's data directory, so that it outlives `--exit`.
  const receiptFile = join(ROOT, 'data', `${sent.id}.tlog-proof.json`);
  writeFileSync(receiptFile, JSON.stringify(receipt, null, 2));
  if (!proof.ok) {
    say(`ÉCHEC : la preuve d’inscription au journal ne se vérifie pas (${proof.reason})`, `FAILURE: the log receipt does not verify (${proof.reason})`);
    return finish(1);
  }
  say(
    `Journal des communications : alerte inscrite à l’entrée ${receipt.index}, preuve vérifiée hors ligne contre la clé ${logKey.split('+')[0]} (${receiptFile})`,
    `Disclosure log: alert recorded as entry ${receipt.index}, receipt verified offline against key ${logKey.split('+')[0]} (${receiptFile})`,
  );
  say(`  npx vigie audit prove ${receiptFile} --log-key ${logKey}`, `  npx vigie audit prove ${receiptFile} --log-key ${logKey}`);
  say('Démo réussie : la police a reçu l’alerte et une personne l’a prise en charge.', 'Demo succeeded: police received the alert and a person acknowledged it.');
  if (args.exit) return finish(0);
  say(`Le carrefour reste actif sur ${hub.url} (Ctrl-C pour arrêter).`, `The hub keeps running at ${hub.url} (Ctrl-C to stop).`);
  process.once('SIGINT', () => void finish(0));
  process.once('SIGTERM', () => void finish(0));
}

/** The log integrates a leaf within a fraction of a second: wait for it. */
async function eventuallyReceipt(fetchOnce: () => Promise<ReceiptFile>): Promise<ReceiptFile> {
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
