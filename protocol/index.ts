/**
 * The public surface of `protocol/`: runtime-neutral wire schemas, encodings,
 * canonical JSON, signatures, envelopes, key wraps, client assertions and
 * key files, the disclosure log's formats (RFC 6962 tree, C2SP checkpoints,
 * signed notes, cosignatures, tiles, proof bundles), plus the libsodium
 * adapter of the crypto port.
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
export * from './vocabulary.js';
export * from './protocol-document.js';
export * from './disclosure.js';
export * from './refusal-detail.js';
export * from './consent.js';
export * from './escalation-chain.js';
export * from './instrument.js';
export * from './register.js';
export * from './log/merkle.js';
export * from './log/tiles.js';
export * from './log/note.js';
export * from './log/checkpoint.js';
export * from './log/cosignature.js';
export * from './log/proof-bundle.js';
export * from './stream.js';
