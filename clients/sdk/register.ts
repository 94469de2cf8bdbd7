/**
 * The communications register, for an auditor's or an administrator's
 * device: the rows the hub reads from its disclosure log (JSON) or the same
 * register as CSV (headers and vocabulary in the person's language, codes
 * beside them), page after page to the end. The CLI (`vigie audit register`)
 * and the console read it through these functions, so both show and export
 * the same register. Every read is itself a leaf of the log.
 *
 * @example
 * const rows = await readRegister(client, { legalBasis: 'apprehended_danger', withoutConsent: true });
 * const { text } = await exportRegisterCsv(client, { from: '2026-01-01T00:00:00Z' }, 'fr');
 */
import type { RegisterFilters, RegisterRow } from '../../protocol/register.js';
import { RegisterPageSchema } from '../../protocol/api/register.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { HubHttp } from './http.js';
import { isProtocolMismatch } from './wire-check.js';

/** Pages at most; the hub serves up to 5000 rows a page. */
export const REGISTER_MAX_PAGES = 200;

/** What reads the register: a member's client (VigieClient is one). */
export interface RegisterReader {
  http: HubHttp;
  accessToken(): Promise<string>;
}

/** The hub answered something that is not a register page. */
export class RegisterAnswerError extends Error {
  readonly code = 'REGISTER_ANSWER_INVALID';
  constructor() {
    super('the hub did not answer with a register page');
  }
}

/**
 * The filters as the query string of `GET /v1/audit/register` (the hub
 * validates them: RegisterFiltersSchema). Absent filters are left out.
 *
 * @example
 * registerQuery({ event: 'accepted', withoutConsent: true }).toString() // 'event=accepted&withoutConsent=true'
 */
export function registerQuery(filters: RegisterFilters): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of ['agency', 'from', 'to', 'event', 'legalBasis', 'messageType', 'withoutConsent'] as const) {
    const value = filters[key];
    if (value !== undefined && value !== '') q.set(key, String(value));
  }
  return q;
}

/**
 * A day of the person's calendar (`2026-11-29`, local time) as the bound of
 * a period: its first instant, or its last with `endOfDay` (a period "to
 * 2026-11-29" covers that whole day). Null for a day that does not exist.
 *
 * @example
 * dayBound('2026-02-30') // null
 * dayBound('2026-11-29', true) // '2026-11-30T04:59:59.999Z' in Montreal
 */
export function dayBound(day: string, endOfDay = false): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const start = new Date(y, mo, d);
  // new Date() rolls 2026-02-30 over to March: such a day does not exist.
  if (start.getFullYear() !== y || start.getMonth() !== mo || start.getDate() !== d || y > 9999) return null;
  return (endOfDay ? new Date(new Date(y, mo, d + 1).getTime() - 1) : start).toISOString();
}

/** Every row of the register that matches the filters, in log order. */
export async function readRegister(reader: RegisterReader, filters: RegisterFilters = {}): Promise<RegisterRow[]> {
  const rows: RegisterRow[] = [];
  let after: number | null = null;
  for (let page = 0; page < REGISTER_MAX_PAGES; page++) {
    const q = registerQuery(filters);
    q.set('format', 'json');
    if (after !== null) q.set('after', String(after));
    const res = await reader.http.get(`${ROUTES.auditRegister}?${q}`, RegisterPageSchema, await reader.accessToken()).catch((err: unknown) => {
      throw isProtocolMismatch(err) ? new RegisterAnswerError() : err;
    });
    rows.push(...res.rows);
    // A next position that does not move forward would loop forever.
    if (typeof res.next !== 'number' || (after !== null && res.next <= after)) return rows;
    after = res.next;
  }
  return rows;
}

/**
 * The register as the hub's CSV, every page joined under one header line,
 * in `lang` (by default the reader's), and how many rows it holds.
 */
export async function exportRegisterCsv(reader: RegisterReader, filters: RegisterFilters = {}, lang?: 'fr' | 'en'): Promise<{ text: string; rows: number }> {
  const http = lang ? new HubHttp(reader.http.baseUrl, lang) : reader.http;
  let header = '';
  const bodies: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < REGISTER_MAX_PAGES; page++) {
    const q = registerQuery(filters);
    q.set('format', 'csv');
    if (after !== null) q.set('after', after);
    const { res, text } = await http.send('GET', `${ROUTES.auditRegister}?${q}`, { accept: 'text/csv', token: await reader.accessToken() });
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
