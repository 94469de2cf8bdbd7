/**
 * A C2SP tlog-witness (https://c2sp.org/tlog-witness, v1.0.0) that any
 * partner or oversight body can run next to the hub: the hub submits each
 * new checkpoint of the disclosure log with a consistency proof from the
 * size this witness last cosigned, and gets back a cosignature/v1
 * (https://c2sp.org/tlog-cosignature) only if the new checkpoint extends
 * what the witness saw. A hub that showed two histories to two witnesses —
 * or rewrote its own — cannot get both cosigned.
 *
 *     POST /add-checkpoint
 *     old <size>\n  <base64 hash>\n × (0‥63)  \n  <signed checkpoint note>
 *
 *     200  text/plain        — <name> <base64(key ID ‖ timestamp ‖ signature)>\n
 *     409  text/x.tlog.size  <latest cosigned size>\n
 *
 * The other refusals (400, 403, 404, 409 root mismatch, 413, 422) carry one
 * line of plain text. The checks run in the order the specification states
 * them; nothing is stored unless every one passes, and the new state is on
 * disk before the cosignature leaves.
 *
 * This file builds the app and never listens (`vigie witness serve` does).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64, toB64 } from '../../protocol/encoding.js';
import { parseCheckpoint, type Checkpoint } from '../../protocol/log/checkpoint.js';
import { cosign, formatWitnessVkey } from '../../protocol/log/cosignature.js';
import { emptyRoot, verifyConsistency } from '../../protocol/log/merkle.js';
import { isSignatureBy, parseNote, parseVkey, SIG_TYPE_ED25519, verifyNoteSignature, type ParsedNote, type ParsedVkey } from '../../protocol/log/note.js';
import { loadSodium } from '../../protocol/sodium.js';
import { WitnessState, type LogRecord } from './state.js';

/** Request bodies above this are refused (413): 63 proof lines and a checkpoint with a few signatures take some 4 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
/** tlog-witness: "The client MUST NOT send more than 63 consistency proof lines." */
export const MAX_PROOF_LINES = 63;
/** Content type of the 409 body that tells the log the size this witness last cosigned. */
export const SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface WitnessLogConfig {
  /** The checkpoint origin line, without its newline. */
  origin: string;
  /** The log's signed-note verifier keys (`<name>+<key ID hex>+<base64 key>`); a checkpoint needs a valid signature from one. */
  vkeys: string[];
}

export interface WitnessOptions {
  /** The witness's key name, e.g. `witness.example.org/vigie`. */
  name: string;
  /** Ed25519 secret key, 64 bytes. */
  secretKey: Uint8Array;
  logs: WitnessLogConfig[];
  /** The JSON state file (see state.ts). */
  stateFile: string;
  maxBodyBytes?: number;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
}

export type RefusalCode =
  | 'MALFORMED_REQUEST'
  | 'UNKNOWN_LOG'
  | 'NO_VALID_SIGNATURE'
  | 'MALFORMED_CHECKPOINT'
  | 'OLD_SIZE_TOO_LARGE'
  | 'OLD_SIZE_MISMATCH'
  | 'ROOT_MISMATCH'
  | 'INVALID_PROOF';

const REFUSALS: Record<RefusalCode, readonly [status: number, message: string]> = {
  MALFORMED_REQUEST: [400, 'malformed add-checkpoint request'],
  UNKNOWN_LOG: [404, 'unknown log origin'],
  NO_VALID_SIGNATURE: [403, 'no valid signature from a trusted log key'],
  MALFORMED_CHECKPOINT: [400, 'malformed checkpoint'],
  OLD_SIZE_TOO_LARGE: [400, 'old size is larger than the checkpoint size'],
  OLD_SIZE_MISMATCH: [409, 'old size is not the size of the latest cosigned checkpoint'],
  ROOT_MISMATCH: [409, 'same size as the latest cosigned checkpoint, different root hash'],
  INVALID_PROOF: [422, 'invalid consistency proof'],
};

/** A refusal defined by tlog-witness, with its HTTP status. */
export class WitnessRefusal extends Error {
  readonly status: number;
  constructor(
    readonly code: RefusalCode,
    /** For OLD_SIZE_MISMATCH: the size of the latest cosigned checkpoint. */
    readonly latestSize?: number,
  ) {
    super(REFUSALS[code][1]);
    this.name = 'WitnessRefusal';
    this.status = REFUSALS[code][0];
  }
}

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Uint8Array[];
  /** The signed checkpoint note, exactly as sent. */
  note: string;
}

