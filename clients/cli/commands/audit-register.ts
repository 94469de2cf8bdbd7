/**
 * `vigie audit register`: the register of communications for an auditor
 * device — who disclosed what kind of information to whom, when, on which
 * legal basis — read by the hub from its disclosure log. Every read is itself
 * logged. Pages are followed to the end; CSV comes from the hub with its
 * headers in the person's language.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HubHttp } from '../../sdk/http.js';
import type { VigieClient } from '../../sdk/client.js';
import { flag, stringOption, type Command } from '../command.js';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { registerText } from '../register-view.js';
import { withMember } from '../session.js';
import * as valid from '../validate.js';
import type { RegisterRow } from '../../../protocol/register.js';

/** Pages at most; the hub serves up to 5000 rows a page. */
const MAX_PAGES = 200;

function query(values: Parameters<Command['run']>[1]): URLSearchParams {
  const q = new URLSearchParams();
  const agency = stringOption(values, 'agency');
  const from = stringOption(values, 'from');
  const to = stringOption(values, 'to');
  const basis = stringOption(values, 'legal-basis');
  const type = stringOption(values, 'type');
  if (agency !== undefined) q.set('agency', valid.agencyId(agency));
  if (from !== undefined) q.set('from', valid.instant(from, '--from'));
  if (to !== undefined) q.set('to', valid.instant(to, '--to', true));
  if (q.has('from') && q.has('to') && q.get('from')! > q.get('to')!) throw new UsageError('usage.badPeriod');
  if (basis !== undefined) q.set('legalBasis', valid.legalBasis(basis));
  if (type !== undefined) q.set('messageType', valid.messageType(type));
  return q;
}

/** Every page as JSON rows. */
async function jsonRows(client: VigieClient, q: URLSearchParams): Promise<RegisterRow[]> {
  const rows: RegisterRow[] = [];
  let after: number | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const p = new URLSearchParams(q);
    p.set('format', 'json');
    if (after !== null) p.set('after', String(after));
    const res = await client.http.get<{ rows: RegisterRow[]; next: number | null }>(`/v1/audit/register?${p}`, await client.accessToken());
    if (!res || !Array.isArray(res.rows)) throw new CliError('error.badRegisterAnswer');
    rows.push(...res.rows);
    // A next position that does not move forward would loop forever.
    if (typeof res.next !== 'number' || (after !== null && res.next <= after)) return rows;
    after = res.next;
  }
  return rows;
}

/** Every page as the hub's CSV (headers in the person's language), pages joined under one header line. */
async function csvText(ctx: Context, client: VigieClient, q: URLSearchParams): Promise<{ text: string; rows: number }> {
  let header = '';
  const bodies: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const p = new URLSearchParams(q);
    p.set('format', 'csv');
    if (after !== null) p.set('after', after);
    const { res, text } = await new HubHttp(ctx.hub, ctx.lang).send('GET', `/v1/audit/register?${p}`, {
      accept: 'text/csv',
      token: await client.accessToken(),
    });
    const cut = text.indexOf('\r\n');
    header = cut < 0 ? text : text.slice(0, cut + 2);
    if (cut >= 0) bodies.push(text.slice(cut + 2));
    const next = res.headers.get('x-vigie-next-after');
    if (!next || !/^\d{1,16}$/.test(next) || (after !== null && Number(next) <= Number(after))) break;
    after = next;
  }
  const body = bodies.join('');
  return { text: header + body, rows: body.split('\r\n').filter(Boolean).length };
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
    const q = query(values);
    const out = stringOption(values, 'out');
    const csv = flag(values, 'csv');
    return withMember(ctx, async (client) => {
      if (csv) {
        const { text, rows } = await csvText(ctx, client, q);
        if (out === undefined) return void ctx.io.stdout(text);
        writeOut(out, text);
        if (ctx.json) return void ctx.emit({ rows, file: resolve(out), format: 'csv' });
        return void ctx.say('audit.registerWritten', { count: rows, file: out });
      }
      const rows = await jsonRows(client, q);
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
