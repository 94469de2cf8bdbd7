/**
 * The inclusion-proof figures of the log scenario, in a process of its own
 * (as an auditor's machine asks): `node bench/log-proofs.ts <hub url> <size>`
 * warms the routes, then times 2,000 proofs of random leaves in the tree of
 * `size`, and 2,000 requests for the hub's key beside them (the floor: the
 * same client and HTTP path, no proof). Prints one JSON line for each.
 */
import { HubHttp } from '../clients/sdk/http.js';
import { preferNodeHttp } from '../clients/sdk/node-http.js';
import { ROUTES } from '../protocol/api/routes.js';
import { percentile } from './percentile.js';

const REQUESTS = 2000;
const WARM_UP = 500;

async function timed(ask: () => Promise<unknown>): Promise<{ requests: number; p50_ms: number; p99_ms: number; max_ms: number }> {
  const times: number[] = [];
  for (let k = 0; k < REQUESTS; k++) {
    const s = performance.now();
    await ask();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return { requests: times.length, p50_ms: +percentile(times, 0.5).toFixed(3), p99_ms: +percentile(times, 0.99).toFixed(3), max_ms: +times[times.length - 1]!.toFixed(3) };
}

preferNodeHttp();
const [base, sizeArg] = process.argv.slice(2);
const size = Number(sizeArg);
if (!base || !Number.isSafeInteger(size) || size < 1) throw new Error('usage: log-proofs.ts <hub url> <size>');
const http = new HubHttp(base);
const proof = () => http.bytes(`${ROUTES.logInclusion}?index=${Math.floor(Math.random() * size)}&size=${size}`, 'application/json');
const key = () => http.bytes(ROUTES.logKey, 'text/plain');
// The routes warm first, as the delivery scenarios warm the hub before they measure.
for (let k = 0; k < WARM_UP; k++) {
  await proof();
  await key();
}
process.stdout.write(`${JSON.stringify({ scenario: 'log', metric: 'inclusion_proof', size, ...(await timed(proof)) })}\n`);
process.stdout.write(`${JSON.stringify({ scenario: 'log', metric: 'floor_key_request', ...(await timed(key)) })}\n`);
