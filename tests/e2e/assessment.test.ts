// The common risk grid from the shelter worker's terminal to the police desk:
// a hub running in this process, a shelter and a police service bound by the
// shelter–police protocol, and the real `vigie` CLI run as child processes.
//
// The worker fills `grille-commune` with `vigie assess` (the answers piped on
// standard input, one per line), sends a danger alert with `--assessment`,
// and the police `vigie listen` shows the level recomputed from the answers,
// matching the level signed in the header. Then a message whose signed level
// is not the one its own answers give — validly signed: the lie is the
// sender's — is flagged by the police client, in the SDK and on the terminal.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { loadInstrument } from '../../clients/instruments.js';
import { AssessmentRefusedError, VigieClient, withAssessment, type SendInput } from '../../clients/sdk/client.js';
import { decodePair } from '../../clients/sdk/keys.js';
import { buildEnvelope } from '../../protocol/envelope.js';
import { scoreAssessment, type Assessment, type Instrument } from '../../protocol/instrument.js';
import type { EnvelopeHeader } from '../../protocol/schemas.js';
import { loadSodium } from '../../protocol/sodium.js';
import { messages } from '../../server/messages/tables.js';
import { enrolPartners } from '../helpers/agencies.js';
import { eventually, startTestHub, tempDir } from '../helpers/env.js';
import { cliRunner, type CliChild, TEST_KEY_COST } from '../helpers/cli.js';
import { writeKeyDir } from '../../clients/harness/key-dir.js';

const PASSPHRASE = 'correct horse battery staple';
const DANGER = [
  '--protocol', 'shelter-police@1', '--legal-basis', 'apprehended_danger', '--reason', 'death_threat', '--directive', 'DIR-2026-04',
  '--attest', 'reasonable-cause,serious-risk,identifiable-person,urgency', '--category', 'identity,location,threat,risk_level',
];
const POLICE = 'police-laval/dispatch';

const grid: Instrument = loadInstrument('grille-commune');
const levelOf = (id: string) => grid.levels.find((l) => l.id === id)!;
const inSentence = (id: string, lang: 'fr' | 'en' = 'fr') => {
  const label = levelOf(id).labels[lang];
  return label.charAt(0).toLocaleLowerCase(lang) + label.slice(1);
};
const top = grid.levels.at(-1)!.id;
const bottom = grid.levels[0]!.id;
/** The item that raises the grid to its highest level by itself (an `any` rule). */
const imminentItem = grid.rules.find((r) => r.kind === 'any' && r.level === top)!.items[0]!;

const crypto = await loadSodium();
const dir = tempDir(t, 'vigie-assessment');
const hub = await startTestHub(t);
const partners = await enrolPartners(hub.url, hub.operatorToken);

const home = { worker: join(dir, 'worker'), officer: join(dir, 'officer') };
writeKeyDir(crypto, home.worker, partners.worker.keys, PASSPHRASE, TEST_KEY_COST);
writeKeyDir(crypto, home.officer, partners.officer.keys, PASSPHRASE, TEST_KEY_COST);

const { start, run } = cliRunner(t, { hubUrl: hub.url, cwd: dir, passphrase: PASSPHRASE });
const waitFor = (c: CliChild, what: string, inStderr = false) =>
  eventually(() => (inStderr ? c.err : c.out).join('').includes(what), 20_000).catch((err: Error) => {
    throw new Error(`${err.message}: ${what}\nstdout: ${c.out.join('')}\nstderr: ${c.err.join('')}`);
  });

/**
 * The lines a worker types: for each item its answer and, unless skipped, its
 * source; the victim's perception; no override. `imminent` says yes to the
 * item that makes the grid imminent; otherwise every required item is no.
 */
function answerLines(imminent: boolean): string {
  const lines: string[] = [];
  grid.items.forEach((item, i) => {
    if (item.id === imminentItem) lines.push(imminent ? 'oui' : 'non', 'v');
    else if (!item.required && i % 3 === 0) lines.push('passer');
    else if (!item.required && i % 3 === 1) lines.push('je ne sais pas', 'dossier');
    else lines.push('non', i % 2 ? 'o' : 'victime');
  });
  lines.push(String(grid.perception.options.length), 'non');
  return `${lines.join('\n')}\n`;
}

/** An assessment as `vigie assess` writes it: every item answered no, except those given. */
function assessment(yes: string[] = []): Assessment {
  return {
    type: 'assessment',
    v: 1,
    instrument: { id: grid.id, version: grid.version },
    answers: grid.items.map((i) => ({ item: i.id, answer: yes.includes(i.id) ? 'yes' : 'no', source: 'victim' })),
    completedAt: new Date().toISOString(),
  };
}

