import fp from 'fastify-plugin';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { nativeOrLibsodiumJs } from '../lib/native-sodium.js';

declare module 'fastify' {
  interface FastifyInstance {
    crypto: CryptoPort;
  }
}

/**
 * The protocol's crypto port: native libsodium (sodium-native), or
 * libsodium.js where it has no binary. The hub only verifies: it holds no
 * content key. In the tests, clients in the same process keep libsodium.js,
 * so every integration test also checks that the two adapters agree.
 */
export const cryptoPlugin = fp(
  async (app) => {
    app.decorate('crypto', await nativeOrLibsodiumJs());
  },
  { name: 'vigie-crypto' },
);
