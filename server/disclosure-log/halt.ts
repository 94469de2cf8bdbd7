import { and, desc, eq, isNull } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { bytesEqual } from '../../protocol/encoding.js';
import { rootFromNodes, rootNodes } from '../../protocol/log/merkle.js';
import type { Db } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import type { HubMetrics, LogHaltReason, WitnessAlarmKind } from '../metrics/plugin.js';
import { logWitnessAlarms } from './integrity-tables.js';
import { fetchNodes } from './nodes.js';
import { treeSize } from './sequencer.js';
import { logCheckpoints } from './tables.js';

export type { LogHaltReason, WitnessAlarmKind };

export interface WitnessAlarm {
  witness: string;
  kind: WitnessAlarmKind;
  /** Size of the checkpoint the witness refused. */
  size: number;
  witnessSize: number | null;
  status: number;
  detail: string | null;
}

export interface LogHaltStatus {
  halted: boolean;
  /** Why acceptance is halted; empty when it is not. */
  reasons: LogHaltReason[];
  /** What the last integrity check found wrong with the stored tree, or null. */
  tampered: string | null;
  /** Active alarms of configured witnesses (they halt only when too few witnesses are left for the quorum). */
  witnessAlarms: { witness: string; kind: WitnessAlarmKind; size: number }[];
}

export interface LogHaltOptions {
  db: Db;
  crypto: CryptoPort;
  log: FastifyBaseLogger;
  /** Key names of the configured witnesses: alarms of witnesses no longer configured are ignored. */
  witnesses: string[];
  quorum: number;
  /** How often the stored tree and the shared alarms are checked. */
  checkIntervalMs: number;
  metrics?: HubMetrics;
  /** Called on each check while a configured witness is in alarm (to offer it the newest checkpoint again). */
  onWitnessAlarm?: () => void;
  /** Called when the stored tree is found altered, and when it is found sound again (what was read from it is dropped). */
  onTamperedChange?: () => void;
}

/**
 * Whether the hub may still accept messages. It must not when it cannot
 * keep the record that every disclosure is on (DESIGN.md, invariant 4):
 *
 * - the stored tree no longer matches the last checkpoint the hub signed
 *   (`tampered`): the sequencer refuses to sign, so receipts would stay
 *   pending forever. Re-checked every `checkIntervalMs`; it clears when
 *   the stored nodes match again.
 * - witnesses refuse its checkpoints as a fork (`witness_fork`) or with a
 *   proof they cannot verify (`witness_invalid_proof`), and too few
 *   witnesses without an alarm are left to make the quorum (at least one):
 *   no new checkpoint could ever be witnessed. One partner's witness alone,
 *   right or lying, does not stop every agency's alerts while the others
 *   can still cosign: its alarm is logged, counted and shown by /readyz.
 *   Witness alarms are shared by every instance (log_witness_alarms) and
 *   clear only when that witness cosigns a checkpoint of this log again,
 *   or when it is removed from the configuration.
 */