const gridFile = join(dir, 'grille.json');
let alertId = '';

t.test('vigie assess: each item, its source, the perception, the level and its action; a file of mode 0600', async (t) => {
  const filled = await run(home.worker, ['assess', '--instrument', 'grille-commune', '--out', gridFile], answerLines(true));
  t.equal(filled.code, 0, 'exit 0', { stderr: filled.stderr });
  t.match(filled.stderr, `${grid.titles.fr} (grille-commune, version ${grid.version})`);
  t.match(filled.stderr, `1/${grid.items.length}. ${grid.items[0]!.text.fr}`, 'each item is asked with its number');
  t.match(filled.stderr, 'Réponse — oui, non, je ne sais pas, passer [o/n/?/p] : passer', 'the answer read is echoed after its question');
  t.match(filled.stderr, 'Source — victime, dossier, observation de l’intervenante [V/d/o] : dossier');
  t.match(filled.stderr, grid.perception.text.fr, 'then the victim’s own perception');
  t.match(filled.stderr, `Niveau calculé par l’instrument : ${levelOf(top).labels.fr}`);
  t.match(filled.stderr, `Action : ${levelOf(top).action.fr}`, 'with the action it calls for');
  t.match(filled.stderr, 'Retenir un autre niveau selon votre jugement professionnel ? [o/N] non');
  t.match(filled.stdout, `Évaluation écrite dans ${gridFile}`);
  t.match(filled.stdout, `Niveau : ${levelOf(top).labels.fr} — ${levelOf(top).action.fr}`, 'the level is printed, in words');
  t.match(filled.stdout, `vigie send … --assessment ${gridFile}`);
  t.equal(statSync(gridFile).mode & 0o777, 0o600, 'only the worker’s account can read the answers');

  const written = JSON.parse(readFileSync(gridFile, 'utf8')) as Assessment;
  t.match(written, { type: 'assessment', v: 1, instrument: { id: 'grille-commune', version: grid.version }, perception: grid.perception.options.at(-1)!.id });
  t.notOk('override' in written, 'no professional judgement was asked for');
  t.same(written.answers.find((a) => a.item === imminentItem), { item: imminentItem, answer: 'yes', source: 'victim' });
  t.ok(written.answers.some((a) => a.answer === 'not_answered' && a.source === undefined), 'a skipped item has no source');
  t.ok(written.answers.some((a) => a.answer === 'dont_know' && a.source === 'record'), 'don’t know, from the record');
  t.match(scoreAssessment(grid, written), { ok: true, level: top, overridden: false });

  const again = await run(home.worker, ['assess', '--instrument', 'grille-commune', '--out', gridFile], answerLines(true));
  t.equal(again.code, 1, 'an assessment never replaces another file');
  t.match(again.stderr, `${gridFile} existe déjà`);
});

t.test('the answers stop early, or a required item is skipped: nothing is written', async (t) => {
  const cut = answerLines(true).split('\n').slice(0, 5).join('\n');
  const partial = join(dir, 'partielle.json');
  const stopped = await run(home.worker, ['assess', '--instrument', 'grille-commune', '--out', partial], `${cut}\n`);
  t.equal(stopped.code, 1);
  t.match(stopped.stderr, /les réponses se sont arrêtées à la question \d+ sur \d+ : rien n’a été écrit/);
  t.throws(() => statSync(partial), 'no file');

  const required = grid.items.findIndex((i) => i.required);
  const lines = answerLines(false).split('\n');
  // Every item before the first required one takes one or two lines: find where its answer is read.
  let at = 0;
  for (let i = 0; i < required; i++) at += lines[at] === 'passer' ? 1 : 2;
  lines.splice(at, 0, 'passer', 'peut-être');
  const skipped = await run(home.worker, ['assess', '--instrument', 'grille-commune', '--out', join(dir, 'corrigee.json'), '--lang', 'en'], lines.join('\n'));
  t.equal(skipped.code, 0, 'answered on the next lines', { stderr: skipped.stderr });
  t.match(skipped.stderr, 'This question is required: answer yes, no or don’t know.');
  t.match(skipped.stderr, 'Answer not recognised: type y (yes), n (no), ? (don’t know) or s (skip).');
  t.match(skipped.stdout, `Level: ${levelOf(bottom).labels.en} — `);
});

