/**
 * A small HTTP client: JSON in and out, errors as VigieApiError with the
 * hub's stable code, and every answer checked against its schema in
 * `protocol/api/` (ProtocolMismatchError `RESPONSE_INVALID` otherwise).
 *
 * @example
 * const http = new HubHttp('http://127.0.0.1:8080');
 * const agencies = await http.get(ROUTES.agencies, AgencyListSchema);
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ErrorAnswerSchema, type ErrorAnswer } from '../../protocol/api/error-answer.js';
import { checkerOf } from '../../protocol/schema-check.js';
import { ProtocolMismatchError, routeOf } from './wire-check.js';

export class VigieApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** What a transport hands back: the status, the headers and the body's bytes. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  body: Uint8Array;
}

/**
 * One HTTP exchange. A failure before any answer (refused, reset, DNS) is a
 * TypeError whose message names fetch, as the platform's fetch throws it:
 * callers tell a network failure from a refusal by that.
 */
export type HttpTransport = (url: URL, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<HttpAnswer>;

/** The platform's fetch: browsers, and Node unless a process installs another transport. */
const fetchTransport: HttpTransport = async (url, init) => {
  const res = await fetch(url, init);
  return { status: res.status, statusText: res.statusText, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
};

const utf8 = new TextDecoder();

let transport: HttpTransport = fetchTransport;

/**
 * Chooses how every HubHttp of this process talks to the hub from now on.
 * A Node process (the CLI, the demo, the bench) installs node:http's
 * keep-alive client (clients/sdk/node-http.ts), several times cheaper per
 * request than fetch; a browser never calls this.
 */
export function useHttpTransport(next: HttpTransport): void {
  transport = next;
}

export class HubHttp {
  constructor(
    readonly baseUrl: string,
    private readonly lang: 'fr' | 'en' = 'fr',
  ) {}

  /**
   * One request; a non-2xx answer becomes a VigieApiError with the hub's code.
   * Returns the response with its body already read as text.
   */
  async send(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; accept?: string; authorization?: string } = {},
  ): Promise<{ res: HttpAnswer; text: string }> {
    const res = await this.exchange(method, path, opts);
    return { res, text: utf8.decode(res.body) };
  }

  /** A binary resource (a log tile, an entry bundle): its bytes, or a VigieApiError. */
  async bytes(path: string, accept = 'application/octet-stream'): Promise<Uint8Array> {
    return (await this.exchange('GET', path, { accept })).body;
  }

  private async exchange(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; accept?: string; authorization?: string },
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'accept-language': this.lang, accept: opts.accept ?? 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    // Another scheme than a bearer token: a request the agency's root key signed (protocol/agency-request.ts).
    else if (opts.authorization) headers.authorization = opts.authorization;
    const res = await transport(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    if (res.status >= 300 && res.status <= 399) {
      // Not followed: a redirect could take the bearer token to another address. The message is where it points.
      throw new VigieApiError(res.status, 'HUB_REDIRECTED', `→ ${res.headers.get('location') ?? '?'}`);
    }
    if (res.status < 200 || res.status > 299) {
      let err: ErrorAnswer['error'] | undefined;
      try {
        const parsed: unknown = JSON.parse(utf8.decode(res.body));
        if (Value.Check(ErrorAnswerSchema, parsed)) err = parsed.error;
      } catch {
        // not JSON: reported with the status
      }
      throw new VigieApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.details);
    }
    return res;
  }

  /**
   * The answer as parsed JSON, unchecked and typed `unknown` (null when
   * empty): for a caller that checks it itself, or wants only the refusal.
   * A body that is not JSON is RESPONSE_INVALID.
   */
  async json(method: string, path: string, opts: { body?: unknown; token?: string; authorization?: string } = {}): Promise<unknown> {
    const { text } = await this.send(method, path, opts);
    if (!text) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ProtocolMismatchError('RESPONSE_INVALID', routeOf(path));
    }
  }

  /** One request whose answer must match `schema` (ProtocolMismatchError RESPONSE_INVALID otherwise). */
  async request<S extends TSchema>(method: string, path: string, schema: S, opts: { body?: unknown; token?: string; authorization?: string } = {}): Promise<Static<S>> {
    const value = await this.json(method, path, opts);
    // The route is named only for a mismatch: working it out is not free, and most answers match.
    if (checkerOf(schema)(value)) return value;
    throw new ProtocolMismatchError('RESPONSE_INVALID', routeOf(path));
  }

  /** A text/plain resource (signed notes, keys). */
  async requestText(method: string, path: string, token?: string): Promise<string> {
    return (await this.send(method, path, { accept: 'text/plain', ...(token ? { token } : {}) })).text;
  }

  get<S extends TSchema>(path: string, schema: S, token?: string): Promise<Static<S>> {
    return this.request('GET', path, schema, token ? { token } : {});
  }
  post<S extends TSchema>(path: string, body: unknown, schema: S, token?: string): Promise<Static<S>> {
    return this.request('POST', path, schema, { body, ...(token ? { token } : {}) });
  }
}
