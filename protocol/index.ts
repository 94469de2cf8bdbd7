/**
 * The public surface of `protocol/`: runtime-neutral wire schemas, encodings,
 * canonical JSON, signatures, envelopes, key wraps, client assertions and
 * key files, plus the libsodium adapter of the crypto port.
 *
 * @example
 * import { loadSodium, buildEnvelope, openEnvelope } from '../protocol/index.js';
 * const crypto = await loadSodium();
 */
export * from './ids.js';
export * from './encoding.js';
export * from './schemas.js';
export type * from './crypto-port.js';
export * from './errors.js';
export * from './canonical.js';
export * from './sodium.js';
export * from './signing.js';
export * from './padding.js';
export * from './envelope-structure.js';
export * from './envelope.js';
export * from './uuid.js';
export * from './inbox-keys.js';
export * from './client-assertion.js';
export * from './keyfile.js';
