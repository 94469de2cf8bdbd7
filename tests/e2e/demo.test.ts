// `npm run demo -- --exit` on the embedded default: the alert under the signed
// shelter–police protocol and the victim's consent, then a second one under
// apprehended danger, which the register shows as a disclosure without consent.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { rawCodes } from '../helpers/raw-codes.js';
import { PATHS } from '../../server/paths.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runDemo(lang: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PATHS.demoMain, '--exit', '--lang', lang], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

t.test('the demo, in French', async (t) => {
  const { code, out } = await runDemo('fr');
  t.equal(code, 0, 'the demo succeeds');
  t.match(out, /Protocole « Protocole de collaboration maison d’hébergement – service de police » \(version 1\) signé par les clés racines des deux organismes : en vigueur/);
  t.match(out, /consentement de la victime inscrit \(dossier DEMO-0001, police-demo, « Assurer la sécurité de la victime »/);
  t.match(out, /Police : message « Alerte de danger » reçu, fondement : Consentement de la victime;/, 'the first alert travels under the consent');
  t.match(out, /Police : message « Alerte de danger » reçu, fondement : Danger appréhendé \(sans consentement\);/, 'the second under apprehended danger');
  t.match(out, /Police : la répartitrice a lu l’alerte et la prend en charge \(en vrai, son geste : « vigie ack [0-9a-f-]{36} »\)/, 'acknowledging is shown as the dispatcher’s act, with the command a person runs');
  t.match(out, /a signé l’accusé de l’alerte : « pris en charge par une personne »/, 'the receipt in words');
  t.match(out, /Statut : police-demo\/dispatch : pris en charge/, 'the delivery state in words');
  t.match(out, /motif « Arme ou menace avec une arme »/, 'the reason in words');
  t.match(out, /Registre : \S+ « Alerte de danger » → police-demo\/dispatch — Consentement de la victime \(shelter-police@1\)\n/, 'the register shows the first under consent');
  t.match(out, /Registre : \S+ « Alerte de danger » → police-demo\/dispatch — Danger appréhendé \(sans consentement\) — COMMUNICATION SANS CONSENTEMENT, suivi écrit requis \(shelter-police@1\)/, 'and the second as a disclosure without consent');
  t.match(out, /Démo réussie/);
  t.same(rawCodes(out, 'fr'), [], 'no raw code of the shared vocabulary (docs/vocabulary.md)');
});

t.test('the demo, in English', async (t) => {
  const { code, out } = await runDemo('en');
  t.equal(code, 0, 'the demo succeeds');
  t.match(out, /Police: "Danger alert" message received, basis: Victim’s consent;/);
  t.match(out, /Police: "Danger alert" message received, basis: Apprehended danger \(without consent\);/);
  t.match(out, /signed the alert's receipt: "acknowledged by a person"/);
  t.match(out, /Status: police-demo\/dispatch: acknowledged/);
  t.match(out, /reason "Weapon, or threat with a weapon"/);
  t.match(out, /Register: \S+ "Danger alert" → police-demo\/dispatch — Apprehended danger \(without consent\) — DISCLOSURE WITHOUT CONSENT, written follow-up required \(shelter-police@1\)/);
  t.match(out, /Demo succeeded/);
  t.same(rawCodes(out, 'en'), [], 'no raw code of the shared vocabulary (docs/vocabulary.md)');
});
