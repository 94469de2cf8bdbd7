#!/usr/bin/env node
// The `vigie` command, bundled into one file, dist/bin/vigie.js, by `npm run build`
// (which `npm ci` runs; clients/cli/bundle.mjs): plain JavaScript, no loader, few
// files to load, so a desk's `vigie ack` answers at once. From the sources:
// `node --import tsx clients/cli/bin.ts`.
import { preferNodeHttp } from '../sdk/node-http.js';
import { preferNativeSodium } from '../../server/lib/native-sodium.js';
import { run } from './main.js';

// Native libsodium on Node (a key file opens in 0.6 s instead of 1 s; libsodium.js where it has no binary), and node:http rather than fetch.
preferNativeSodium();
preferNodeHttp();

const code = await run(process.argv.slice(2), process.env);
process.exitCode = code;
// The command is done: a lingering keep-alive socket must not keep the shell waiting.
setTimeout(() => process.exit(code), 1000).unref();
