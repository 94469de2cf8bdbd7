// Every route of the hub's OpenAPI document, driven with hostile values in
// every path parameter, query parameter and body field its schema declares
// (and in whole bodies), unauthenticated, as the operator and as a real
// member: every answer is a 4xx or a success, never a 5xx. Routes come from
// /docs/json, so a route added later is fuzzed without touching this file.
import t from 'tap';
import WebSocket from 'ws';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  format?: string;
};
type Operation = { parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Strings no route may turn into a 5xx: U+0000, lone surrogates, dates that are not dates, numbers beyond any integer. */
const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  '2026-99-99T99:99:99.999Z',
  '2026-02-30T12:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '1e400',
  '9223372036854775808',
  '-9223372036854775809',
  '99999999999999999999999999999',
  '9007199254740994',
];
/** Numbers as raw JSON text (JSON.stringify cannot write 1e400). */
const HOSTILE_NUMBERS = ['1e400', '-1e400', '9007199254740994', '9223372036854775808', '2147483648', '-2147483649', '1.5', '-1', '1e-400'];
/** Query and path values, percent-encoded as they travel; %ED%A0%80 is a lone surrogate in UTF-8 form. */
const HOSTILE_URL_VALUES = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  'x%ED%B3%BFy',
  '%F0%9F',
  '%FF',
  '1e400',
  '-1e400',
  '9007199254740994',
  '9223372036854775808',
  '-9223372036854775809',
  '99999999999999999999999999999',
  '2026-99-99T99%3A99%3A99.999Z',
  '2026-02-30T12%3A00%3A00.000Z',
  'Infinity',
  'NaN',
  '-1',
  '0x10',
  '',
];
/** Whole bodies. */
const HOSTILE_BODIES: (string | Buffer)[] = [
  'null',
  '[]',
  '"\\u0000"',
  '1e400',
  '{}',
  '{"\\u0000":1}',
  '{"\\ud800":"\\udc00"}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '['.repeat(5000) + ']'.repeat(5000),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]),
];

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const firstOf = (s: Schema): Schema => s.anyOf?.find((x) => x.type !== 'null') ?? s.oneOf?.find((x) => x.type !== 'null') ?? s.allOf?.[0] ?? s;
const typeOf = (s: Schema) => (Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type);

/** Strings seen in real requests: the candidates a generated value is chosen from. */
const pool = new Set<string>(['a', 'shelter-laval', 'police-laval', 'shelter-laval/intake', 'police-laval/dispatch', 'victim_safety', 'identity', new Date().toISOString()]);
function collectStrings(v: unknown) {
  if (typeof v === 'string') pool.add(v);
  else if (Array.isArray(v)) v.forEach(collectStrings);
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) (pool.add(k), collectStrings(x));
}

function fits(s: Schema, value: string): boolean {
  if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) return false;
  if (s.minLength !== undefined && value.length < s.minLength) return false;
  if (s.maxLength !== undefined && value.length > s.maxLength) return false;
  return true;
}

/** A plausible value for a schema: consts, first enum members, pool strings that fit, minimal numbers. */
function sample(schema: Schema, depth = 0): Json {
  const s = firstOf(schema);
  if (s.const !== undefined) return s.const as Json;
  if (s.enum) return s.enum[0] as Json;
  switch (typeOf(s)) {
    case 'object': {
      const out: Record<string, Json> = {};
      if (depth > 12) return out;
      for (const name of s.required ?? []) out[name] = sample(s.properties?.[name] ?? {}, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(s.minItems ?? 1, 1) }, () => sample(s.items ?? {}, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, Math.min(1, s.maximum ?? 1));
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'date-time') return new Date().toISOString();
      for (const v of pool) if (fits(s, v)) return v;
      return 'a'.repeat(Math.max(s.minLength ?? 1, 1));
    default:
      return 'a';
  }
}

/** Every field path a schema declares (properties, array items as index 0). */
function schemaPaths(schema: Schema, prefix: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  const s = firstOf(schema);
  if (depth > 12) return out;
  if (typeOf(s) === 'object' && s.properties) {
    for (const [name, sub] of Object.entries(s.properties)) {
      out.push([...prefix, name]);
      schemaPaths(sub, [...prefix, name], out, depth + 1);
    }
  } else if (typeOf(s) === 'array' && s.items) {
    out.push([...prefix, 0]);
    schemaPaths(s.items, [...prefix, 0], out, depth + 1);
  }
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])].slice(1)) schemaPaths(alt, prefix, out, depth + 1);
  return out;
}

