import { and, eq, inArray, or } from 'drizzle-orm';
import type { Db, Tx } from '../db/connect.js';
import { logNodes } from './tables.js';

export interface NodeId {
  level: number;
  index: number;
}

/** Node hashes keyed by (level, index). */
export class NodeMap {
  private readonly map = new Map<string, Uint8Array>();
  has(level: number, index: number): boolean {
    return this.map.has(`${level}:${index}`);
  }
  set(level: number, index: number, hash: Uint8Array): void {
    this.map.set(`${level}:${index}`, hash);
  }
  /** Throws when a node the tree needs is not stored: the log lost a node. */
  get(level: number, index: number): Uint8Array {
    const h = this.map.get(`${level}:${index}`);
    if (!h) throw Object.assign(new Error(`log node ${level}/${index} is missing`), { code: 'LOG_NODE_MISSING' });
    return h;
  }
  forEach(fn: (level: number, index: number, hash: Uint8Array) => void): void {
    for (const [key, hash] of this.map) {
      const [level, index] = key.split(':').map(Number);
      fn(level!, index!, hash);
    }
  }
}

/** The stored nodes among `ids`, in one query grouped by level (O(log n) point reads). */
export async function fetchNodes(db: Db | Tx, ids: NodeId[]): Promise<NodeMap> {
  const result = new NodeMap();
  if (ids.length === 0) return result;
  const byLevel = new Map<number, number[]>();
  for (const { level, index } of ids) (byLevel.get(level) ?? byLevel.set(level, []).get(level)!).push(index);
  const rows = await db
    .select()
    .from(logNodes)
    .where(or(...[...byLevel].map(([level, indices]) => and(eq(logNodes.level, level), inArray(logNodes.index, [...new Set(indices)])))));
  for (const r of rows) result.set(r.level, r.index, r.hash);
  return result;
}
