/**
 * `vigie protocol draft|sign|submit|show|retire`: the partners' agreements.
 * A draft comes from a shipped template; each party's administrator reads
 * what it allows and signs it with the agency root key, offline; anyone
 * submits the file; and every device that shows a version checks each
 * party's signature itself, against root keys it pinned and proved in the
 * disclosure log, instead of taking the hub's word that a protocol is signed.
 */
import { existsSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { toB64u } from '../../../protocol/encoding.js';
import {
  checkProtocolDocument,
  readableFingerprint,
  rootKeyFingerprint,
  SignedProtocolSchema,
  TemplateBindingError,
  templateRoles,
  type ProtocolDocument,
  type SignedProtocol,
} from '../../../protocol/protocol-document.js';
import type { CryptoPort } from '../../../protocol/crypto-port.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { Directory, DirectoryError } from '../../sdk/directory.js';
import { HubHttp, VigieApiError } from '../../sdk/http.js';
import { LogVerificationError, LogVerifier } from '../../sdk/log-verifier.js';
import { getProtocol, protocolVersions, unsignedParties, type ProtocolView } from '../../sdk/protocols.js';
import { draftFromTemplate, listTemplates, loadTemplate, ProtocolDraftError } from '../../templates.js';
import { flag, listOption, requiredOption, stringOption, type Command } from '../command.js';
import type { Context } from '../context.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { clean, formatTime, kindLabel, listOr, protocolHash, protocolLines, statusLabel, withCode } from '../format.js';
import { readJsonInput } from '../input.js';
import { FILES, KeyStore, writeAtomically } from '../key-store.js';
import { askYesNo, canAsk } from '../prompt.js';
import { readPins, withAgency } from '../session.js';
import * as valid from '../validate.js';
import { ROUTES } from '../../../protocol/api/routes.js';
import { ProtocolViewSchema } from '../../../protocol/protocol-document.js';

/** The shipped templates, their titles and roles: shown when --template is missing or unknown. */
function templateList(ctx: Context): string {
  const lines = [ctx.t('protocol.templates')];
  for (const name of listTemplates()) {
    const template = loadTemplate(name);
    const titles = template.titles as Partial<Record<'fr' | 'en', string>> | undefined;
    const roles = templateRoles(template).map((r) => withCode(kindLabel(ctx, r.kind), r.role));
    lines.push(`  ${name} — ${clean(titles?.[ctx.lang] ?? '')}`, `      ${ctx.t('protocol.templateRoles', { roles: listOr(roles) })}`);
  }
  return lines.join('\n');
}

/** A protocol file as `draft` writes it and `sign` completes it: the document and the signatures gathered so far. */
async function readProtocolFile(file: string): Promise<SignedProtocol> {
  const value = await readJsonInput(file);
  if (!Value.Check(SignedProtocolSchema, value)) throw new CliError('error.notAProtocolFile', { file });
  return value;
}

const problemList = (problems: string[]) => problems.map((p) => `  ${clean(p)}`).join('\n');
const isParty = (doc: ProtocolDocument, agency: string) => doc.parties.some((p) => p.agency === agency);

/** Asks for a confirmation unless --yes; refuses when nobody can answer. */
async function confirm(ctx: Context, values: Parameters<Command['run']>[1], key: 'prompt.signProtocol' | 'prompt.retireProtocol', params: Record<string, string>) {
  if (flag(values, 'yes')) return;
  if (!canAsk()) throw new CliError('error.confirmationRequired');
  if (!(await askYesNo(ctx, key, params))) throw new CliError('error.cancelled');
}

/** What the summary is for a person: on stdout, or on stderr when stdout carries JSON. */
function show(ctx: Context, lines: string[]) {
  const text = `${lines.join('\n')}\n`;
  if (ctx.json) ctx.io.stderr(text);
  else ctx.io.stdout(text);
}

const draft: Command = {
  words: ['protocol', 'draft'],
  synopsis: 'synopsis.protocolDraft',
  summary: 'help.protocolDraft.summary',
  details: 'help.protocolDraft.details',
  options: {
    template: { type: 'string', value: 'arg.template', help: 'opt.template' },
    party: { type: 'string', multiple: true, value: 'arg.binding', help: 'opt.party' },
    id: { type: 'string', value: 'arg.protocolId', help: 'opt.protocolIdDraft' },
    version: { type: 'string', value: 'arg.version', help: 'opt.versionDraft' },
    effective: { type: 'string', value: 'arg.date', help: 'opt.effective' },
    out: { type: 'string', value: 'arg.file', help: 'opt.draftOut' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const name = stringOption(values, 'template');
    if (!name) throw new UsageError('usage.templateMissing', { templates: templateList(ctx) });
    if (!listTemplates().includes(name)) throw new UsageError('usage.templateUnknown', { value: clean(name), templates: templateList(ctx) });
    const out = requiredOption(values, 'out');
    const roles = templateRoles(loadTemplate(name));
    const allowed = roles.map((r) => r.role);
    // A role of a template is named after its agency kind: its word, and the code to type in --party.
    const roleWords = (names: readonly string[]) => names.map((n) => withCode(kindLabel(ctx, roles.find((r) => r.role === n)?.kind ?? n), n)).join(', ');
    const bindings: Record<string, string> = {};
    for (const [role, agency] of listOption(values, 'party').map(valid.binding)) {
      if (!allowed.includes(role)) throw new UsageError('usage.unknownRole', { template: name, role, roles: roleWords(allowed) });
      if (bindings[role]) throw new UsageError('usage.duplicateRole', { role });
      bindings[role] = agency;
    }
    const missing = allowed.filter((r) => !bindings[r]);
    if (missing.length > 0) {
      const example = allowed.map((r) => `--party ${r}=${bindings[r] ?? ctx.t('arg.agencyId')}`).join(' ');
      throw new UsageError('usage.missingBindings', { template: name, missing: roleWords(missing), example });
    }
    const id = stringOption(values, 'id');
    const versionText = stringOption(values, 'version');
    const effective = stringOption(values, 'effective');
    const options = {
      ...(id !== undefined ? { id: valid.protocolId(id) } : {}),
      ...(versionText !== undefined ? { version: valid.version(versionText, '--version') } : {}),
      ...(effective !== undefined ? { effectiveFrom: valid.instant(effective, '--effective') } : {}),
    };
    if (existsSync(out)) throw new CliError('error.fileExists', { file: out });

    // Each party's root key, whose fingerprint the document names: this device's pins first.
    const rootKeys: Record<string, string> = {};
    const http = new HubHttp(ctx.hub, ctx.lang);
    const unproven = await withPinnedDirectory(ctx, http, await loadSodium(), async (directory) => {
      for (const agency of new Set(Object.values(bindings))) rootKeys[agency] = toB64u(await directory.rootKey(agency));
      return [...directory.unproven];
    });
    let document: ProtocolDocument;
    try {
      document = draftFromTemplate(name, bindings, { ...options, rootKeys });
    } catch (err) {
      if (err instanceof TemplateBindingError) throw new CliError('error.draftUnbound', { roles: roleWords(err.missing) });
      if (err instanceof ProtocolDraftError) throw new CliError('error.draftInvalid', { problems: problemList(err.problems) });
      throw err;
    }
    const signed: SignedProtocol = { document, signatures: [] };
    try {
      writeAtomically(out, `${JSON.stringify(signed, null, 2)}\n`, true);
    } catch (err) {
      if (err instanceof CliError) throw new CliError('error.fileExists', { file: out });
      throw new CliError('error.fileUnwritable', { file: out });
    }
    if (ctx.json) return void ctx.emit({ file: out, id: document.id, version: document.version, effectiveFrom: document.effectiveFrom, parties: document.parties, documentHash: protocolHash(document) });
    ctx.say('protocol.drafted', { id: document.id, version: document.version, file: out });
    for (const p of document.parties) {
      ctx.print(`  ${ctx.t('protocol.party', { agency: p.agency, kind: kindLabel(ctx, p.kind), fingerprint: readableFingerprint(p.rootKeyFingerprint) })}`);
    }
    if (unproven.length > 0) ctx.note('protocol.keysUnproven', { agencies: unproven.join(', ') });
    ctx.say('protocol.compareFingerprints');
    ctx.say('protocol.draftNext', { file: out });
  },
};

const sign: Command = {
  words: ['protocol', 'sign'],
  synopsis: 'synopsis.protocolFile',
  summary: 'help.protocolSign.summary',
  details: 'help.protocolSign.details',
  options: {
    file: { type: 'string', value: 'arg.file', help: 'opt.protocolFile' },
    yes: { type: 'boolean', short: 'y', help: 'opt.yes' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const file = requiredOption(values, 'file');
    // The signature is written back into the file: it has to be one.
    if (file === '-') throw new UsageError('usage.optionValue', { option: '--file' });
    const signed = await readProtocolFile(file);
    const doc = signed.document;
    const problems = checkProtocolDocument(doc);
    if (problems.length > 0) throw new CliError('error.protocolIncoherent', { file, problems: problemList(problems.map((p) => `${p.path}: ${p.problem}`)) });
    await withAgency(ctx, async (admin, keys, store) => {
      if (!isParty(doc, keys.agency)) throw new CliError('error.notAParty', { agency: keys.agency, parties: doc.parties.map((p) => clean(p.agency)).join(', ') });
      // The fingerprints are what partners will encrypt to: this agency's must be its own key, the others those this device pinned.
      const crypto = await loadSodium();
      const pinned = { ...readPins(ctx, store).roots, [keys.agency]: keys.root.publicKey };
      const unpinned: string[] = [];
      for (const p of doc.parties) {
        const known = pinned[p.agency];
        if (!known) {
          unpinned.push(ctx.t('protocol.partnerUnpinned', { agency: clean(p.agency), fingerprint: readableFingerprint(p.rootKeyFingerprint) }));
          continue;
        }
        const expected = rootKeyFingerprint((d) => crypto.sha256(d), known);
        if (expected === p.rootKeyFingerprint) continue;
        const params = { agency: p.agency, fingerprint: readableFingerprint(p.rootKeyFingerprint) };
        if (p.agency === keys.agency) throw new CliError('error.fingerprintNotOwn', { ...params, own: readableFingerprint(expected) });
        throw new CliError('error.fingerprintNotPinned', { ...params, pinned: readableFingerprint(expected) });
      }
      const attached = signed.signatures.map((s) => clean(s.agency));
      show(ctx, [...protocolLines(ctx, doc), ctx.t('protocol.attached', { agencies: listOr(attached) }), ...unpinned, '']);
      await confirm(ctx, values, 'prompt.signProtocol', { agency: keys.agency });
      const next = admin.signProtocol(signed);
      try {
        writeAtomically(file, `${JSON.stringify(next, null, 2)}\n`, false);
      } catch {
        throw new CliError('error.fileUnwritable', { file });
      }
      const signers = next.signatures.map((s) => s.agency);
      const missing = doc.parties.map((p) => p.agency).filter((a) => !signers.includes(a));
      if (ctx.json) return ctx.emit({ file, id: doc.id, version: doc.version, agency: keys.agency, signedBy: signers, missing, documentHash: protocolHash(doc) });
      ctx.say('protocol.signed', { agency: keys.agency, file });
      ctx.say('protocol.signedSoFar', { signed: listOr(signers.map(clean)), missing: listOr(missing.map(clean)) });
      ctx.say(missing.length > 0 ? 'protocol.signNextParty' : 'protocol.signNextSubmit', { file });
    });
  },
};

function printView(ctx: Context, view: ProtocolView) {
  ctx.say('protocol.signedBy', { agencies: listOr(view.signedBy.map(clean)) });
  ctx.say('protocol.missing', { agencies: listOr(view.missing.map(clean)) });
}

/** One line per version: its status, effective date, who signed and who is missing. */
function versionLines(ctx: Context, views: ProtocolView[]): string[] {
  return views.map(
    (v) =>
      `  ${ctx.t('protocol.versionLine', {
        version: v.version,
        status: statusLabel(ctx, v.status),
        time: formatTime(ctx, v.effectiveFrom),
        signed: listOr(v.signedBy.map(clean)),
        missing: listOr(v.missing.map(clean)),
      })}`,
  );
}

const submit: Command = {
  words: ['protocol', 'submit'],
  synopsis: 'synopsis.protocolFile',
  summary: 'help.protocolSubmit.summary',
  details: 'help.protocolSubmit.details',
  options: {
    file: { type: 'string', value: 'arg.file', help: 'opt.protocolFile' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const signed = await readProtocolFile(requiredOption(values, 'file'));
    // The signatures are the authority: submitting needs no key.
    const view = await new HubHttp(ctx.hub, ctx.lang).post(ROUTES.protocols, signed, ProtocolViewSchema);
    if (ctx.json) return void ctx.emit(view);
    ctx.say('protocol.submitted', { id: clean(view.id), version: view.version, status: statusLabel(ctx, view.status) });
    printView(ctx, view);
  },
};

type PartyCheck = { agency: string; state: 'verified' | 'invalid' | 'missing' | 'unverifiable'; reason?: string };

/**
 * Runs `fn` with a key directory that trusts what this device pinned: agency
 * root keys (known-roots.json, plus the agency's own from agency.pub.json)
 * and the hub's log key (known-log-keys.json); keys seen for the first time
 * are proven in the log, then pinned, as `withMember` does.
 */
async function withPinnedDirectory<T>(ctx: Context, http: HubHttp, crypto: CryptoPort, fn: (directory: Directory) => Promise<T>): Promise<T> {
  const store = new KeyStore(ctx);
  const pins = readPins(ctx, store);
  const own = store.readJson<{ agency?: string; rootKey?: string }>(FILES.agencyPublic);
  const log = new LogVerifier(http, crypto, pins.logKey ? { logKey: pins.logKey } : {});
  // An administrator's tools hold no member key to read the log's records with: keys are checked against pins and signatures.
  const directory = new Directory(http, crypto, log, {
    pinnedRoots: { ...(own?.agency && own.rootKey ? { [own.agency]: own.rootKey } : {}), ...pins.roots },
    pinStore: pins.pinStore,
    requireLogProof: false,
  });
  try {
    return await fn(directory);
  } finally {
    pins.save(directory.pinnedRoots, log.trust.logKey);
  }
}

/** Each party's signature of this exact document, checked on this device. */
async function checkSignatures(ctx: Context, http: HubHttp, signed: SignedProtocol): Promise<PartyCheck[]> {
  const crypto = await loadSodium();
  const rootKeys: Record<string, string> = {};
  const keyProblems: Record<string, string> = {};
  await withPinnedDirectory(ctx, http, crypto, async (directory) => {
    for (const { agency } of signed.document.parties) {
      if (!signed.signatures.some((s) => s.agency === agency)) continue;
      try {
        rootKeys[agency] = toB64u(await directory.rootKey(agency));
      } catch (err) {
        if (err instanceof DirectoryError) keyProblems[agency] = ctx.t(err.code === 'ROOT_KEY_CHANGED' ? 'protocol.keyChanged' : 'protocol.keyNotInLog');
        else if (err instanceof LogVerificationError) keyProblems[agency] = ctx.t('protocol.logUnverified', { code: err.code });
        else if (err instanceof VigieApiError) keyProblems[agency] = clean(`${err.code}: ${err.message}`);
        else throw err;
      }
    }
  });
  const unsigned = unsignedParties(crypto, signed, rootKeys);
  return signed.document.parties.map(({ agency }): PartyCheck => {
    if (!signed.signatures.some((s) => s.agency === agency)) return { agency, state: 'missing' };
    if (keyProblems[agency]) return { agency, state: 'unverifiable', reason: keyProblems[agency] };
    return { agency, state: unsigned.includes(agency) ? 'invalid' : 'verified' };
  });
}

const showCommand: Command = {
  words: ['protocol', 'show'],
  args: 'arg.protocolId',
  summary: 'help.protocolShow.summary',
  details: 'help.protocolShow.details',
  options: {
    version: { type: 'string', value: 'arg.version', help: 'opt.showVersion' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [idArg]) {
    const id = valid.protocolId(idArg);
    const versionText = stringOption(values, 'version');
    const wanted = versionText === undefined ? undefined : valid.version(versionText, '--version');
    const http = new HubHttp(ctx.hub, ctx.lang);
    const views = await protocolVersions(http, id);
    const chosen =
      wanted !== undefined ? views.find((v) => v.version === wanted) : (views.filter((v) => v.status === 'active').at(-1) ?? views.at(-1));
    if (!chosen) throw new CliError('error.protocolVersionUnknown', { id, version: wanted ?? '—', versions: listOr(views.map((v) => String(v.version))) });

    const signed = await getProtocol(http, id, chosen.version);
    const checks = await checkSignatures(ctx, http, signed);
    const computed = protocolHash(signed.document);
    const hashProblem = computed !== chosen.documentHash;
    // A signature that is there and does not verify, or a version the hub calls signed that is not.
    const claimsSigned = chosen.status !== 'pending_signatures';
    const problem = hashProblem || checks.some((c) => c.state === 'invalid' || c.state === 'unverifiable' || (c.state === 'missing' && claimsSigned));

    if (ctx.json) {
      ctx.emit({ id, versions: views, version: chosen.version, status: chosen.status, document: signed.document, documentHash: computed, signatures: checks, verified: !problem });
      return problem ? EXIT.problem : EXIT.ok;
    }
    const lines = [ctx.t('protocol.versions', { id, title: clean(chosen.titles[ctx.lang]) }), ...versionLines(ctx, views)];
    if (chosen.retiredAt) lines.push(ctx.t('protocol.retiredOn', { time: formatTime(ctx, chosen.retiredAt) }));
    lines.push('', ...protocolLines(ctx, signed.document), '', ctx.t('protocol.checked', { version: chosen.version, status: statusLabel(ctx, chosen.status) }));
    for (const c of checks) {
      const agency = clean(c.agency);
      if (c.state === 'verified') lines.push(`  ${ctx.t('protocol.sigOk', { agency })}`);
      else if (c.state === 'invalid') lines.push(`  ${ctx.t('protocol.sigBad', { agency })}`);
      else if (c.state === 'unverifiable') lines.push(`  ${ctx.t('protocol.sigNoKey', { agency, reason: c.reason ?? '' })}`);
      else lines.push(`  ${ctx.t('protocol.sigMissing', { agency })}`);
    }
    if (hashProblem) lines.push(ctx.t('protocol.hashMismatch', { announced: clean(chosen.documentHash), computed }));
    if (problem) lines.push(ctx.t('protocol.sigWarning', { version: chosen.version, status: statusLabel(ctx, chosen.status) }));
    else if (checks.every((c) => c.state === 'verified')) lines.push(ctx.t('protocol.allVerified'));
    ctx.print(lines.join('\n'));
    return problem ? EXIT.problem : EXIT.ok;
  },
};

const retire: Command = {
  words: ['protocol', 'retire'],
  args: 'arg.protocolId',
  summary: 'help.protocolRetire.summary',
  details: 'help.protocolRetire.details',
  options: {
    yes: { type: 'boolean', short: 'y', help: 'opt.yes' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [idArg]) {
    const id = valid.protocolId(idArg);
    await withAgency(ctx, async (admin, keys) => {
      const views = await protocolVersions(admin.http, id);
      const parties = [...new Set(views.flatMap((v) => v.parties.map((p) => p.agency)))];
      if (!parties.includes(keys.agency)) throw new CliError('error.notAParty', { agency: keys.agency, parties: parties.map(clean).join(', ') });
      show(ctx, [
        ctx.t('protocol.versions', { id, title: clean(views.at(-1)!.titles[ctx.lang]) }),
        ...versionLines(ctx, views),
        '',
      ]);
      await confirm(ctx, values, 'prompt.retireProtocol', { id, agency: keys.agency });
      const after = await admin.retireProtocol(id);
      if (ctx.json) return ctx.emit({ id, agency: keys.agency, versions: after });
      ctx.say('protocol.retired', { id, agency: keys.agency, time: formatTime(ctx, after[0]?.retiredAt) });
    });
  },
};

export const protocolCommands = [draft, sign, submit, showCommand, retire];
