import { join } from 'node:path';
import fp from 'fastify-plugin';
import { fromB64u, toB64u } from '../../protocol/encoding.js';
import { formatVkey } from '../../protocol/log/note.js';
import { readOrCreateSecretFile } from '../auth/secrets.js';
import { logRoutes } from './routes.js';
import { registerRoutes } from './register.js';
import { Sequencer } from './sequencer.js';
import { WitnessClient } from './witnesses.js';

declare module 'fastify' {
  interface FastifyInstance {
    disclosureLog: {
      origin: string;
      /** C2SP vkey of the hub's checkpoint key. */
      vkey: string;
      quorum: number;
      /** Asks the sequencer to integrate queued leaves now. */
      kick(): void;
      /** Integrates everything queued so far (tests, benchmarks, shutdown). */
      flush(): Promise<void>;
      sequencer: Sequencer;
    };
  }
}

export interface AuditOptions {
  dataDir: string;
  logOrigin: string;
  logKeyFile?: string;
  logBatchSize: number;
  logIntervalMs: number;
  witnesses: { url: string; vkey: string }[];
  witnessQuorum: number;
}

/** The disclosure log: sequencer, checkpoints, witnesses, read API and the auditors' register. */
export const auditPlugin = fp<AuditOptions>(
  async (app, opts) => {
    const seed = readOrCreateSecretFile(opts.logKeyFile ?? join(opts.dataDir, 'log-signing-key'), () => toB64u(app.crypto.randomBytes(32))).trim();
    const keys = app.crypto.signKeypair(fromB64u(seed));
    const vkey = formatVkey(app.crypto, opts.logOrigin, keys.publicKey);
    const witnesses = new WitnessClient(app.db, app.crypto, app.log, opts.witnesses);
    const sequencer = new Sequencer({
      db: app.db,
      crypto: app.crypto,
      log: app.log,
      origin: opts.logOrigin,
      signingSecretKey: keys.secretKey,
      batchSize: opts.logBatchSize,
      intervalMs: opts.logIntervalMs,
      onCheckpoint: (cp) => witnesses.submit(cp),
    });
    app.decorate('disclosureLog', {
      origin: opts.logOrigin,
      vkey,
      quorum: opts.witnessQuorum,
      kick: () => sequencer.kick(),
      flush: () => sequencer.flush(),
      sequencer,
    });
    app.addHook('onReady', async () => sequencer.start());
    app.addHook('onClose', async () => {
      await sequencer.close();
      await witnesses.close();
    });
    await app.register(logRoutes);
    await app.register(registerRoutes);
  },
  { name: 'vigie-audit', dependencies: ['vigie-db', 'vigie-crypto', 'vigie-auth'] },
);