t.test('send --assessment: the level in the signed header, the answers in the ciphertext; listen recomputes it', async (t) => {
  const listening = start(home.officer, ['listen']);
  await waitFor(listening, `À l’écoute de ${POLICE}`, true);

  const sent = await run(home.worker, ['send', '--to', POLICE, '--type', 'danger_alert', '--text', 'Menace de mort avec un plan, ce soir.', ...DANGER, '--assessment', gridFile]);
  t.equal(sent.code, 0, 'accepted', { stderr: sent.stderr });
  alertId = /Message envoyé : ([0-9a-f-]{36})/.exec(sent.stdout)![1]!;
  t.match(sent.stdout, `Évaluation du risque jointe : grille-commune v${grid.version}, niveau ${inSentence(top)} (signé dans l’en-tête; les réponses voyagent chiffrées).`);

  const [row] = await hub.app.db.select({ header: messages.header, ciphertext: messages.ciphertext }).from(messages).where(eq(messages.id, alertId));
  t.same((row!.header as EnvelopeHeader).assessment, { instrument: 'grille-commune', version: grid.version, level: top }, 'the hub holds the signed level');
  t.notMatch(JSON.stringify(row), imminentItem, 'and none of the answers');

  await waitFor(listening, `Message : ${alertId}`);
  const out = listening.out.join('');
  t.match(out, `Évaluation du risque (grille-commune v${grid.version}) : niveau signé ${inSentence(top)} — recalculé : ${inSentence(top)} ✓`);
  t.notMatch(out, 'ATTENTION');
  t.match(out, 'Menace de mort avec un plan, ce soir.', 'the rest of the content is kept');
  t.match(out, `■ oui (victime) — ${grid.items.find((i) => i.id === imminentItem)!.text.fr}`, 'each yes is shown, with its source');
  t.match(out, /\? je ne sais pas \(dossier\) — /, 'then each don’t know');
  t.match(out, /Réponses de l’évaluation \(grille-commune v\d+, remplie le .+\) : 1 oui, [1-9]\d* je ne sais pas, [1-9]\d* non, [1-9]\d* sans réponse/, 'and how many of each');
  t.notMatch(out, '□', 'the noes are counted, not listed');
  t.match(out, `Perception de la victime : ${grid.perception.options.at(-1)!.labels.fr}`);
  listening.kill('SIGINT');
  t.equal(await listening.exit, 0);

  const tampered = JSON.parse(readFileSync(gridFile, 'utf8')) as Assessment;
  tampered.answers = tampered.answers.filter((a) => a.item !== grid.items.find((i) => i.required)!.id);
  const badFile = join(dir, 'incomplete.json');
  writeFileSync(badFile, JSON.stringify(tampered));
  const refused = await run(home.worker, ['send', '--to', POLICE, '--type', 'danger_alert', '--text', 'x', ...DANGER, '--assessment', badFile]);
  t.equal(refused.code, 1, 'an assessment that does not score never leaves');
  t.match(refused.stderr, `l’évaluation ${badFile} est refusée sur cet appareil; rien n’a été signé ni envoyé : une question obligatoire est restée sans réponse`);
  t.match(refused.stderr, '[ASSESSMENT_ANSWER_MISSING: ');
  t.notMatch(refused.stdout, 'Message envoyé');
});

