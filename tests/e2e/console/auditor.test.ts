// The auditor in the console: a shelter's privacy officer imports the device
// key file the CLI made, reads the communications register (a danger alert
// sent without consent, a note under consent, a refusal), filters it, exports
// the same CSV the CLI exports, verifies the disclosure log in the browser
// against a partner's witness, checks an acceptance proof file and refuses a
// forged one; then a database superuser rebuilds a shorter log, and the
// browser, comparing with the checkpoint it saw, raises the alarm.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { VigieApiError } from '../../../clients/sdk/http.js';
import { exportRegisterCsv } from '../../../clients/sdk/register.js';
import { sealKeyFile } from '../../../protocol/keyfile.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { launchBrowser, openConsole, screenshot, seriousViolations } from '../../helpers/browser.js';
import { checkProofFile, exportCsv, filterRegister, openAuditorView, registerLoaded, registerRows, setWitnesses, verifyLog } from '../../helpers/console/auditor.js';
import { importKeyFile } from '../../helpers/console/setup.js';
import { eventually, tempDir } from '../../helpers/env.js';
import { rebuildShorterLog } from '../../helpers/log-tamper.js';
import { startWitnessedHub } from '../../helpers/witness.js';

const PASS = 'la phrase de la responsable de l’accès';

const WORDS = {
  fr: {
    danger: 'Alerte de danger',
    withoutConsent: 'Sans consentement',
    followUp: 'Suivi écrit requis',
    refused: 'Refusée (rien n’a été communiqué)',
    refusal: 'Le message contient une catégorie de renseignements que le protocole ne permet pas sur ce fondement.',
    csvHeader: /^"index","date","événement","événement \(code\)","message","type de message","type de message \(code\)"/,
    csvDanger: /"Communication acceptée","accepted","[^"]+","Alerte de danger","danger_alert"/,
    csvBasis: /"Danger appréhendé \(sans consentement\)","apprehended_danger","DIR-2026-04","oui","Menaces de mort","death_threat","oui"/,
    csvFile: /^registre-communications-\d{4}-\d\d-\d\d\.csv$/,
    okTitle: 'Journal vérifié : intact',
    alarmTitle: 'ALERTE : LE JOURNAL A ÉTÉ RÉÉCRIT',
    basis: 'Danger appréhendé (sans consentement)',
    proofOk: 'Preuve valide',
    proofRefused: 'PREUVE NON VALIDE',
  },
  en: {
    danger: 'Danger alert',
    withoutConsent: 'Without consent',
    followUp: 'Written follow-up required',
    refused: 'Refused (nothing was disclosed)',
    refusal: 'The message carries a data category the protocol does not allow on this basis.',
    csvHeader: /^"index","date","event","event \(code\)","message","message type","message type \(code\)"/,
    csvDanger: /"Disclosure accepted","accepted","[^"]+","Danger alert","danger_alert"/,
    csvBasis: /"Apprehended danger \(without consent\)","apprehended_danger","DIR-2026-04","yes","Death threats","death_threat","yes"/,
    csvFile: /^register-of-communications-\d{4}-\d\d-\d\d\.csv$/,
    okTitle: 'Log verified: intact',
    alarmTitle: 'ALARM: THE LOG WAS REWRITTEN',
    basis: 'Apprehended danger (without consent)',
    proofOk: 'Valid proof',
    proofRefused: 'PROOF NOT VALID',
  },
} as const;

