// The CLI's words (docs/vocabulary.md): what `vigie` shows a person — every
// sentence of its table, the help of every command, usage errors, a received
// message, a status, the hub's notices, receipts, a protocol under review, a
// consent, the register, refusals — in French and in English, shows the
// shared vocabulary's words (protocol/vocabulary.ts), never a raw code, and
// names each once-inconsistent term in its one form.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { toB64u } from '../../../protocol/encoding.js';
import type { EnvelopeHeader } from '../../../protocol/schemas.js';
import type { RegisterRow } from '../../../protocol/register.js';
import type { ConsentView } from '../../../protocol/consent.js';
import { REFUSAL_CODES } from '../../../protocol/disclosure.js';
import { DANGER_REASONS, DATA_CATEGORIES, MESSAGE_TYPE_LABELS, PURPOSES } from '../../../protocol/vocabulary.js';
import { draftFromTemplate, listTemplates, loadTemplate } from '../../../clients/templates.js';
import { templateRoles } from '../../../protocol/protocol-document.js';
import type { MessageStatus, OpenedMessage, VerifiedReceipt } from '../../../clients/sdk/client.js';
import type { Notice } from '../../../clients/sdk/stream.js';
import { VigieApiError } from '../../../clients/sdk/http.js';
import { Context, type Io } from '../../../clients/cli/context.js';
import { describeRefusal } from '../../../clients/cli/errors.js';
import { MESSAGES, t as translate, type Lang, type MessageKey } from '../../../clients/cli/i18n.js';
import { printMessage, printNotice, printReceipt, printStatus, protocolLines } from '../../../clients/cli/format.js';
import { registerText } from '../../../clients/cli/register-view.js';
import { consentLines } from '../../../clients/cli/commands/consent.js';
import { COMMANDS, run } from '../../../clients/cli/main.js';
import { rawCodes } from '../../helpers/raw-codes.js';

const LANGS = ['fr', 'en'] as const;

function capture(lang: Lang): { ctx: Context; out: () => string } {
  let text = '';
  const io: Io = { stdout: (s) => void (text += s), stderr: (s) => void (text += s) };
  return { ctx: new Context(lang, 'http://hub', '/nowhere', false, {}, io), out: () => text };
}

async function cli(lang: Lang, argv: string[]): Promise<string> {
  let text = '';
  const io: Io = { stdout: (s) => void (text += s), stderr: (s) => void (text += s) };
  await run([...argv, '--lang', lang], { VIGIE_HOME: '/nowhere' }, io);
  return text;
}

const MESSAGE = '0b8e2f52-5d7c-4c43-9d2a-0a4f7c1f1a01';
const AT = '2026-11-29T07:14:07.000Z';
const ALL_CATEGORIES = Object.keys(DATA_CATEGORIES);

function opened(type: string, legalBasis: EnvelopeHeader['legalBasis']): OpenedMessage {
  const header = {
    id: MESSAGE,
    type,
    urgency: 'immediate',
    createdAt: AT,
    sender: { agency: 'shelter-laval', inbox: 'shelter-laval/intake', member: MESSAGE },
    recipients: ['police-laval/dispatch'],
    dataCategories: ALL_CATEGORIES,
    protocol: { id: 'shelter-police', version: 1 },
    legalBasis,
  } as unknown as EnvelopeHeader;
  return { id: MESSAGE, header, content: { text: 'Texte.' }, sender: { label: 'poste-1' }, inbox: 'police-laval/dispatch' } as unknown as OpenedMessage;
}

function row(fields: Partial<RegisterRow>): RegisterRow {
  return {
    index: 7, at: AT, event: 'accepted', message: MESSAGE, messageType: 'danger_alert', senderAgency: 'shelter-laval', senderInbox: 'shelter-laval/intake',
    recipients: 'police-laval/dispatch', declaredRecipients: '', legalBasis: '', legalReference: '', withoutConsent: false, dangerReason: '', followUp: false,
    purpose: '', consent: '', protocol: 'shelter-police@1', dataCategories: '', reason: '', contentHash: 'A'.repeat(43), ...fields,
  };
}