t.test('a signed level its own answers do not give is flagged by the recipient, never hidden', async (t) => {
  const sender = await VigieClient.connect({ url: hub.url, keys: partners.worker.keys, instruments: [grid] });
  const officer = await VigieClient.connect({ url: hub.url, keys: partners.officer.keys, instruments: [grid] });
  const danger = partners.underDanger as Required<Pick<SendInput, 'protocol' | 'legalBasis' | 'dataCategories'>>;

  // The SDK path: scored on this device, signed, recomputed by the recipient.
  const honest = await sender.send({ type: 'danger_alert', recipients: [POLICE], content: { text: 'Appel reçu.' }, ...danger, assessment: assessment([imminentItem]) });
  t.same(honest.envelope.header.assessment, { instrument: 'grille-commune', version: grid.version, level: top });
  const opened = await officer.open(await officer.fetchEnvelope(honest.id));
  t.same(opened.assessmentCheck, { instrument: 'grille-commune', version: grid.version, signedLevel: top, recomputedLevel: top, matches: true });
  t.match(opened.content, { text: 'Appel reçu.', assessment: { instrument: { id: 'grille-commune' } } }, 'the content keeps its fields and gains the assessment');

  // What the SDK refuses to send.
  const unknown = { ...assessment(), instrument: { id: 'grille-inconnue', version: 1 } };
  await t.rejects(sender.send({ type: 'danger_alert', recipients: [POLICE], content: {}, ...danger, assessment: unknown }), new AssessmentRefusedError('INSTRUMENT_UNKNOWN', 'grille-inconnue@1'));
  const required = grid.items.find((i) => i.required)!.id;
  const missing = { ...assessment(), answers: assessment().answers.filter((a) => a.item !== required) };
  await t.rejects(sender.send({ type: 'danger_alert', recipients: [POLICE], content: {}, ...danger, assessment: missing }), { code: 'ASSESSMENT_ANSWER_MISSING', detail: required });
  const noReason = { ...assessment(), override: { level: top, reason: ' ' } };
  await t.rejects(sender.send({ type: 'danger_alert', recipients: [POLICE], content: {}, ...danger, assessment: noReason }), { code: 'ASSESSMENT_OVERRIDE_REASON_MISSING' });

  // A sender that signs a level its answers do not give: the signature is valid, the lie is in the header.
  const own = (await sender.inboxes()).get('shelter-laval/intake')!;
  const police = await sender.directory.recipient(POLICE);
  const envelopeOf = (content: unknown, level: string) =>
    buildEnvelope(crypto, {
      type: 'danger_alert',
      urgency: 'immediate',
      sender: { agency: 'shelter-laval', member: partners.worker.keys.member, inbox: 'shelter-laval/intake' },
      senderInboxKey: own.keys.publicKey,
      senderInboxKeyVersion: own.certificate.keyVersion,
      recipients: [police],
      content,
      ...danger,
      assessment: { instrument: 'grille-commune', version: grid.version, level },
      signingSecretKey: decodePair(partners.worker.keys.signing).secretKey,
    });
  const moderate = assessment();
  t.match(scoreAssessment(grid, moderate), { ok: true, level: bottom }, 'the answers give the lowest level');
  const lie = envelopeOf(withAssessment({ text: 'Alerte.' }, moderate), top);
  const accepted = await sender.resubmit(lie);
  t.equal(accepted.id, lie.header.id, 'the hub cannot see the answers: it accepts the signed level');
  const flagged = await officer.open(await officer.fetchEnvelope(lie.header.id));
  t.same(flagged.assessmentCheck, { instrument: 'grille-commune', version: grid.version, signedLevel: top, recomputedLevel: bottom, matches: false });
  t.match(flagged.content, { text: 'Alerte.' }, 'the message is opened and shown, with the warning');

  // No assessment in the content, and a recipient that does not know the instrument.
  const bare = envelopeOf({ text: 'Sans grille.' }, top);
  await sender.resubmit(bare);
  const stranger = await VigieClient.connect({ url: hub.url, keys: partners.officer.keys });
  t.match((await officer.open(await officer.fetchEnvelope(bare.header.id))).assessmentCheck, { signedLevel: top, recomputedLevel: null, matches: false, error: 'ASSESSMENT_MISSING' });
  t.match((await stranger.open(await stranger.fetchEnvelope(lie.header.id))).assessmentCheck, { recomputedLevel: null, matches: false, error: 'INSTRUMENT_UNKNOWN' });

  // The police terminal, from the start of its feed, in French and in English.
  const replay = async (lang: 'fr' | 'en', id: string) => {
    const c = start(home.officer, ['listen', '--after', '0', '--lang', lang]);
    await waitFor(c, lang === 'fr' ? `Message : ${id}` : `Message: ${id}`);
    c.kill('SIGINT');
    await c.exit;
    return c.out.join('');
  };
  const fr = await replay('fr', bare.header.id);
  t.match(fr, `Évaluation du risque (grille-commune v${grid.version}) : niveau signé ${inSentence(top)} — recalculé : ${inSentence(bottom)} ✗`);
  t.match(fr, `ATTENTION : le niveau signé (${inSentence(top)}) ne correspond pas au niveau recalculé à partir des réponses (${inSentence(bottom)}). Vérifiez avec l’expéditeur.`);
  t.match(fr, `ATTENTION : le niveau signé (${inSentence(top)}) n’a pas pu être recalculé sur cet appareil : le contenu déchiffré ne contient pas l’évaluation`);
  t.match(fr, 'Alerte.', 'the flagged message is shown');
  const json = start(home.officer, ['listen', '--after', '0', '--json']);
  await waitFor(json, `"id":"${bare.header.id}"`);
  json.kill('SIGINT');
  await json.exit;
  const lines = json.out.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(lines.find((l) => l.id === lie.header.id), {
    event: 'message',
    assessment: { instrument: 'grille-commune', version: grid.version, level: top },
    assessmentCheck: { signedLevel: top, recomputedLevel: bottom, matches: false },
  }, 'listen --json: the signed reference and the check');
  const en = await replay('en', bare.header.id);
  t.match(en, `WARNING: the signed level (${inSentence(top, 'en')}) does not match the level recomputed from the answers (${inSentence(bottom, 'en')}). Check with the sender.`);
  t.match(en, `Risk assessment (grille-commune v${grid.version}): signed level ${inSentence(top, 'en')} — recomputed: ${inSentence(top, 'en')} ✓`);
});