for (const lang of ['fr', 'en'] as const) {
  t.test(`an auditor reads, exports and verifies in the console (${lang})`, async (t) => {
    const w = WORDS[lang];
    const crypto = await loadSodium();
    const dir = tempDir(t, 'vigie-auditor');
    // A partner's witness cosigns the log; its key is the one the auditor will require.
    const { hub, logKey, witnessKey } = await startWitnessedHub(t, crypto, { dataDir: dir });

    // The shelter's worker discloses under apprehended danger and under consent; a third message is refused.
    const partners = await enrolPartners(hub.url, hub.operatorToken);
    const { worker } = partners;
    const danger = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'Menace de mort ce soir.' }, ...partners.underDanger });
    await worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: {}, ...partners.underConsent });
    const refusal = await worker.client
      .send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: {}, ...partners.underConsent, dataCategories: ['health'] })
      .then(
        () => null,
        (e: unknown) => e,
      );
    t.match(refusal, { code: 'CATEGORY_NOT_ALLOWED' }, 'a category outside the flow is refused, and the refusal is on the record');
    const auditor = await enrolDevice(hub.url, partners.shelter, 'responsable-acces', ['auditor'], []);

    // The acceptance proof of the danger alert, as `vigie audit proof` saves it, once the witness cosigned its checkpoint,
    // and a copy whose record was rewritten.
    const receipt = await eventually(
      async () => {
        try {
          const r = await worker.client.fetchAcceptanceProof(danger.id);
          return r.bundle.includes('\n— witness.test/oversight ') ? r : null;
        } catch (err) {
          if (err instanceof VigieApiError && err.code === 'RECEIPT_PENDING') return null;
          throw err;
        }
      },
      20_000,
      100,
    );
    const proofFile = join(dir, `${danger.id}.tlog-proof.json`);
    writeFileSync(proofFile, `${JSON.stringify(receipt, null, 2)}\n`);
    const forgedFile = join(dir, `forged-${danger.id}.tlog-proof.json`);
    writeFileSync(forgedFile, JSON.stringify({ ...receipt, record: receipt.record.replace('danger_alert', 'note') }));
    const keyFile = join(dir, 'responsable-acces.key');
    writeFileSync(keyFile, JSON.stringify(sealKeyFile(crypto, auditor.keys, PASS, crypto.argon2idInteractive)));

    const browser = await launchBrowser(t);
    const person = await openConsole(browser, hub.url, lang, { width: 1280, height: 900 });
    const { page } = person;
    await importKeyFile(page, hub.url, lang, keyFile, PASS);

    // The register: the auditor's agency's three rows, in words.
    await openAuditorView(page, 'register');
    await registerLoaded(page);
    const all = await registerRows(page);
    t.same(
      all.map((r) => r.event),
      ['accepted', 'accepted', 'refused'],
      'the two disclosures and the refusal, in log order',
    );
    t.match(all[0]!.text, w.danger);
    t.match(all[0]!.text, w.basis, 'the legal basis in words');
    t.same(all[0]!.flags, ['without-consent', 'follow-up'], 'the danger alert is flagged: without consent, written follow-up required');
    t.match(all[0]!.text, w.withoutConsent);
    t.match(all[0]!.text, w.followUp);
    t.same(all[1]!.flags, [], 'the note under consent is not flagged');
    t.match(all[2]!.text, w.refused);
    t.match(all[2]!.text, w.refusal, 'the refusal’s reason in words');
    const body = await page.textContent('article.register');
    for (const code of ['danger_alert', 'apprehended_danger', 'CATEGORY_NOT_ALLOWED', 'death_threat', 'victim_safety']) t.notMatch(body, code, `no raw code: ${code}`);
    t.same(await seriousViolations(page), [], 'register: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'auditor-register');

    // Filters change the rows.
    const withoutConsent = await filterRegister(page, { withoutConsent: true });
    t.same(
      withoutConsent.map((r) => r.index),
      [all[0]!.index],
      'without consent: the danger alert only',
    );
    t.same((await filterRegister(page, { event: 'refused' })).map((r) => r.event), ['refused'], 'by event: the refusal only');
    t.same((await filterRegister(page, { legalBasis: 'consent', messageType: 'note' })).map((r) => r.index), [all[1]!.index, all[2]!.index], 'by basis and type: the note and the refused note');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    t.same(await filterRegister(page, { from: day }), [], 'by period: nothing from tomorrow on');
    t.ok(await page.isVisible('[data-testid=register-empty]'), 'and it says so');

    // The CSV: the filtered register, headed and worded in the person's language, codes beside the words — the CLI's CSV.
    await filterRegister(page, { withoutConsent: true });
    const csv = await exportCsv(page);
    t.match(csv.name, w.csvFile, 'a dated file name in the person’s language');
    t.match(csv.text, w.csvHeader, 'columns named in the person’s language, each code column beside its words');
    t.match(csv.text, w.csvDanger);
    t.match(csv.text, w.csvBasis, 'without consent, follow-up required, in words and codes');
    t.equal(csv.text.split('\r\n').filter(Boolean).length, 2, 'a header and the one row the filter keeps');
    t.equal(csv.text, (await exportRegisterCsv(auditor.client, { withoutConsent: true }, lang)).text, 'the same CSV as `vigie audit register --csv` (the same SDK call)');
    await page.waitForSelector('article.register [role=status]');

    // At phone width, the register is cards: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await filterRegister(page, {});
    t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scrolling at 390 px');
    t.same(await seriousViolations(page), [], 'register at phone width: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'auditor-register-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The log, verified in the browser against the partner's witness: the key is pinned on this first success.
    await openAuditorView(page, 'log');
    await setWitnesses(page, [witnessKey], 1);
    const first = await eventually(async () => {
      const v = await verifyLog(page);
      return v.state === 'ok' ? v : null;
    }, 20_000);
    t.match(first.text, w.okTitle);
    t.same(first.checks, { signature: 'ok', witnesses: 'ok', consistency: 'skip', entries: 'ok', keys: 'ok' }, 'signed, cosigned, every entry re-hashed, the key directory checked; the first check from this browser');
    t.match(await page.textContent('[data-testid=pinned-key]'), logKey, 'the log key is pinned in this browser');
    t.same(await seriousViolations(page), [], 'log verified: no serious or critical accessibility violation');
    const second = await verifyLog(page, { quick: true });
    t.equal(second.state, 'ok');
    t.equal(second.checks.consistency, 'ok', 'the second check proves the log extends the checkpoint this browser saw');
    t.equal(second.checks.entries, 'skip', 'a quick check does not re-hash the entries');
    if (lang === 'fr') await screenshot(page, 'auditor-log');

    // The acceptance proof: valid, with what it proves; the forged copy refused.
    await openAuditorView(page, 'proof');
    const proved = await checkProofFile(page, proofFile);
    t.equal(proved.state, 'ok', 'the proof file checks out in the browser');
    t.match(proved.text, w.proofOk);
    t.equal(proved.facts['auditor.proof.message'], danger.id);
    t.equal(proved.facts['auditor.proof.type'], w.danger, 'the type in words');
    t.equal(proved.facts['auditor.proof.basis'], w.basis, 'the legal basis in words');
    t.match(proved.facts['auditor.proof.sender'], 'shelter-laval');
    t.match(proved.facts['auditor.proof.recipients'], 'police-laval/dispatch');
    t.equal(proved.facts['auditor.proof.witnesses'], '1', 'cosigned by the required witness');
    t.same(await seriousViolations(page), [], 'proof valid: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'auditor-proof');
    const forged = await checkProofFile(page, forgedFile);
    t.equal(forged.state, 'refused', 'a rewritten record is refused');
    t.equal(forged.problem, 'RECORD_MISMATCH');
    t.match(forged.text, w.proofRefused);
    t.notMatch(forged.text, w.danger, 'nothing the forged file says is shown as proven');
    t.same(await seriousViolations(page), [], 'proof refused: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'auditor-proof-refused');

    // A database superuser truncates the log and has the hub sign a shorter one.
    const db = new pg.Client({ connectionString: hub.config.databaseUrl });
    await db.connect();
    t.teardown(() => db.end());
    await rebuildShorterLog(db);
    await hub.app.disclosureLog.flush();
    await eventually(async () => (await (await fetch(`${hub.url}/v1/log/checkpoint`)).text()).split('\n')[1] === '2');
    await openAuditorView(page, 'log');
    const before = await page.textContent('[data-testid=last-seen]');
    const alarm = await verifyLog(page);
    t.equal(alarm.state, 'alarm', 'the browser raises the alarm');
    t.equal(alarm.alarm, 'rewritten');
    t.match(alarm.text, w.alarmTitle, 'unmistakable: the log was rewritten');
    t.ok(alarm.problems.includes('LOG_SHRANK'), 'shorter than the checkpoint this browser saw');
    t.equal(alarm.checks.consistency, 'fail');
    t.equal(await page.getAttribute('[data-testid=log-verdict]', 'role'), 'alert', 'announced as an alert');
    t.equal(await page.textContent('[data-testid=last-seen]'), before, 'the checkpoint this browser saw is kept, not replaced by the rewritten one');
    t.same(await seriousViolations(page), [], 'log alarm: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'auditor-log-alarm');

    t.same(person.foreign, [], 'no request to any third party');
    t.same(person.errors, [], 'no error in the page');
  });
}
