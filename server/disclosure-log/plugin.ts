import { join } from 'node:path';
import fp from 'fastify-plugin';
import { fromB64u, toB64u } from '../../protocol/encoding.js';
import { formatVkey, parseVkey } from '../../protocol/log/note.js';
import { readOrCreateSecretFile } from '../auth/secrets.js';
import { wakeOnCommit } from './append.js';
import { LogHalt } from './halt.js';
import { checkLogIdentity } from './log-identity.js';
import { logRoutes } from './routes.js';
import { communicationsRegisterRoutes } from './communications-register.js';
import { Sequencer } from './sequencer.js';
import { latestCheckpoint } from './proofs.js';
import { VigieError } from '../http/errors.js';
import { TreeNodes } from './tree-nodes.js';
import { WitnessClient } from './witnesses.js';

type NewestCheckpoint = NonNullable<Awaited<ReturnType<typeof latestCheckpoint>>>;

// Every log read needs the newest checkpoint, and so does every message pushed and inbox certificate
// served (sent along): one query per 250 ms, not one per request.
const CHECKPOINT_CACHE_MS = 250;

declare module 'fastify' {
  interface FastifyInstance {
    disclosureLog: {
      origin: string;
      /** C2SP vkey of the hub's checkpoint key. */
      vkey: string;
      quorum: number;
      /** Integrates everything queued so far (tests, benchmarks, shutdown). */
      flush(): Promise<void>;
      sequencer: Sequencer;
      /** Whether messages may be accepted (tampered tree, witness alarms): 503 LOG_HALTED otherwise. */
      halt: LogHalt;
      /** The tree's stored nodes, held in memory: inclusion and consistency proofs. */
      tree: TreeNodes;
      /**
       * The newest checkpoint, as GET /v1/log/checkpoint serves it (read at most every 250 ms); with
       * `atLeast`, one of at least that size if there is one (a signed size's tree never changes, so an
       * older read of it serves, whatever its age). LOG_EMPTY before the first.
       */
      newestCheckpoint(atLeast?: number): Promise<NewestCheckpoint>;
    };
  }
}

export interface DisclosureLogOptions {
  dataDir: string;
  disclosureLogOrigin: string;
  disclosureLogKeyFile?: string;
  disclosureLogBatchSize: number;
  disclosureLogIntervalMs: number;
  disclosureLogCheckpointGapMs: number;
  witnesses: { url: string; vkey: string }[];
  witnessQuorum: number;
}

// How often every instance re-checks the stored tree against its last checkpoint, and reads the shared witness alarms.
const INTEGRITY_CHECK_MS = 1000;

/** The disclosure log: sequencer, checkpoints, witnesses, read API and the auditors' register. */
export const disclosureLogPlugin = fp<DisclosureLogOptions>(
  async (app, opts) => {
    const seed = readOrCreateSecretFile(opts.disclosureLogKeyFile ?? join(opts.dataDir, 'log-signing-key'), () => toB64u(app.crypto.randomBytes(32))).trim();
    const keys = app.crypto.signKeypair(fromB64u(seed));
    const vkey = formatVkey(app.crypto, opts.disclosureLogOrigin, keys.publicKey);
    // Before anything signs: another instance's log (origin or key) in this database stops the start (LogIdentityError).
    await checkLogIdentity(app.db, app.crypto, { origin: opts.disclosureLogOrigin, vkey });
    const tree = new TreeNodes(app.db, app.crypto, parseVkey(app.crypto, vkey), {
      onRefused: (size, reason) => app.log.warn({ code: 'LOG_TREE_UNCHECKED', size, reason }, 'proofs are read from the table: the stored tree of the newest checkpoint does not check'),
    });
    const witnesses: WitnessClient = new WitnessClient(app.db, app.crypto, app.log, tree, opts.witnesses, {
      onAlarm: (alarm) => halt.raiseWitnessAlarm(alarm),
      onCosigned: (witness) => halt.witnessCosigned(witness),
      onAnswer: (answer) => app.metrics.witnessAnswer(answer),
    });
    const halt: LogHalt = new LogHalt({
      db: app.db,
      crypto: app.crypto,
      log: app.log,
      witnesses: witnesses.names,
      quorum: opts.witnessQuorum,
      checkIntervalMs: INTEGRITY_CHECK_MS,
      metrics: app.metrics,
      onWitnessAlarm: () => witnesses.retryAlarmed(),
      onTamperedChange: () => tree.forget(),
    });
    const sequencer = new Sequencer({
      db: app.db,
      crypto: app.crypto,
      log: app.log,
      origin: opts.disclosureLogOrigin,
      signingSecretKey: keys.secretKey,
      batchSize: opts.disclosureLogBatchSize,
      intervalMs: opts.disclosureLogIntervalMs,
      minGapMs: opts.disclosureLogCheckpointGapMs,
      onCheckpoint: (cp) => witnesses.submit(cp),
    });
    let cached: { at: number; value: NewestCheckpoint } | null = null;
    let flushed = 0;
    // A size beyond the cached one may have been signed a moment ago, by this or another instance: asked anew.
    const newestCheckpoint = async (atLeast = 0) => {
      if (cached && cached.value.size >= atLeast && (atLeast > 0 || Date.now() - cached.at < CHECKPOINT_CACHE_MS)) return cached.value;
      const before = flushed;
      const cp = await latestCheckpoint(app.db);
      if (!cp) throw new VigieError('LOG_EMPTY');
      // A read that a flush overtook keeps its answer to itself.
      if (before === flushed) cached = { at: Date.now(), value: cp };
      return cp;
    };
    app.decorate('disclosureLog', {
      newestCheckpoint,
      origin: opts.disclosureLogOrigin,
      vkey,
      quorum: opts.witnessQuorum,
      // What was flushed is served from then on, not a quarter of a second later.
      flush: () =>
        sequencer.flush().finally(() => {
          cached = null;
          flushed++;
        }),
      sequencer,
      halt,
      tree,
    });
    // Every transaction that queues leaves wakes the sequencer when it commits (append.ts).
    wakeOnCommit(app.db, () => sequencer.kick());
    app.addHook('onReady', async () => {
      // Proofs from memory from the first request: the stored tree is read first (about 1.5 s for 1,000,000 leaves).
      await tree.load();
      sequencer.start();
      // Halted from the first request if the stored tree or a shared witness alarm says so.
      await halt.start();
      // A witness added while the log is idle gets the current checkpoint now, not at the next leaf.
      void witnesses.submitLatest().catch((err: Error) => app.log.warn({ err: err.message }, 'could not submit the newest checkpoint to the witnesses'));
    });
    app.addHook('onClose', async () => {
      await sequencer.close();
      await halt.close();
      await witnesses.close();
      await tree.close();
    });
    await app.register(logRoutes);
    await app.register(communicationsRegisterRoutes);
  },
  { name: 'vigie-disclosure-log', dependencies: ['vigie-db', 'vigie-crypto', 'vigie-auth', 'vigie-metrics'] },
);