const OLD_LINE = /^old (0|[1-9][0-9]{0,15})$/;
// Standard base64 of exactly 32 bytes, canonical: the last character before the padding carries no stray bits.
const HASH_LINE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses an add-checkpoint body: the old size line, up to 63 proof lines, an
 * empty line, and the checkpoint note. Throws WitnessRefusal('MALFORMED_REQUEST').
 */
export function parseAddCheckpoint(body: Uint8Array): AddCheckpointRequest {
  const malformed = () => new WitnessRefusal('MALFORMED_REQUEST');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw malformed();
  }
  let pos = 0;
  const nextLine = (): string => {
    const end = text.indexOf('\n', pos);
    if (end < 0) throw malformed();
    const line = text.slice(pos, end);
    pos = end + 1;
    return line;
  };
  const old = OLD_LINE.exec(nextLine());
  const oldSize = Number(old?.[1]);
  if (!old || !Number.isSafeInteger(oldSize)) throw malformed();
  const proof: Uint8Array[] = [];
  for (let line = nextLine(); line !== ''; line = nextLine()) {
    if (proof.length === MAX_PROOF_LINES || !HASH_LINE.test(line)) throw malformed();
    proof.push(fromB64(line));
  }
  return { oldSize, proof, note: text.slice(pos) };
}

interface TrustedLog {
  origin: string;
  vkeys: ParsedVkey[];
}

/**
 * Whether a trusted key verifies the note. As signed-note asks, signatures
 * from unknown keys are ignored, and a signature that names a trusted key
 * (name and key ID) but does not verify makes the whole note untrusted.
 */
function verifiedByLog(crypto: CryptoPort, note: ParsedNote, log: TrustedLog): boolean {
  let verified = false;
  for (const vkey of log.vkeys) {
    if (!note.signatures.some((s) => isSignatureBy(s, vkey))) continue;
    // verifyNoteSignature: every line with this key's name and ID must verify.
    if (!verifyNoteSignature(crypto, note, vkey)) return false;
    verified = true;
  }
  return verified;
}

/** The witness's own vkey (cosignature/v1, type 0x04), as logs and verifiers configure it. */
export function witnessVkey(crypto: CryptoPort, name: string, secretKey: Uint8Array): string {
  return formatWitnessVkey(crypto, name, secretKey.slice(32, 64));
}

/**
 * Builds the witness: `POST /add-checkpoint` and `GET /` (name, vkey and the
 * latest cosigned size of each log, all public). The state file is opened
 * (and locked) when the app becomes ready, closed with it.
 *
 * @example
 * const app = buildWitnessApp({ name: 'witness.example/w1', secretKey, logs: [{ origin, vkeys: [logVkey] }], stateFile });
 * await app.listen({ port: 7380, host: '127.0.0.1' });
 */
