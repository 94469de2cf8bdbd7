/**
 * `vigie audit verify|proof|prove`: checking the hub's disclosure log from
 * outside. `verify` checks the signed checkpoint against the log key pinned
 * on first use, the witnesses' cosignatures, that the log only grew since the
 * last verified checkpoint and (`--full`) every entry; `proof` downloads a
 * message's proof of acceptance, which `prove` checks offline. Exit 4 means
 * the log or the acceptance proof failed a check: keep the output as evidence.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { toB64 } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { auditLog, verifyAcceptanceProof, AcceptanceProofSchema, acceptanceProofOrigin, type AuditProblem, type AuditReport, type KeyAlarm, type AcceptanceProof, type AcceptanceProofProblem } from '../../sdk/audit.js';
import { chooseLogKey, LogKeyError, verifyTrustedLog, type LogKeyChoice, type TrustedRun } from '../../sdk/log-trust.js';
import { FILES, KeyStore } from '../key-store.js';
import { VigieApiError } from '../../sdk/http.js';
import { flag, stringOption, type Command } from '../command.js';
import type { Context } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { basisLabel, clean, formatTime, typeLabel } from '../format.js';
import type { MessageKey } from '../i18n.js';
import { readJsonInput } from '../input.js';
import { logKeyOption, LogTrustStore, quorumOption, witnessOptions, type VerifiedCheckpoint } from '../log-trust.js';
import { progressBar } from '../progress.js';
import { withMember } from '../session.js';
import * as valid from '../validate.js';

const PROBLEM_TEXT: Record<AuditProblem, MessageKey> = {
  CHECKPOINT_SIGNATURE_INVALID: 'audit.problem.CHECKPOINT_SIGNATURE_INVALID',
  CHECKPOINT_ORIGIN_MISMATCH: 'audit.problem.CHECKPOINT_ORIGIN_MISMATCH',
  QUORUM_NOT_MET: 'audit.problem.QUORUM_NOT_MET',
  LOG_SHRANK: 'audit.problem.LOG_SHRANK',
  LOG_FORKED: 'audit.problem.LOG_FORKED',
  ENTRIES_MISSING: 'audit.problem.ENTRIES_MISSING',
  ROOT_MISMATCH: 'audit.problem.ROOT_MISMATCH',
  KEY_REGISTERED_TWICE: 'audit.problem.KEY_REGISTERED_TWICE',
  INBOX_KEY_UNEXPLAINED: 'audit.problem.INBOX_KEY_UNEXPLAINED',
  KEY_NOT_IN_LOG: 'audit.problem.KEY_NOT_IN_LOG',
  RECORD_MISMATCH: 'audit.problem.RECORD_MISMATCH',
  REVOCATION_NOT_ROTATED: 'audit.problem.REVOCATION_NOT_ROTATED',
  KEY_SEALED_TO_REVOKED: 'audit.problem.KEY_SEALED_TO_REVOKED',
};

/** One alarm, for a person: what, about whom, where in the log, and what it means. */
function alarmLine(ctx: Context, a: KeyAlarm): string {
  return ctx.t('audit.alarm', {
    code: a.code,
    subject: clean(a.subject),
    where: a.index === null ? '' : ctx.t('audit.alarmWhere', { index: a.index }),
    explanation: ctx.t(PROBLEM_TEXT[a.code]),
  });
}

/**
 * A member's access token when this key directory holds a device key: the
 * key directory's records are for members. Null otherwise (the checks that
 * need them are skipped, and the report says so).
 */
async function memberToken<T>(ctx: Context, fn: (token: (() => Promise<string>) | undefined) => Promise<T>): Promise<T> {
  if (!new KeyStore(ctx).has(FILES.member)) return fn(undefined);
  return withMember(ctx, (client) => fn(() => client.accessToken()));
}

/** The witnesses and quorum of this run: --witness/--quorum, else those `vigie audit trust` set for this hub. */
function witnessChoice(ctx: Context, crypto: Awaited<ReturnType<typeof loadSodium>>, values: Parameters<Command['run']>[1]) {
  const given = witnessOptions(crypto, values.witness);
  if (given.length > 0 || stringOption(values, 'quorum') !== undefined) return { witnesses: given, quorum: quorumOption(stringOption(values, 'quorum'), given.length) };
  return new LogTrustStore(ctx).witnessTrust() ?? { witnesses: [], quorum: 0 };
}

