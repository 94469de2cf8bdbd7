/**
 * `vigie consent record|revoke|list`: the victim's consent, recorded by a
 * device of the agency that serves her. The hub keeps metadata only — a
 * pseudonymous case reference, recipient agencies, purposes, categories,
 * validity — and the SHA-256 of the signed form, which never leaves this
 * machine. Revocation takes effect at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadSodium } from '../../../protocol/sodium.js';
import { randomUuid } from '../../../protocol/uuid.js';
import type { ConsentView } from '../../sdk/protocols.js';
import { listOption, requiredOption, stringOption, type Command } from '../command.js';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { categoryLabel, clean, consentStateLabel, formatTime, listOr, purposeLabel, withCode } from '../format.js';
import { withMember } from '../session.js';
import * as valid from '../validate.js';

/** base64url SHA-256 of the evidence file, computed here: only this digest goes to the hub. */
function evidenceHash(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new CliError('error.fileUnreadable', { file });
  }
  return createHash('sha256').update(bytes).digest('base64url');
}

export function consentLines(ctx: Context, c: ConsentView): string[] {
  const from = formatTime(ctx, c.validFrom);
  return [
    ctx.t('consent.recipients', { agencies: listOr(c.recipients.map(clean)) }),
    ctx.t('consent.purposes', { purposes: listOr(c.purposes.map((p) => withCode(purposeLabel(ctx, p), p))) }),
    ctx.t('consent.categories', { categories: listOr(c.dataCategories.map((d) => withCode(categoryLabel(ctx, d), d))) }),
    c.validUntil ? ctx.t('consent.validity', { from, until: formatTime(ctx, c.validUntil) }) : ctx.t('consent.validityOpen', { from }),
    ...(c.revokedAt ? [ctx.t('consent.revokedOn', { time: formatTime(ctx, c.revokedAt) })] : []),
  ];
}

const record: Command = {
  words: ['consent', 'record'],
  synopsis: 'synopsis.consentRecord',
  summary: 'help.consentRecord.summary',
  details: 'help.consentRecord.details',
  options: {
    case: { type: 'string', value: 'arg.case', help: 'opt.consentCase' },
    to: { type: 'string', multiple: true, value: 'arg.agencies', help: 'opt.consentTo' },
    purpose: { type: 'string', multiple: true, value: 'arg.purposes', help: 'opt.consentPurposes' },
    category: { type: 'string', multiple: true, value: 'arg.categories', help: 'opt.consentCategories' },
    from: { type: 'string', value: 'arg.date', help: 'opt.consentFrom' },
    until: { type: 'string', value: 'arg.date', help: 'opt.consentUntil' },
    evidence: { type: 'string', value: 'arg.file', help: 'opt.evidence' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const caseRef = valid.caseRef(requiredOption(values, 'case'));
    const recipients = listOption(values, 'to').map(valid.agencyId);
    if (recipients.length === 0) throw new UsageError('usage.missingOption', { option: '--to' });
    if (recipients.length > 32) throw new UsageError('usage.tooMany', { option: '--to', max: 32 });
    const purposes = valid.purposes(listOption(values, 'purpose'));
    const categories = valid.categories(listOption(values, 'category'));
    if (categories.length === 0) throw new UsageError('usage.missingOption', { option: '--category' });
    const fromText = stringOption(values, 'from');
    const untilText = stringOption(values, 'until');
    const validFrom = fromText === undefined ? undefined : valid.instant(fromText, '--from');
    const validUntil = untilText === undefined ? undefined : valid.instant(untilText, '--until', true);
    if (validUntil && validUntil <= (validFrom ?? new Date().toISOString())) throw new UsageError('usage.badConsentPeriod');
    const evidence = requiredOption(values, 'evidence');
    const hash = evidenceHash(evidence);
    const id = randomUuid(await loadSodium());

    await withMember(ctx, async (client) => {
      const consent = await client.recordConsent({
        id,
        case: caseRef,
        recipients,
        purposes,
        dataCategories: categories,
        ...(validFrom ? { validFrom } : {}),
        ...(validUntil ? { validUntil } : {}),
        evidenceHash: hash,
      });
      if (ctx.json) return ctx.emit(consent);
      ctx.say('consent.recorded', { id: consent.id, case: clean(consent.case), state: consentStateLabel(ctx, consent.state) });
      for (const line of consentLines(ctx, consent)) ctx.print(`  ${line}`);
      ctx.say('consent.evidence', { hash, file: evidence });
    });
  },
};

const revoke: Command = {
  words: ['consent', 'revoke'],
  args: 'arg.consentId',
  summary: 'help.consentRevoke.summary',
  details: 'help.consentRevoke.details',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, _values, [idArg]) {
    const id = valid.consentId(idArg);
    await withMember(ctx, async (client) => {
      const consent = await client.revokeConsent(id);
      if (ctx.json) return ctx.emit(consent);
      ctx.say('consent.revoked', { id: consent.id, case: clean(consent.case), time: formatTime(ctx, consent.revokedAt) });
    });
  },
};

const list: Command = {
  words: ['consent', 'list'],
  summary: 'help.consentList.summary',
  options: {
    case: { type: 'string', value: 'arg.case', help: 'opt.caseFilter' },
    state: { type: 'string', value: 'arg.consentState', help: 'opt.stateFilter' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const caseText = stringOption(values, 'case');
    const stateText = stringOption(values, 'state');
    const filter = {
      ...(caseText !== undefined ? { case: valid.caseFilter(caseText) } : {}),
      ...(stateText !== undefined ? { state: valid.consentState(stateText) } : {}),
    };
    await withMember(ctx, async (client) => {
      const consents = await client.consents(filter);
      if (ctx.json) return consents.forEach((c) => ctx.emit(c));
      const lines = consents.flatMap((c) => [
        ctx.t('consent.line', { id: c.id, case: clean(c.case), state: consentStateLabel(ctx, c.state) }),
        ...consentLines(ctx, c).map((l) => `  ${l}`),
      ]);
      if (lines.length) ctx.print(lines.join('\n'));
      ctx.say('consent.count', { count: consents.length });
    });
  },
};

export const consentCommands = [record, revoke, list];
