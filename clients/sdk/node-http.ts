/**
 * The SDK's HTTP transport on Node: node:http and node:https with keep-alive
 * agents. Profiled under load, fetch (undici) cost the load generator about
 * half its CPU per alert; this client does the same exchanges for a fraction
 * of it. Only Node processes import this file (the CLI, the demo, the bench);
 * browsers keep fetch.
 *
 * A network failure is thrown as fetch throws it — `TypeError('fetch failed')`
 * with the cause — so that every caller (the stream's retry, the CLI's
 * "the hub cannot be reached") tells it from a refusal the same way.
 *
 * @example
 * preferNodeHttp(); // first thing in a Node process: every HubHttp uses it from then on
 */
import http from 'node:http';
import https from 'node:https';
import { useHttpTransport, type HttpAnswer, type HttpTransport } from './http.js';

export interface NodeHttpOptions {
  /** A kept-alive socket idle this long is closed here, before a hub or a proxy closes it (Node's own servers wait 5 s). */
  idleMs?: number;
  /** A hub silent this long on a request (no answer, or a body that stopped) fails it, as fetch does after 300 s. */
  answerMs?: number;
}

class StaleSocket extends Error {
  constructor(readonly original: Error) {
    super('kept-alive socket closed by the hub');
  }
}

/** The transport; preferNodeHttp installs it with the defaults. */
export function createNodeHttpTransport({ idleMs = 4_000, answerMs = 300_000 }: NodeHttpOptions = {}): HttpTransport {
  // Idle sockets do not keep a process alive (Node unrefs an agent's free sockets).
  const agents = { 'http:': new http.Agent({ keepAlive: true, timeout: idleMs }), 'https:': new https.Agent({ keepAlive: true, timeout: idleMs }) };

  /** The exchange once, rejecting with StaleSocket when a kept-alive socket was reset before any answer. */
  const exchange = (url: URL, init: Parameters<HttpTransport>[1]): Promise<HttpAnswer> => {
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!client) return Promise.reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
    return new Promise((resolve, reject) => {
      const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
      const headers: Record<string, string | number> = { ...init.headers };
      if (body) headers['content-length'] = body.length;
      const req = client.request(url, { method: init.method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({
            status,
            statusText: res.statusMessage ?? '',
            headers: {
              get(name) {
                const v = res.headers[name.toLowerCase()];
                return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
              },
            },
            body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
          });
        });
      });
      req.setTimeout(answerMs, () => req.destroy(Object.assign(new Error(`no answer within ${answerMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        reject(stale ? new StaleSocket(err) : new TypeError('fetch failed', { cause: err }));
      });
      req.end(body);
    });
  };

  return async (url, init) => {
    try {
      return await exchange(url, init);
    } catch (err) {
      if (!(err instanceof StaleSocket)) throw err;
      // Reset on a kept-alive socket before any answer: almost always a hub that closed it as idle
      // just as the request went out (idleMs keeps that rare). Sent again once, on a new socket, as
      // Node's documentation advises. Every request the SDK makes may be sent twice: a message, a
      // receipt or a consent carries its id and a second copy is answered as a duplicate; a signed
      // document or assertion sent twice is refused or found done, never acted on twice.
      return exchange(url, init).catch((e: unknown) => Promise.reject(e instanceof StaleSocket ? new TypeError('fetch failed', { cause: e.original }) : e));
    }
  };
}

export const nodeHttpTransport: HttpTransport = createNodeHttpTransport();

/** Makes every HubHttp of this process use node:http (called first thing by the CLI, the demo and the bench). */
export function preferNodeHttp(): void {
  useHttpTransport(nodeHttpTransport);
}
