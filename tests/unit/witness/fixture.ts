// A small transparency log for witness tests, written from the specifications
// (RFC 6962 §2.1 hashing and consistency proofs, C2SP signed-note,
// tlog-checkpoint and tlog-cosignature) independently of protocol/log, so
// that the witness is checked against the texts and not only against itself.
import { createHash } from 'node:crypto';
import type { CryptoPort, KeyPair } from '../../../protocol/crypto-port.js';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const enc = new TextEncoder();

/** SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4] (signed-note key ID). */
export function keyId(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  return sha256(enc.encode(`${name}\n`), new Uint8Array([type]), publicKey).slice(0, 4);
}

export const leafHash = (data: Uint8Array) => sha256(new Uint8Array([0]), data);
export const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256(new Uint8Array([1]), l, r);
export const EMPTY_ROOT = sha256();

/** The largest power of two smaller than n (n > 1). */
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

export class TestLog {
  readonly leaves: Uint8Array[] = [];

  constructor(
    readonly crypto: CryptoPort,
    readonly origin = 'vigie.test/log',
    readonly keyName = origin,
    readonly key: KeyPair = crypto.signKeypair(),
  ) {}

  /** `<name>+<key ID hex>+<base64(0x01 ‖ public key)>`. */
  get vkey(): string {
    return `${this.keyName}+${Buffer.from(keyId(this.keyName, 1, this.key.publicKey)).toString('hex')}+${b64(new Uint8Array([1, ...this.key.publicKey]))}`;
  }

  /** Appends `count` leaves; another `tag` makes another history. */
  append(count: number, tag = 'entry'): this {
    for (let i = 0; i < count; i++) this.leaves.push(leafHash(enc.encode(`${tag} ${this.leaves.length}`)));
    return this;
  }

  /** MTH(D[lo:hi]). */
  root(size = this.leaves.length, lo = 0): Uint8Array {
    const n = size - lo;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return this.leaves[lo]!;
    const k = split(n);
    return nodeHash(this.root(lo + k, lo), this.root(size, lo + k));
  }

  /** PROOF(m, D[0:n]) of RFC 6962 §2.1.2. */
  consistencyProof(m: number, n = this.leaves.length): Uint8Array[] {
    const sub = (m: number, lo: number, hi: number, complete: boolean): Uint8Array[] => {
      const size = hi - lo;
      if (m === size) return complete ? [] : [this.root(hi, lo)];
      const k = split(size);
      if (m <= k) return [...sub(m, lo, lo + k, complete), this.root(hi, lo + k)];
      return [...sub(m - k, lo + k, hi, false), this.root(lo + k, lo)];
    };
    return m === 0 || m === n ? [] : sub(m, 0, n, true);
  }

  checkpointText(size = this.leaves.length, root = this.root(size), extensions: string[] = []): string {
    return `${this.origin}\n${size}\n${b64(root)}\n${extensions.map((e) => `${e}\n`).join('')}`;
  }

  /** A signed-note signature line by `key` (default: the log's) over `text`, Ed25519 type 0x01. */
  signatureLine(text: string, key: KeyPair = this.key, name = this.keyName): string {
    const sig = this.crypto.sign(enc.encode(text), key.secretKey);
    return `— ${name} ${b64(new Uint8Array([...keyId(name, 1, key.publicKey), ...sig]))}`;
  }

  /** The signed checkpoint note of the tree at `size`. */
  checkpoint(size = this.leaves.length, options: { root?: Uint8Array; extensions?: string[]; signatures?: string[] } = {}): string {
    const text = this.checkpointText(size, options.root ?? this.root(size), options.extensions);
    const lines = options.signatures ?? [this.signatureLine(text)];
    return `${text}\n${lines.map((l) => `${l}\n`).join('')}`;
  }

  /** An add-checkpoint request body. */
  request(oldSize: number, size = this.leaves.length, options: { proof?: Uint8Array[]; note?: string } = {}): string {
    const proof = options.proof ?? this.consistencyProof(oldSize, size);
    return `old ${oldSize}\n${proof.map((h) => `${b64(h)}\n`).join('')}\n${options.note ?? this.checkpoint(size)}`;
  }
}

/**
 * Checks a cosignature/v1 line against the checkpoint text and the witness
 * key, byte by byte as tlog-cosignature defines it; returns its timestamp.
 */
export function checkCosignature(crypto: CryptoPort, line: string, checkpointText: string, name: string, publicKey: Uint8Array): number {
  const prefix = `— ${name} `;
  if (!line.startsWith(prefix)) throw new Error(`not a signature line of ${name}: ${line}`);
  const b64part = line.slice(prefix.length);
  const raw = new Uint8Array(Buffer.from(b64part, 'base64'));
  if (b64(raw) !== b64part) throw new Error('not canonical base64');
  if (raw.length !== 4 + 8 + 64) throw new Error(`cosignature of ${raw.length} bytes`);
  if (b64(raw.slice(0, 4)) !== b64(keyId(name, 4, publicKey))) throw new Error('wrong key ID');
  const timestamp = Number(new DataView(raw.buffer, raw.byteOffset + 4, 8).getBigUint64(0));
  const message = enc.encode(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
  if (!crypto.verify(raw.slice(12), message, publicKey)) throw new Error('cosignature does not verify');
  return timestamp;
}