/** Everything the CLI shows a person that needs no hub, in one language. */
async function everything(lang: Lang): Promise<Record<string, string>> {
  const shown: Record<string, string> = {};
  for (const key of Object.keys(MESSAGES) as MessageKey[]) shown[`i18n ${key}`] = translate(lang, key);

  // A command's words are typed as they are (`consent record`): not the vocabulary's.
  const commandNames = COMMANDS.map((c) => c.words.join(' ')).sort((a, b) => b.length - a.length);
  const help = async (argv: string[]) => commandNames.reduce((text, name) => text.replaceAll(new RegExp(`(^|\\n|vigie )( *)${name}\\b`, 'g'), '$1$2'), await cli(lang, argv));
  shown['help'] = await help(['--help']);
  for (const c of COMMANDS) shown[`help ${c.words.join(' ')}`] = await help([...c.words, '--help']);
  for (const group of new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!))) shown[`help ${group}`] = await help([group]);

  const usage: string[][] = [
    ['send', '--to', 'police-laval/dispatch', '--type', 'alerte', '--text', 'x', '--protocol', 'shelter-police@1', '--legal-basis', 'consent'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--urgency', 'vite', '--text', 'x', '--protocol', 'shelter-police@1'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'x', '--protocol', 'shelter-police@1'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'x', '--protocol', 'shelter-police@1', '--legal-basis', 'danger'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'x', '--protocol', 'shelter-police@1', '--legal-basis', 'apprehended_danger', '--reason', 'peur', '--directive', 'D-1'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'x', '--protocol', 'shelter-police@1', '--legal-basis', 'apprehended_danger', '--reason', 'weapon', '--directive', 'D-1', '--attest', 'urgence'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'x', '--protocol', 'shelter-police@1', '--legal-basis', 'apprehended_danger', '--reason', 'weapon', '--directive', 'D-1', '--attest', 'urgency'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'x', '--protocol', 'shelter-police@1', '--legal-basis', 'consent', '--case', 'DOSSIER-1', '--purpose', 'Sécurité'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'x', '--protocol', 'shelter-police@1', '--category', 'Lieu', '--legal-basis', 'legal_obligation', '--reference', 'art. 1'],
    ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'x', '--protocol', 'shelter-police@1', '--legal-basis', 'legal_obligation', '--case', 'DOSSIER-1'],
    ['member', 'enrol', '--public', '-', '--roles', 'chef', '--inbox', 'police-laval/dispatch'],
    ['admit', 'police-laval', '--kind', 'Police', '--name-fr', 'x', '--name-en', 'x'],
    ['consent', 'list', '--state', 'actif'],
    ['audit', 'register', '--type', 'alerte'],
    ['audit', 'register', '--legal-basis', 'danger'],
    ['protocol', 'draft', '--template', 'shelter-police', '--party', 'maison=maison-laval', '--out', '/nowhere/draft.json'],
    ['protocol', 'draft', '--template', 'shelter-police', '--party', 'shelter=maison-laval', '--out', '/nowhere/draft.json'],
    ['protocol', 'draft', '--template', 'inconnu', '--out', '/nowhere/draft.json'],
  ];
  for (const argv of usage) shown[`usage ${argv.join(' ')}`] = await cli(lang, argv);

  const { ctx, out } = capture(lang);
  printMessage(ctx, opened('condition_breach', { code: 'consent', case: 'DOSSIER-1', purpose: 'bail_and_conditions' }));
  printMessage(ctx, opened('release_conditions', { code: 'apprehended_danger', reason: 'release', reference: 'DIR-1' } as EnvelopeHeader['legalBasis']));
  for (const type of Object.keys(MESSAGE_TYPE_LABELS)) printMessage(ctx, opened(type, { code: 'legal_obligation', reference: 'art. 1' } as EnvelopeHeader['legalBasis']));
  for (const purpose of Object.keys(PURPOSES)) printMessage(ctx, opened('note', { code: 'consent', case: 'DOSSIER-1', purpose }));
  for (const reason of Object.keys(DANGER_REASONS)) printMessage(ctx, opened('danger_alert', { code: 'apprehended_danger', reason, reference: 'DIR-1' } as EnvelopeHeader['legalBasis']));
  const states = ['accepted', 'pushed', 'delivered', 'acknowledged'] as const;
  const status: MessageStatus = {
    id: MESSAGE, type: 'bail_safety_input', acceptedAt: AT,
    recipients: states.map((state) => ({ inbox: `police-laval/${state}`, state, pushedAt: AT, deliveredAt: AT, deliveredBy: MESSAGE, acknowledgedAt: AT, acknowledgedBy: MESSAGE })),
  };
  printStatus(ctx, status, new Map());
  for (const kind of ['escalation', 'renotify', 'unacknowledged', 'escalated', 'escalation_exhausted'] as const) {
    const notice: Notice = { kind, message: MESSAGE, recipient: 'police-laval/dispatch', step: 1, at: AT, inbox: 'police-laval/supervision', notified: ['police-laval/supervision'], deadlineAt: AT, type: 'danger_alert', urgency: 'immediate', sender: { agency: 'shelter-laval', inbox: 'shelter-laval/intake' }, acceptedAt: AT };
    printNotice(ctx, notice);
  }
  for (const kind of ['delivered', 'acknowledged'] as const) {
    printReceipt(ctx, { receipt: { kind, message: MESSAGE, inbox: 'police-laval/dispatch', member: MESSAGE, at: AT }, signer: { label: 'poste-1' } } as unknown as VerifiedReceipt);
  }
  shown['messages, status, notices, receipts'] = out();

  for (const name of listTemplates()) {
    const roles = templateRoles(loadTemplate(name));
    const bindings = Object.fromEntries(roles.map((r) => [r.role, `${r.role.replace(/_/g, '-')}-laval`]));
    const rootKeys = Object.fromEntries(Object.values(bindings).map((a) => [a, toB64u(randomBytes(32))]));
    const c = capture(lang);
    const doc = draftFromTemplate(name, bindings, { rootKeys });
    c.ctx.print(protocolLines(c.ctx, doc).join('\n'));
    // A flow's id is the protocol's own name for it (`(release)`), not the vocabulary's; the other language's title is shown on purpose.
    const other = lang === 'fr' ? 'en' : 'fr';
    shown[`protocol ${name}`] = doc.flows.reduce((text, f) => text.replaceAll(`(${f.id})`, ''), c.out()).replace(doc.titles[other], '');
  }

  const consent: ConsentView = {
    id: MESSAGE, agency: 'shelter-laval', case: 'DOSSIER-1', recipients: ['police-laval'], purposes: Object.keys(PURPOSES), dataCategories: ALL_CATEGORIES,
    validFrom: AT, validUntil: null, evidenceHash: 'A'.repeat(43), recordedBy: MESSAGE, recordedAt: AT, revokedAt: AT, revokedBy: MESSAGE, state: 'revoked',
  };
  shown['consent'] = consentLines(capture(lang).ctx, consent).join('\n');

  const events = ['accepted', 'refused', 'unacknowledged', 'escalated', 'exhausted', 'erased'];
  const rows = [
    ...events.map((event, i) => row({ index: i, event, legalBasis: 'consent', purpose: 'victim_safety', dataCategories: ALL_CATEGORIES.join(' '), reason: event === 'refused' ? 'CONSENT_EXPIRED' : '' })),
    row({ index: 9, legalBasis: 'apprehended_danger', dangerReason: 'breach', withoutConsent: true, followUp: true, messageType: 'condition_breach' }),
    ...REFUSAL_CODES.map((reason, i) => row({ index: 20 + i, event: 'refused', reason, legalBasis: 'legal_obligation', messageType: 'release_conditions' })),
  ];
  shown['register'] = registerText(capture(lang).ctx, rows);

  shown['refusals'] = REFUSAL_CODES.map((code) => describeRefusal(new VigieApiError(403, code, 'Refus.', code === 'PROTOCOL_NOT_ACTIVE' ? 'pending_signatures' : undefined), lang)).join('\n');
  return shown;
}