export function buildWitnessApp(options: WitnessOptions): FastifyInstance {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: maxBodyBytes,
    // A witness answers in milliseconds; a client that trickles its request is not let to hold a socket.
    requestTimeout: 10_000,
    connectionTimeout: 15_000,
  });

  let crypto!: CryptoPort;
  let state!: WitnessState;
  let vkey!: string;
  const logs = new Map<string, TrustedLog>();

  app.addHook('onReady', async () => {
    crypto = await loadSodium();
    if (!(options.secretKey instanceof Uint8Array) || options.secretKey.length !== 64) throw new TypeError('the witness secret key must be 64 bytes');
    vkey = witnessVkey(crypto, options.name, options.secretKey);
    for (const log of options.logs) {
      const trusted = logs.get(log.origin) ?? { origin: log.origin, vkeys: [] };
      for (const v of log.vkeys) {
        const parsed = parseVkey(crypto, v);
        // Checkpoints are signed-note Ed25519 signatures (type 0x01); a cosigner key here would trust nothing.
        if (parsed.type !== SIG_TYPE_ED25519) throw new TypeError(`log key for ${log.origin} is not an Ed25519 note key`);
        trusted.vkeys.push(parsed);
      }
      logs.set(log.origin, trusted);
    }
    state = await WitnessState.open(options.stateFile);
  });
  app.addHook('onClose', async () => {
    await state?.close();
  });

  // The body is the protocol's text, whatever content type the client names (or none).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof WitnessRefusal) {
      if (error.code === 'OLD_SIZE_MISMATCH') return reply.code(409).type(SIZE_CONTENT_TYPE).send(`${error.latestSize}\n`);
      return reply.code(error.status).type('text/plain; charset=utf-8').send(`${error.message}\n`);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply.code(status).type('text/plain; charset=utf-8').send(status === 413 ? 'request body too large\n' : 'bad request\n');
    }
    request.log.error({ err: error }, 'witness failure');
    return reply.code(500).type('text/plain; charset=utf-8').send('internal error\n');
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('not found\n'));

  app.get('/', async (_request, reply) => {
    const known = [...logs.keys()].map((origin) => {
      const r = state.latest(origin);
      return { origin, size: r?.size ?? 0, rootHash: r?.rootHash ?? null, timestamp: r?.timestamp ?? null };
    });
    return reply.header('cache-control', 'no-store').send({ name: options.name, vkey, logs: known });
  });

  app.post('/add-checkpoint', async (request, reply) => {
    const body = request.body;
    if (!(body instanceof Uint8Array)) throw new WitnessRefusal('MALFORMED_REQUEST');
    const { oldSize, proof, note: noteText } = parseAddCheckpoint(body);

    let note: ParsedNote;
    try {
      note = parseNote(noteText);
    } catch {
      throw new WitnessRefusal('MALFORMED_REQUEST');
    }
    // "If the checkpoint origin is unknown, the witness MUST respond with a 404 Not Found."
    const origin = note.text.slice(0, note.text.indexOf('\n'));
    const log = logs.get(origin);
    if (!log) throw new WitnessRefusal('UNKNOWN_LOG');
    // "If none of the signatures verify against a trusted public key, the witness MUST respond with a 403 Forbidden."
    if (!verifiedByLog(crypto, note, log)) throw new WitnessRefusal('NO_VALID_SIGNATURE');
    let checkpoint: Checkpoint;
    try {
      checkpoint = parseCheckpoint(note.text);
    } catch {
      throw new WitnessRefusal('MALFORMED_CHECKPOINT');
    }
    if (checkpoint.origin !== origin) throw new WitnessRefusal('MALFORMED_CHECKPOINT');
    // "The old size MUST be equal to or lower than the checkpoint size. Otherwise … 400 Bad Request."
    if (oldSize > checkpoint.size) throw new WitnessRefusal('OLD_SIZE_TOO_LARGE');
    const rootHash = toB64(checkpoint.rootHash);
    // RFC 6962 §2.1: the only tree of size zero is the empty one.
    if (checkpoint.size === 0 && rootHash !== toB64(emptyRoot(crypto))) throw new WitnessRefusal('INVALID_PROOF');

    // Check-and-persist is atomic per origin (tlog-witness: otherwise two requests could roll the log back).
    const line = await state.advance(origin, (current: Readonly<LogRecord> | undefined) => {
      const latestSize = current?.size ?? 0;
      // "The witness MUST check that the old size matches the size of the latest checkpoint it cosigned … 409 Conflict."
      if (oldSize !== latestSize) throw new WitnessRefusal('OLD_SIZE_MISMATCH', latestSize);
      if (current && checkpoint.size === current.size) {
        // "If the old size matches the checkpoint size, the witness MUST check that the root hashes are also identical."
        if (rootHash !== current.rootHash) {
          request.log.error({ origin, cosigned: current.checkpoint, submitted: noteText }, 'inconsistent checkpoints: same size, different root hash');
          throw new WitnessRefusal('ROOT_MISMATCH');
        }
        // A tree is consistent with itself by the empty proof only.
        if (proof.length > 0) throw new WitnessRefusal('INVALID_PROOF');
      } else if (!current || oldSize === 0) {
        // "The proof MUST be empty if the old size is zero." (Every tree extends the empty one.)
        if (proof.length > 0) throw new WitnessRefusal('INVALID_PROOF');
      } else if (!verifyConsistency(crypto, { oldSize, newSize: checkpoint.size, oldRoot: fromB64(current.rootHash), newRoot: checkpoint.rootHash, proof })) {
        // "The witness MAY log the request even if the consistency proof doesn't verify … as it might be proof of log misbehavior."
        request.log.error({ origin, cosigned: current.checkpoint, submitted: noteText, proof: proof.map(toB64) }, 'consistency proof does not verify');
        throw new WitnessRefusal('INVALID_PROOF');
      }
      // Never earlier than a cosignature already given for this log, even if the clock stepped back.
      const timestamp = Math.max(Math.floor(now() / 1000), current?.timestamp ?? 0);
      const cosignature = cosign(crypto, note.text, { name: options.name, secretKey: options.secretKey }, timestamp);
      const logLines = note.signatures.filter((s) => log.vkeys.some((v) => isSignatureBy(s, v))).map((s) => s.line);
      const next: LogRecord = {
        size: checkpoint.size,
        rootHash,
        checkpoint: `${note.text}\n${[...logLines, cosignature].map((l) => `${l}\n`).join('')}`,
        timestamp,
      };
      return { next, result: `${cosignature}\n` };
    });
    return reply.code(200).type('text/plain; charset=utf-8').send(line);
  });

  return app;
}
