/**
 * The Vigie SDK: typed API, key handling, and the live stream.
 *
 * @example
 * import { VigieClient } from 'vigie/clients/sdk';
 */
export * from './keys.js';
export * from './http.js';
export * from './wire-check.js';
export * from './directory.js';
export * from './log-verifier.js';
export * from './client.js';
export * from './stream.js';
export * from './admin.js';
export * from './pin-file.js';