for (const lang of LANGS) {
  t.test(`no raw code of the vocabulary in what the CLI shows (${lang})`, async (t) => {
    const shown = await everything(lang);
    t.ok(Object.keys(shown).length > 300, 'every sentence, help, usage error and view is read');
    for (const [what, text] of Object.entries(shown)) {
      t.ok(text.trim().length > 0, `${what}: says something`);
      const raw = rawCodes(text, lang);
      if (raw.length) t.fail(`${what}: raw code(s) ${raw.join(', ')}`, { text });
    }
    const all = Object.values(shown).join('\n');
    if (lang === 'fr') {
      t.match(all, 'Bris de conditions', 'the breach is named');
      t.notMatch(all, /Bris de condition(?!s)/, 'always « Bris de conditions », never « Bris de condition »');
      t.notMatch(all, /(?<!re)mise en liberté/i, 'always « remise en liberté », never « mise en liberté »');
      t.match(all, /Conditions de remise en liberté/);
    } else {
      t.notMatch(all, /Condition breach|Bail safety input/, 'one English name for each type');
      t.match(all, /Breach of conditions/);
    }
  });
}

t.test('a code the vocabulary does not know is shown as is, never under another word', async (t) => {
  const { ctx, out } = capture('fr');
  printMessage(ctx, opened('new_type', { code: 'consent', case: 'DOSSIER-1', purpose: 'new_purpose' }));
  t.match(out(), '━━ new_type · IMMÉDIATE ━━');
  t.match(out(), 'Consentement de la victime — DOSSIER-1, new_purpose');
});