/** The log key this run trusts (clients/sdk/log-trust.ts decides), the hub's malformed key as the CLI's error. */
async function chooseKey(ctx: Context, store: LogTrustStore, given: string | undefined): Promise<LogKeyChoice> {
  try {
    const choice = await chooseLogKey(ctx.hub, store, given, undefined, ctx.lang);
    if (choice.differsFromPinned) ctx.note('audit.keyDiffersFromPinned', { pinned: choice.differsFromPinned, file: store.trustFile });
    return choice;
  } catch (err) {
    if (err instanceof LogKeyError) throw new CliError('error.badHubLogKey', { hub: ctx.hub });
    throw err;
  }
}

function printReport(ctx: Context, report: AuditReport, info: { full: boolean; witnesses: number; quorum: number; saved: VerifiedCheckpoint | null; stateFile: string }): void {
  const cp = report.checkpoint;
  const lines: string[] = [];
  if (cp) {
    lines.push(ctx.t('audit.header', { origin: clean(cp.origin), hub: ctx.hub }));
    lines.push(`  ${ctx.t('audit.size', { size: cp.size })}`);
    lines.push(`  ${ctx.t('audit.root', { root: toB64(cp.rootHash) })}`);
  }
  lines.push(`  ${info.witnesses > 0 ? ctx.t('audit.cosignatures', { count: report.cosignatures, quorum: info.quorum }) : ctx.t('audit.noWitnesses')}`);
  lines.push(`  ${info.full ? ctx.t('audit.entriesChecked', { checked: report.entriesChecked, size: cp?.size ?? 0 }) : ctx.t('audit.entriesNotChecked')}`);
  lines.push(`  ${report.keyEvents === null ? ctx.t('audit.keyEventsSkipped') : ctx.t('audit.keyEvents', { count: report.keyEvents })}`);
  lines.push(
    `  ${info.saved ? ctx.t('audit.consistency', { time: formatTime(ctx, info.saved.verifiedAt), size: info.saved.size }) : ctx.t('audit.firstAudit')}`,
  );
  for (const problem of report.problems) lines.push(ctx.t('audit.problem', { code: problem, explanation: ctx.t(PROBLEM_TEXT[problem]) }));
  for (const alarm of report.alarms) lines.push(alarmLine(ctx, alarm));
  lines.push(report.ok ? ctx.t('audit.ok', { file: info.stateFile }) : ctx.t('audit.failed', { count: report.problems.length }));
  ctx.print(lines.join('\n'));
}

/** How a run trusts the log: its key (pinned otherwise) and the witnesses it requires. */
const TRUST_OPTIONS = {
  'log-key': { type: 'string', value: 'arg.vkey', help: 'opt.logKey' },
  witness: { type: 'string', multiple: true, value: 'arg.vkey', help: 'opt.witnessKey' },
  quorum: { type: 'string', value: 'arg.count', help: 'opt.quorum' },
} satisfies Command['options'];

/** The log key, witnesses and quorum of a run (see TRUST_OPTIONS), the log key checked, and the trust store. */
async function runTrust(ctx: Context, values: Parameters<Command['run']>[1], stateFile?: string) {
  const crypto = await loadSodium();
  const given = stringOption(values, 'log-key');
  if (given !== undefined) logKeyOption(crypto, given);
  const store = new LogTrustStore(ctx, stateFile);
  const choice = await chooseKey(ctx, store, given?.trim());
  return { crypto, store, choice, origin: logKeyOption(crypto, choice.logKey).name, ...witnessChoice(ctx, crypto, values) };
}