/** Every leaf path of a concrete value. */
function valuePaths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...prefix, i]), valuePaths(x, [...prefix, i], out)));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) (out.push([...prefix, k]), valuePaths(x, [...prefix, k], out));
  return out;
}

/** A copy of `base` with `path` set to a marker; the marker's JSON text is then replaced by the raw hostile text. */
function withRaw(base: Json, path: (string | number)[], raw: string): string {
  const marker = '\u2063hostile\u2063';
  const copy = structuredClone(base) as Json;
  let node: Json = copy;
  for (const [i, key] of path.entries()) {
    const last = i === path.length - 1;
    if (last) {
      (node as Record<string | number, Json>)[key] = marker;
      break;
    }
    const next = (node as Record<string | number, Json>)[key];
    if (typeof next !== 'object' || next === null) (node as Record<string | number, Json>)[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = (node as Record<string | number, Json>)[key]!;
  }
  return JSON.stringify(copy).replace(JSON.stringify(marker), raw);
}

function withKey(base: Json, path: (string | number)[], key: string): string | null {
  const copy = structuredClone(base) as Json;
  let node: Json = copy;
  for (const k of path) node = (node as Record<string | number, Json>)?.[k] ?? null;
  if (!isObject(node)) return null;
  node[key] = 1;
  return JSON.stringify(copy);
}

t.test('every route answers hostile input with a 4xx, never a 5xx', async (t) => {
  const hub = await startTestHub(t, { config: { rateLimitPerMinute: 100_000_000 } });

  // The valid requests of a real enrolment are the bases the hostile values are planted in.
  const recorded: { method: string; path: string; body: Json }[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (typeof init?.body === 'string') {
      try {
        const body = JSON.parse(init.body) as Json;
        recorded.push({ method: (init.method ?? 'GET').toUpperCase(), path: url.pathname, body });
        collectStrings(body);
      } catch {
        // not JSON
      }
    }
    for (const segment of url.pathname.split('/')) if (segment) pool.add(decodeURIComponent(segment));
    return realFetch(input, init);
  }) as typeof fetch;
  t.teardown(() => {
    globalThis.fetch = realFetch;
  });
  const partners = await enrolPartners(hub.url, hub.operatorToken);
  const { worker, underConsent } = partners;
  const sent = await worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: { n: 1 }, ...underConsent });
  pool.add(sent.id);
  const everything = await enrolDevice(hub.url, partners.shelter, 'tous-roles', ['sender', 'receiver', 'admin', 'auditor'], ['shelter-laval/intake']);
  globalThis.fetch = realFetch;

  const auths: Record<'anonymous' | 'operator' | 'member', string | null> = {
    anonymous: null,
    operator: hub.operatorToken,
    member: await everything.client.accessToken(),
  };

  const doc = (await hub.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> };
  let requests = 0;
  let routes = 0;
  const failures: string[] = [];

  const send = (method: string, url: string, body: string | Buffer | undefined, token: string | null, contentType = 'application/json') => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    return hub.app.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: body } : {}) });
  };
  // Per route: anonymous always, and each credential the route lets through (a route the member may use is not
  // driven again with the operator's token, which it would refuse before reading anything).
  let modes: [string, string | null][] = [];
  async function hit(method: string, url: string, body: string | Buffer | undefined, what: string, contentType = 'application/json') {
    for (const [who, token] of modes) {
      const res = await send(method, url, body, token, contentType);
      requests++;
      if (res.statusCode >= 500) failures.push(`${res.statusCode} ${method} ${url.slice(0, 160)} ${what} as ${who}: ${res.body.slice(0, 200)}`);
    }
  }

  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [lower, op] of Object.entries(operations)) {
      const method = lower.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      routes++;
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;

      // A recorded request to this route gives real path values and a real body.
      const matcher = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\*\}/g, '(.+)').replace(/\{[^}]+\}/g, '([^/]+)')}$`);
      const seen = recorded.filter((r) => r.method === method && matcher.test(r.path));
      const validPath: Record<string, string> = {};
      for (const p of pathParams) validPath[p.name] = encodeURIComponent(String(sample(p.schema ?? {})));
      if (seen[0]) {
        const m = matcher.exec(seen[0].path)!;
        pathParams.forEach((p, i) => (validPath[p.name] = m[i + 1]!));
      }
      const urlWith = (over: Record<string, string>, query: Record<string, string> = {}) => {
        const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => over[name] ?? validPath[name]!);
        const qs = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
        return qs ? `${path}?${qs}` : path;
      };
      const validQuery: Record<string, string> = {};
      for (const q of queryParams) if (q.required) validQuery[q.name] = encodeURIComponent(String(sample(q.schema ?? {})));

      const bases: Json[] = [];
      if (bodySchema) {
        bases.push(sample(bodySchema));
        for (const r of seen.slice(0, 2)) bases.push(r.body);
      }
      const baseBody = bases.length ? JSON.stringify(bases.at(-1)) : undefined;
      modes = [['anonymous', null]];
      for (const who of ['member', 'operator'] as const) {
        const probe = await send(method, urlWith({}, validQuery), baseBody, auths[who]!);
        if (probe.statusCode !== 401 && probe.statusCode !== 403) modes.push([who, auths[who]!]);
        if (modes.length > 1) break;
      }

      for (const p of pathParams) {
        for (const v of HOSTILE_URL_VALUES) {
          if (v === '' && p.name === '*') continue;
          await hit(method, urlWith({ [p.name]: v }, validQuery), baseBody, `path ${p.name}=${v}`);
        }
      }
      for (const q of queryParams) {
        for (const v of HOSTILE_URL_VALUES) await hit(method, urlWith({}, { ...validQuery, [q.name]: v }), baseBody, `query ${q.name}=${v}`);
        await hit(method, `${urlWith({}, validQuery)}${queryParams.length || Object.keys(validQuery).length ? '&' : '?'}${q.name}=1&${q.name}=%00`, baseBody, `query ${q.name} twice`);
      }
      if (bodySchema) {
        for (const base of bases) {
          const paths = new Map<string, (string | number)[]>();
          for (const p of [...schemaPaths(bodySchema), ...valuePaths(base)]) paths.set(JSON.stringify(p), p);
          for (const path of paths.values()) {
            for (const s of HOSTILE_STRINGS) await hit(method, urlWith({}, validQuery), withRaw(base, path, JSON.stringify(s)), `body ${path.join('.')}=${JSON.stringify(s)}`);
            for (const n of HOSTILE_NUMBERS) await hit(method, urlWith({}, validQuery), withRaw(base, path, n), `body ${path.join('.')}=${n}`);
          }
          for (const path of [[], ...paths.values()]) {
            for (const key of ['\u0000', '\ud800']) {
              const body = withKey(base, path, key);
              if (body) await hit(method, urlWith({}, validQuery), body, `body key ${JSON.stringify(key)} at ${path.join('.') || '/'}`);
            }
          }
        }
      }
      if (method !== 'GET') {
        for (const body of HOSTILE_BODIES) await hit(method, urlWith({}, validQuery), body, `whole body ${String(body).slice(0, 30)}`);
        await hit(method, urlWith({}, validQuery), '\u0000', 'text/plain NUL', 'text/plain');
      }
    }
  }

  // The WebSocket stream is hidden from OpenAPI by @fastify/websocket; its query is fuzzed over a real handshake.
  const token = await everything.client.accessToken();
  const base = `${hub.url.replace(/^http/, 'ws')}/v1/stream`;
  for (const name of ['after', 'inbox']) {
    for (const v of HOSTILE_URL_VALUES) {
      const outcome = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${base}?${name}=${v}`, ['vigie.v1', `vigie.bearer.${token}`]);
        ws.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
        // Open, then the first frame (the end of the replay) or the hub's close code.
        ws.on('message', () => (resolve('ready'), ws.close()));
        ws.on('close', (code) => resolve(`close ${code}`));
        ws.on('error', () => resolve('error'));
      });
      requests++;
      if (/^HTTP 5|close 1011/.test(outcome)) failures.push(`${outcome} WS /v1/stream?${name}=${v}`);
    }
  }
  routes++;

  t.comment(`fuzz: ${requests} requests over ${routes} routes (OpenAPI and the stream), ${failures.length} × 5xx`);
  t.ok(routes >= 30, `the OpenAPI document lists the hub's routes (${routes})`);
  t.same(failures.slice(0, 25), [], `0 × 5xx in ${requests} hostile requests`);
  t.equal(failures.length, 0, 'no 5xx at all');
});
