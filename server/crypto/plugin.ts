import fp from 'fastify-plugin';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { loadSodium } from '../../protocol/sodium.js';

declare module 'fastify' {
  interface FastifyInstance {
    crypto: CryptoPort;
  }
}

/** The protocol's crypto port (libsodium). The hub only verifies: it holds no content key. */
export const cryptoPlugin = fp(
  async (app) => {
    app.decorate('crypto', await loadSodium());
  },
  { name: 'vigie-crypto' },
);