const verify: Command = {
  words: ['audit', 'verify'],
  summary: 'help.auditVerify.summary',
  details: 'help.auditVerify.details',
  options: {
    ...TRUST_OPTIONS,
    full: { type: 'boolean', help: 'opt.full' },
    quick: { type: 'boolean', help: 'opt.quick' },
    state: { type: 'string', value: 'arg.file', help: 'opt.auditState' },
    progress: { type: 'boolean', help: 'opt.progress' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const stateOption = stringOption(values, 'state');
    const { crypto, store, choice, origin, witnesses, quorum } = await runTrust(ctx, values, stateOption === undefined ? undefined : resolve(stateOption));
    // Every entry re-hashed unless asked otherwise: an altered leaf is only seen that way.
    const full = !flag(values, 'quick');
    const saved = store.saved(origin);
    const progress = full && (flag(values, 'progress') || process.stderr.isTTY === true) ? progressBar(ctx, 'audit.progress', process.stderr.isTTY === true) : undefined;
    let run: TrustedRun;
    try {
      run = await memberToken(ctx, (token) =>
        verifyTrustedLog({ url: ctx.hub, storage: store, choice, witnesses: { witnesses, quorum }, full, lang: ctx.lang, ...(progress ? { onProgress: progress.update } : {}), ...(token ? { token } : {}) }, crypto),
      );
    } finally {
      progress?.end();
    }
    const { report, pinned } = run;

    if (ctx.json) {
      const cp = report.checkpoint;
      ctx.emit({
        ok: report.ok,
        problems: report.problems,
        origin: cp?.origin ?? null,
        size: cp?.size ?? null,
        rootHash: cp ? toB64(cp.rootHash) : null,
        cosignatures: report.cosignatures,
        quorum,
        entriesChecked: report.entriesChecked,
        keyEvents: report.keyEvents,
        alarms: report.alarms,
        logKey: choice.logKey,
        logKeySource: choice.source,
        pinned,
        previous: saved ? { size: saved.size, rootHash: saved.rootHash, verifiedAt: saved.verifiedAt } : null,
        saved: report.ok ? store.stateFile : null,
      });
    } else {
      printReport(ctx, report, { full, witnesses: witnesses.length, quorum, saved, stateFile: store.stateFile });
      if (pinned) ctx.note('audit.pinned', { key: choice.logKey, file: store.trustFile });
      else if (choice.source === 'hub') ctx.note('audit.notPinned', { key: choice.logKey });
    }
    // The hub now announces another key (a rotation to confirm out of band); still the pinned one: a forged checkpoint.
    if (run.hubKeyNow) ctx.note('audit.hubKeyChanged', { key: clean(run.hubKeyNow), file: store.trustFile });
    return report.ok ? EXIT.ok : EXIT.problem;
  },
};

const proof: Command = {
  words: ['audit', 'proof'],
  args: 'arg.messageId',
  summary: 'help.auditProof.summary',
  details: 'help.auditProof.details',
  options: {
    out: { type: 'string', value: 'arg.fileOrStdout', help: 'opt.proofOut' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [id]) {
    const message = valid.messageId(id);
    const out = stringOption(values, 'out') ?? `${message}.tlog-proof.json`;
    const answer = await withMember(ctx, async (client) => client.fetchAcceptanceProof(message));
    if (answer.message !== message) throw new CliError('error.badProofAnswer', { id: message });
    const file: AcceptanceProof = { message: answer.message, index: answer.index, leaf: answer.leaf, record: answer.record, salt: answer.salt, bundle: answer.bundle };
    const text = `${JSON.stringify(file, null, 2)}\n`;
    if (out === '-') {
      ctx.print(text);
      return EXIT.ok;
    }
    try {
      writeFileSync(out, text, { mode: 0o600 });
    } catch {
      throw new CliError('error.fileUnwritable', { file: out });
    }
    if (ctx.json) return ctx.emit({ message, index: file.index, file: resolve(out) });
    ctx.say('audit.proofSaved', { id: message, index: file.index, file: out });
    ctx.note('audit.proofNext', { file: out });
  },
};

const REASON_TEXT: Record<AcceptanceProofProblem, MessageKey> = {
  SIGNATURE: 'audit.reason.signature',
  ORIGIN: 'audit.reason.origin',
  QUORUM: 'audit.reason.quorum',
  NOT_INCLUDED: 'audit.reason.notIncluded',
  RECORD_MISMATCH: 'audit.reason.recordMismatch',
  OTHER_MESSAGE: 'audit.reason.otherMessage',
  NOT_ACCEPTANCE: 'audit.reason.notAcceptance',
  MALFORMED: 'audit.reason.malformed',
};

interface AcceptedLeaf {
  type?: unknown;
  at?: unknown;
  message?: unknown;
  messageType?: unknown;
  sender?: { agency?: unknown; inbox?: unknown };
  recipients?: unknown;
  legalBasis?: { code?: unknown; reference?: unknown } | null;
}

const text = (v: unknown) => (typeof v === 'string' ? clean(v) : '—');

function printLeaf(ctx: Context, leaf: AcceptedLeaf, where: { index: number; size: number; origin: string }): void {
  const type = typeof leaf.messageType === 'string' ? leaf.messageType : '';
  const recipients = Array.isArray(leaf.recipients)
    ? leaf.recipients.map((r: unknown) => (typeof r === 'string' ? clean(r) : r && typeof r === 'object' ? text((r as { inbox?: unknown }).inbox) : '—')).join(', ')
    : '—';
  const basis = leaf.legalBasis && typeof leaf.legalBasis.code === 'string' ? basisLabel(ctx, leaf.legalBasis.code) : ctx.t('audit.noLegalBasis');
  ctx.print(
    [
      ctx.t('audit.leafHeader', { id: text(leaf.message) }),
      `  ${ctx.t('audit.leafType', { type: type ? typeLabel(ctx, type) : '—' })}`,
      `  ${ctx.t('audit.leafSender', { agency: text(leaf.sender?.agency), inbox: text(leaf.sender?.inbox) })}`,
      `  ${ctx.t('audit.leafRecipients', { recipients })}`,
      `  ${ctx.t('audit.leafLegalBasis', { basis })}`,
      `  ${ctx.t('audit.leafTime', { time: typeof leaf.at === 'string' ? formatTime(ctx, leaf.at) : '—' })}`,
      `  ${ctx.t('audit.leafPosition', { index: where.index, size: where.size, origin: clean(where.origin) })}`,
    ].join('\n'),
  );
}

const prove: Command = {
  words: ['audit', 'prove'],
  args: 'arg.proofFile',
  summary: 'help.auditProve.summary',
  details: 'help.auditProve.details',
  options: {
    'log-key': { type: 'string', value: 'arg.vkey', help: 'opt.logKeyOffline' },
    witness: { type: 'string', multiple: true, value: 'arg.vkey', help: 'opt.witnessKey' },
    quorum: { type: 'string', value: 'arg.count', help: 'opt.quorum' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [source]) {
    const crypto = await loadSodium();
    const given = stringOption(values, 'log-key');
    if (given !== undefined) logKeyOption(crypto, given);
    const witnesses = witnessOptions(crypto, values.witness);
    const quorum = quorumOption(stringOption(values, 'quorum'), witnesses.length);
    const input = await readJsonInput(source!);
    if (!Value.Check(AcceptanceProofSchema, input)) throw new CliError('error.badProofFile', { file: source! });
    const origin = acceptanceProofOrigin(input);
    const store = new LogTrustStore(ctx);
    // Offline: the bundle names its log, and the key pinned for that log (by any earlier `audit verify`) is the one to trust.
    const logKey = given?.trim() ?? (origin === null ? undefined : store.pinnedForOrigin(crypto, origin));
    if (!logKey && origin !== null) throw new CliError('error.noPinnedLogKey', { origin, file: store.trustFile });

    const verdict: Awaited<ReturnType<typeof verifyAcceptanceProof>> = logKey ? await verifyAcceptanceProof(input, { logKey, witnesses, quorum }, crypto) : { ok: false, problem: 'MALFORMED' };
    const leaf = (verdict.leaf ?? {}) as AcceptedLeaf;
    const failure = verdict.ok ? null : (verdict.problem ?? 'MALFORMED');

    if (ctx.json) {
      ctx.emit(
        failure
          ? { ok: false, message: input.message, reason: failure, detail: verdict.reason ?? null }
          : { ok: true, message: input.message, index: verdict.index, size: verdict.checkpoint?.size, origin: verdict.checkpoint?.origin, leaf: verdict.leaf },
      );
    } else if (failure) {
      ctx.say('audit.proveFailed', { file: source!, reason: ctx.t(REASON_TEXT[failure], { count: verdict.cosignatures ?? 0, quorum }) });
    } else {
      printLeaf(ctx, leaf, { index: verdict.index ?? 0, size: verdict.checkpoint?.size ?? 0, origin: verdict.checkpoint?.origin ?? '' });
      ctx.say('audit.proveOk', { key: logKey! });
    }
    return failure ? EXIT.problem : EXIT.ok;
  },
};

/** Rounds in a row without an answer from the hub before `audit watch` raises an alarm. */
const UNREACHABLE_ROUNDS = 3;

const watch: Command = {
  words: ['audit', 'watch'],
  summary: 'help.auditWatch.summary',
  details: 'help.auditWatch.details',
  options: {
    ...TRUST_OPTIONS,
    interval: { type: 'string', value: 'arg.seconds', help: 'opt.interval' },
    rounds: { type: 'string', value: 'arg.count', help: 'opt.rounds' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const { crypto, store, choice, origin, witnesses, quorum } = await runTrust(ctx, values);
    const seconds = valid.seconds(stringOption(values, 'interval') ?? '30', '--interval');
    const roundsText = stringOption(values, 'rounds');
    const rounds = roundsText === undefined ? Infinity : valid.version(roundsText, '--rounds');
    let saved = store.saved(origin);
    const raised = new Set<string>();
    let stop = false;
    const onSignal = () => (stop = true);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (!ctx.json) ctx.note('audit.watching', { hub: ctx.hub, seconds });
    try {
      return await memberToken(ctx, async (token) => {
        // The first round re-hashes every entry; later ones check what was added since, by consistency.
        let unreachable = 0;
        const raise = (a: { code: string; subject: string; index: number | null }, size: number | null) => {
          if (raised.has(`${a.code}:${a.subject}:${a.index}`)) return false;
          raised.add(`${a.code}:${a.subject}:${a.index}`);
          if (ctx.json) ctx.emit({ alarm: a.code, subject: a.subject, index: a.index, size });
          else ctx.io.stderr(`${a.code === 'HUB_UNREACHABLE' ? ctx.t('audit.alarmUnreachable', { hub: ctx.hub, rounds: UNREACHABLE_ROUNDS }) : alarmLine(ctx, a as KeyAlarm)}\n`);
          return true;
        };
        for (let round = 0; round < rounds && !stop; round++) {
          let report: AuditReport;
          try {
            report = await auditLog({ url: ctx.hub, logKey: choice.logKey, witnesses, quorum, saved, full: saved === null || round === 0, lang: ctx.lang, ...(token ? { token } : {}) }, crypto);
            unreachable = 0;
          } catch (err) {
            // A hub that does not answer is not a reason to stop watching; several rounds in a row are an alarm.
            if (!(err instanceof TypeError) && !(err instanceof VigieApiError)) throw err;
            unreachable++;
            if (!ctx.json) ctx.note('audit.watchUnreachable', { hub: ctx.hub, count: unreachable });
            if (unreachable === UNREACHABLE_ROUNDS) raise({ code: 'HUB_UNREACHABLE', subject: ctx.hub, index: null }, null);
            if (round + 1 < rounds && !stop) await new Promise((r) => setTimeout(r, seconds * 1000));
            continue;
          }
          const size = report.checkpoint?.size ?? null;
          const alarms = [...report.problems.filter((p) => !report.alarms.some((a) => a.code === p)).map((p) => ({ code: p, subject: ctx.hub, index: null })), ...report.alarms];
          const fresh = alarms.filter((a) => raise(a, size)).length;
          if (!ctx.json) ctx.note('audit.watchRound', { time: formatTime(ctx, new Date().toISOString()), size: size ?? 0, count: fresh });
          if (report.ok && report.save) {
            saved = { ...report.save, verifiedAt: new Date().toISOString(), hub: ctx.hub };
            store.save(report.save, new Date());
          }
          if (round + 1 < rounds && !stop) await new Promise((r) => setTimeout(r, seconds * 1000));
        }
        return raised.size > 0 ? EXIT.problem : EXIT.ok;
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

const trust: Command = {
  words: ['audit', 'trust'],
  summary: 'help.auditTrust.summary',
  details: 'help.auditTrust.details',
  options: {
    witness: { type: 'string', multiple: true, value: 'arg.vkey', help: 'opt.witnessKey' },
    quorum: { type: 'string', value: 'arg.count', help: 'opt.quorum' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const crypto = await loadSodium();
    const store = new LogTrustStore(ctx);
    const witnesses = witnessOptions(crypto, values.witness);
    if (witnesses.length > 0 || stringOption(values, 'quorum') !== undefined) {
      store.setWitnessTrust({ witnesses, quorum: quorumOption(stringOption(values, 'quorum'), witnesses.length) });
    }
    const current = store.witnessTrust() ?? { witnesses: [], quorum: 0 };
    if (ctx.json) return void ctx.emit({ hub: ctx.hub, ...current, file: store.trustFile });
    ctx.say(current.quorum > 0 ? 'audit.trustQuorum' : 'audit.trustNone', { hub: ctx.hub, quorum: current.quorum, count: current.witnesses.length, file: store.trustFile });
    for (const w of current.witnesses) ctx.print(`  ${clean(w)}`);
  },
};

export const auditCommands = [verify, watch, trust, proof, prove];
