/**
 * What a witness remembers: for each log origin, the size and root hash of
 * the latest checkpoint it cosigned, that checkpoint as cosigned, and the
 * time of its cosignature. It is the whole of the witness's promise — never
 * cosign a checkpoint inconsistent with the stored one, never roll back — so
 * the file is only ever replaced atomically (temporary file, fsync, rename),
 * a damaged file stops the witness instead of being read as empty (an empty
 * state would accept any fork), and a lock file keeps a second witness
 * process off the same state.
 *
 * In the process, `advance()` runs its check-and-update under a lock per
 * origin: two requests from the same old size are decided one after the
 * other, the second against what the first stored (C2SP tlog-witness warns
 * of exactly that race).
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const LogRecordSchema = Type.Object(
  {
    size: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    /** Standard base64 of the 32-byte root hash. */
    rootHash: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' }),
    /** The checkpoint note as cosigned: its text, the log signatures that verified, and this witness's cosignature. */
    checkpoint: Type.String({ minLength: 1 }),
    /** POSIX seconds of the latest cosignature. */
    timestamp: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { additionalProperties: false },
);
export type LogRecord = Static<typeof LogRecordSchema>;

const StateFileSchema = Type.Object(
  {
    v: Type.Literal(1),
    logs: Type.Record(Type.String({ minLength: 1 }), LogRecordSchema),
  },
  { additionalProperties: false },
);

export type StateErrorCode =
  /** The state file exists but is not a witness state: refusing beats forgetting. */
  | 'STATE_DAMAGED'
  /** Another live process holds the state file's lock. */
  | 'STATE_LOCKED'
  /** The state was closed. */
  | 'STATE_CLOSED';

export class StateError extends Error {
  constructor(
    readonly code: StateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StateError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<file>.lock` for this process; a lock left by a dead process is taken over. */
function acquireLock(lockFile: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(lockFile, 'utf8').trim());
    } catch {
      // vanished meanwhile: try again
    }
    if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new StateError('STATE_LOCKED', `${lockFile} is held by process ${holder}`);
    }
    try {
      unlinkSync(lockFile);
    } catch {
      // another process took it over first; the next attempt says so
    }
  }
  throw new StateError('STATE_LOCKED', `cannot take ${lockFile}`);
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename itself durable. Some platforms cannot open or fsync a directory; the rename is then as durable as they allow.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fsyncDir(dirname(file));
}

/** The latest checkpoint a witness cosigned for each log, kept in one JSON file. */
export class WitnessState {
  private readonly records: Map<string, LogRecord>;
  private readonly locks = new Map<string, Promise<void>>();
  private writes: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly file: string,
    records: Map<string, LogRecord>,
    private readonly lockFile: string,
  ) {
    this.records = records;
  }

  /**
   * Opens (or starts) the state in `file` and takes its lock. Throws
   * StateError('STATE_DAMAGED') for a file that is not a valid state, and
   * StateError('STATE_LOCKED') when another live process holds it.
   */
  static async open(file: string): Promise<WitnessState> {
    const lockFile = `${file}.lock`;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    acquireLock(lockFile);
    try {
      let text: string | undefined;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const records = new Map<string, LogRecord>();
      if (text !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (err) {
          throw new StateError('STATE_DAMAGED', `${file} is not JSON`, { cause: err });
        }
        if (!Value.Check(StateFileSchema, parsed)) throw new StateError('STATE_DAMAGED', `${file} is not a witness state`);
        for (const [origin, record] of Object.entries(parsed.logs)) records.set(origin, record);
      }
      return new WitnessState(file, records, lockFile);
    } catch (err) {
      try {
        unlinkSync(lockFile);
      } catch {
        // already gone
      }
      throw err;
    }
  }

  /** The latest checkpoint cosigned for this origin, if any. */
  latest(origin: string): Readonly<LogRecord> | undefined {
    return this.records.get(origin);
  }

  /** Every origin's latest record. */
  entries(): [string, Readonly<LogRecord>][] {
    return [...this.records.entries()];
  }

  /**
   * Decides, under the origin's lock, whether and how the record advances.
   * `decide` sees the current record and either throws (nothing changes) or
   * returns the next record, which is written to disk before this resolves
   * with `result`; if writing fails, nothing changes either.
   */
  async advance<T>(origin: string, decide: (current: Readonly<LogRecord> | undefined) => { next: LogRecord; result: T } | Promise<{ next: LogRecord; result: T }>): Promise<T> {
    return this.withLock(origin, async () => {
      if (this.closed) throw new StateError('STATE_CLOSED', 'the witness state is closed');
      const { next, result } = await decide(this.records.get(origin));
      if (!Value.Check(LogRecordSchema, next)) throw new TypeError('invalid witness record');
      await this.persist(origin, next);
      return result;
    });
  }

  /** Waits for pending writes and releases the lock file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.locks.values()]).catch(() => {});
    await this.writes.catch(() => {});
    try {
      unlinkSync(this.lockFile);
    } catch {
      // already gone
    }
  }

  private async withLock<T>(origin: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(origin) ?? Promise.resolve();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mine = previous.then(() => gate);
    this.locks.set(origin, mine);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(origin) === mine) this.locks.delete(origin);
    }
  }

  /**
   * Writes one after the other, each snapshot taken when its turn comes: a
   * write for one origin can never put back an older view of another.
   */
  private persist(origin: string, next: LogRecord): Promise<void> {
    const write = this.writes.then(async () => {
      const logs: Record<string, LogRecord> = Object.create(null) as Record<string, LogRecord>;
      for (const [o, r] of this.records) logs[o] = r;
      logs[origin] = next;
      await writeAtomically(this.file, `${JSON.stringify({ v: 1, logs }, null, 2)}\n`);
      this.records.set(origin, next);
    });
    this.writes = write.catch(() => {});
    return write;
  }
}
