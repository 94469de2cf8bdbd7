/**
 * `vigie audit register`: the communications register for an auditor
 * device — who disclosed what kind of information to whom, when, on which
 * legal basis — read by the hub from its disclosure log. Every read is itself
 * logged. Pages are followed to the end; CSV comes from the hub with its
 * headers in the person's language.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RegisterFilters } from '../../../protocol/register.js';
import { exportRegisterCsv, readRegister, RegisterAnswerError } from '../../sdk/register.js';
import { flag, stringOption, type Command } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { registerText } from '../register-view.js';
import { withMember } from '../session.js';
import * as valid from '../validate.js';

function filters(values: Parameters<Command['run']>[1]): RegisterFilters {
  const f: RegisterFilters = {};
  const agency = stringOption(values, 'agency');
  const from = stringOption(values, 'from');
  const to = stringOption(values, 'to');
  const basis = stringOption(values, 'legal-basis');
  const type = stringOption(values, 'type');
  if (agency !== undefined) f.agency = valid.agencyId(agency);
  if (from !== undefined) f.from = valid.instant(from, '--from');
  if (to !== undefined) f.to = valid.instant(to, '--to', true);
  if (f.from !== undefined && f.to !== undefined && f.from > f.to) throw new UsageError('usage.badPeriod');
  if (basis !== undefined) f.legalBasis = valid.legalBasis(basis);
  if (type !== undefined) f.messageType = valid.messageType(type);
  return f;
}

/** The SDK's reading of the register, its malformed answers as the CLI's error. */
async function orBadAnswer<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof RegisterAnswerError) throw new CliError('error.badRegisterAnswer');
    throw err;
  }
}

function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text, { mode: 0o600 });
  } catch {
    throw new CliError('error.fileUnwritable', { file });
  }
}

const register: Command = {
  words: ['audit', 'register'],
  summary: 'help.auditRegister.summary',
  details: 'help.auditRegister.details',
  options: {
    agency: { type: 'string', value: 'arg.agencyId', help: 'opt.registerAgency' },
    from: { type: 'string', value: 'arg.date', help: 'opt.registerFrom' },
    to: { type: 'string', value: 'arg.date', help: 'opt.registerTo' },
    'legal-basis': { type: 'string', value: 'arg.legalBasis', help: 'opt.legalBasis' },
    type: { type: 'string', value: 'arg.type', help: 'opt.registerType' },
    csv: { type: 'boolean', help: 'opt.csv' },
    out: { type: 'string', value: 'arg.file', help: 'opt.registerOut' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const f = filters(values);
    const out = stringOption(values, 'out');
    const csv = flag(values, 'csv');
    return withMember(ctx, async (client) => {
      if (csv) {
        const { text, rows } = await exportRegisterCsv(client, f, ctx.lang);
        if (out === undefined) return void ctx.io.stdout(text);
        writeOut(out, text);
        if (ctx.json) return void ctx.emit({ rows, file: resolve(out), format: 'csv' });
        return void ctx.say('audit.registerWritten', { count: rows, file: out });
      }
      const rows = await orBadAnswer(readRegister(client, f));
      if (out !== undefined) {
        writeOut(out, `${JSON.stringify({ rows }, null, 2)}\n`);
        if (ctx.json) return void ctx.emit({ rows: rows.length, file: resolve(out), format: 'json' });
        return void ctx.say('audit.registerWritten', { count: rows.length, file: out });
      }
      if (ctx.json) return void rows.forEach((r) => ctx.emit(r));
      ctx.print(registerText(ctx, rows));
    });
  },
};

export const auditRegisterCommands = [register];
