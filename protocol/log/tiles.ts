/**
 * C2SP tlog-tiles: tile and entry-bundle paths, entry bundles, and reading
 * tree nodes back out of downloaded tiles.
 *
 * A level-L tile N holds the hashes of tree level 8·L, node indices
 * N·256 … N·256+W−1, concatenated (32 bytes each); W = 256 for a full tile,
 * 1–255 for a partial one (`.p/<W>`). An entry bundle holds the entries
 * (leaf data) of the matching level-0 tile, each a big-endian uint16
 * length then the bytes.
 *
 * @example
 * tilePath(0, 1234067) // 'tile/0/x001/x234/067'
 * entriesPath(3, 17) // 'tile/entries/003.p/17'
 * parseTilePath('tile/1/000.p/3') // { level: 1, index: 0, width: 3 }
 */
import { ProtocolError } from '../errors.js';

export { TreeBuilder } from './tree-builder.js';
export { completeSubtreeRoot, hashEntryBundle, parentHashes } from './batch-hash.js';

/** Hashes per full tile (and entries per full bundle). */
export const TILE_WIDTH = 256;
/** Tree levels per tile level: 2^8 = 256. */
export const TILE_HEIGHT = 8;
/** Largest entry an entry bundle can carry (uint16 length prefix). */
export const MAX_ENTRY_BYTES = 0xffff;

/** A tile named by a path: a tile level 0–63, or the entry bundles. */
export interface TileRef {
  level: number | 'entries';
  index: number;
  /** Number of hashes (or entries): 256 for a full tile, 1–255 for a partial one. */
  width: number;
}

function encodeIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new ProtocolError('TILE_PATH_INVALID', `invalid tile index ${n}`);
  let text = String(n % 1000).padStart(3, '0');
  for (let rest = Math.floor(n / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    text = `x${String(rest % 1000).padStart(3, '0')}/${text}`;
  }
  return text;
}

function widthSuffix(width: number | undefined): string {
  if (width === undefined || width === TILE_WIDTH) return '';
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH - 1) throw new ProtocolError('TILE_PATH_INVALID', `invalid tile width ${width}`);
  return `.p/${width}`;
}

/**
 * The path of level-`level` tile `n`, relative to the log prefix; `width`
 * 1–255 names a partial tile (omit it, or pass 256, for a full tile).
 *
 * @example
 * tilePath(2, 5, 17) // 'tile/2/005.p/17'
 */
export function tilePath(level: number, n: number, width?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > 63) throw new ProtocolError('TILE_PATH_INVALID', `invalid tile level ${level}`);
  return `tile/${level}/${encodeIndex(n)}${widthSuffix(width)}`;
}

/**
 * The path of entry bundle `n` (the entries of level-0 tile `n`).
 *
 * @example
 * entriesPath(1000) // 'tile/entries/x001/000'
 */
export function entriesPath(n: number, width?: number): string {
  return `tile/entries/${encodeIndex(n)}${widthSuffix(width)}`;
}

const TILE_PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * Parses a canonical tile or entry-bundle path (`tile/<L>/<N>[.p/<W>]`,
 * `tile/entries/<N>[.p/<W>]`). Throws ProtocolError('TILE_PATH_INVALID') for
 * anything else: level above 63, leading zeros, a missing, extra or `x000`
 * group, width 0 or ≥ 256, or an index whose leaves are past 2^53.
 *
 * @example
 * parseTilePath('tile/entries/x001/x234/067') // { level: 'entries', index: 1234067, width: 256 }
 */
export function parseTilePath(path: string): TileRef {
  const m = typeof path === 'string' && path.length <= 64 ? TILE_PATH.exec(path) : null;
  if (!m) throw new ProtocolError('TILE_PATH_INVALID');
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  const index = m[2]!.split('/').reduce((n, group) => n * 1000 + Number(group.replace('x', '')), 0);
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  const tileLevel = level === 'entries' ? 0 : level;
  // Partial widths are 1–255; the tile's first leaf, index·256^(level+1), must be a safe integer.
  if (tileLevel > 63 || width > TILE_WIDTH || (m[3] !== undefined && width === TILE_WIDTH) || !Number.isSafeInteger(index * TILE_WIDTH ** (tileLevel + 1))) {
    throw new ProtocolError('TILE_PATH_INVALID');
  }
  // Leading `x000` groups and other non-canonical spellings do not survive the round trip.
  const canonical = level === 'entries' ? entriesPath(index, width) : tilePath(level, index, width);
  if (canonical !== path) throw new ProtocolError('TILE_PATH_INVALID');
  return { level, index, width };
}

/**
 * Encodes entries as a C2SP entry bundle (uint16 big-endian length, bytes).
 * Throws ProtocolError('ENTRY_BUNDLE_INVALID') for an entry over 65,535 bytes.
 *
 * @example
 * encodeEntryBundle([utf8('a'), utf8('bc')]) // [0,1,0x61, 0,2,0x62,0x63]
 */
export function encodeEntryBundle(entries: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const e of entries) {
    if (e.length > MAX_ENTRY_BYTES) throw new ProtocolError('ENTRY_BUNDLE_INVALID', 'entry longer than 65,535 bytes');
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const e of entries) {
    out[o] = e.length >> 8;
    out[o + 1] = e.length & 0xff;
    out.set(e, o + 2);
    o += 2 + e.length;
  }
  return out;
}

/**
 * Decodes an entry bundle into its entries (views into `bytes`). Throws
 * ProtocolError('ENTRY_BUNDLE_INVALID') on a truncated bundle or one with
 * more than 256 entries.
 *
 * @example
 * decodeEntryBundle(new Uint8Array([0, 1, 0x61])) // [Uint8Array [0x61]]
 */
export function decodeEntryBundle(bytes: Uint8Array): Uint8Array[] {
  if (!(bytes instanceof Uint8Array)) throw new ProtocolError('ENTRY_BUNDLE_INVALID');
  const entries: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; ) {
    if (o + 2 > bytes.length || entries.length === TILE_WIDTH) throw new ProtocolError('ENTRY_BUNDLE_INVALID');
    const length = (bytes[o]! << 8) | bytes[o + 1]!;
    if (o + 2 + length > bytes.length) throw new ProtocolError('ENTRY_BUNDLE_INVALID');
    entries.push(bytes.subarray(o + 2, o + 2 + length));
    o += 2 + length;
  }
  return entries;
}

export { nodeGetterFromTiles, tileOfNode, tileWidth, type TileOfNode } from './tile-reader.js';