export class LogHalt {
  private tampered: string | null = null;
  private alarms: { witness: string; kind: WitnessAlarmKind; size: number }[] = [];
  private reasonsNow: LogHaltReason[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private readonly configured: Set<string>;

  constructor(private readonly opts: LogHaltOptions) {
    this.configured = new Set(opts.witnesses);
  }

  get halted(): boolean {
    return this.reasonsNow.length > 0;
  }

  status(): LogHaltStatus {
    return { halted: this.halted, reasons: [...this.reasonsNow], tampered: this.tampered, witnessAlarms: this.alarms.map((a) => ({ ...a })) };
  }

  /** Throws LOG_HALTED (503) while the hub cannot keep its record. */
  assertAccepting(): void {
    if (this.halted) throw new VigieError('LOG_HALTED');
  }

  /** Records a witness alarm for every instance and re-evaluates at once. */
  async raiseWitnessAlarm(alarm: WitnessAlarm): Promise<void> {
    this.opts.metrics?.witnessAlarm(alarm.kind);
    await this.opts.db
      .insert(logWitnessAlarms)
      .values({ witness: alarm.witness, kind: alarm.kind, size: alarm.size, witnessSize: alarm.witnessSize, status: alarm.status, detail: alarm.detail?.slice(0, 200) ?? null })
      .onConflictDoNothing();
    await this.check();
  }

  /** A verified cosignature by this witness: it vouches for this log again, so its alarms end. */
  async witnessCosigned(witness: string): Promise<void> {
    if (!this.alarms.some((a) => a.witness === witness)) return;
    await this.opts.db
      .update(logWitnessAlarms)
      .set({ clearedAt: new Date() })
      .where(and(eq(logWitnessAlarms.witness, witness), isNull(logWitnessAlarms.clearedAt)));
    this.opts.log.warn({ witness }, 'witness cosigned this log again: its alarm is cleared');
    await this.check();
  }

  /** Re-checks the stored tree and the shared alarms (one at a time). */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    const { db, log } = this.opts;
    let tampered: string | null;
    try {
      tampered = await this.storedTreeProblem();
    } catch (err) {
      // The database did not answer: nothing learned, the state stays as it was.
      log.warn({ err }, 'log integrity check failed');
      return;
    }
    const rows = await db
      .select({ witness: logWitnessAlarms.witness, kind: logWitnessAlarms.kind, size: logWitnessAlarms.size })
      .from(logWitnessAlarms)
      .where(isNull(logWitnessAlarms.clearedAt))
      .orderBy(desc(logWitnessAlarms.id))
      .catch(() => null);
    if (rows) this.alarms = rows.filter((r) => this.configured.has(r.witness)).map((r) => ({ ...r, kind: r.kind as WitnessAlarmKind }));
    if (tampered && !this.tampered) log.error({ code: 'LOG_TAMPERED', detail: tampered }, 'the stored log no longer matches its last signed checkpoint');
    else if (!tampered && this.tampered) log.warn({ code: 'LOG_TAMPERED' }, 'the stored log matches its last signed checkpoint again');
    if (!tampered !== !this.tampered) this.opts.onTamperedChange?.();
    this.tampered = tampered;

    const reasons: LogHaltReason[] = [];
    if (tampered) reasons.push('tampered');
    const alarmed = new Set(this.alarms.map((a) => a.witness));
    if (alarmed.size > 0 && this.configured.size - alarmed.size < Math.max(this.opts.quorum, 1)) {
      if (this.alarms.some((a) => a.kind === 'fork')) reasons.push('witness_fork');
      if (this.alarms.some((a) => a.kind === 'invalid_proof')) reasons.push('witness_invalid_proof');
    }
    if (reasons.join() !== this.reasonsNow.join()) {
      if (reasons.length > 0) log.error({ code: 'LOG_HALTED', reasons, witnessAlarms: this.alarms }, 'disclosure log halted: new messages are refused (503 LOG_HALTED)');
      else log.warn({ code: 'LOG_HALTED' }, 'disclosure log resumed: messages are accepted again');
    }
    this.reasonsNow = reasons;
    const m = this.opts.metrics;
    if (m) {
      m.logHalted(reasons);
      m.witnessesAlarmed({ fork: this.alarms.filter((a) => a.kind === 'fork').length, invalid_proof: this.alarms.filter((a) => a.kind === 'invalid_proof').length });
    }
    if (this.alarms.length > 0) this.opts.onWitnessAlarm?.();
  }

  /**
   * The sequencer's own check, read-only: the newest checkpoint's root
   * recomputed from the stored nodes, and a tree at least that long. The
   * checkpoint is read first: the tree only grows after it, so a
   * concurrent append can never look like tampering.
   */
  private async storedTreeProblem(): Promise<string | null> {
    const { db, crypto } = this.opts;
    const [last] = await db.select({ size: logCheckpoints.size, rootHash: logCheckpoints.rootHash }).from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);
    if (!last) return null;
    const size = await treeSize(db);
    if (size < last.size) return `stored tree (${size}) is shorter than checkpoint ${last.size}`;
    const nodes = await fetchNodes(db, rootNodes(last.size));
    try {
      if (bytesEqual(rootFromNodes(crypto, last.size, (level, index) => nodes.get(level, index)), last.rootHash)) return null;
    } catch (err) {
      if ((err as { code?: string }).code === 'LOG_NODE_MISSING') return `${(err as Error).message} (checkpoint ${last.size})`;
      throw err;
    }
    return `stored nodes no longer match checkpoint ${last.size}`;
  }

  /** Checks once (so that an instance restarted during an alarm starts halted), then every checkIntervalMs. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.opts.checkIntervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checking;
  }
}
