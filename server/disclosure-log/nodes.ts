import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/connect.js';

export interface NodeId {
  level: number;
  index: number;
}

/** Node hashes keyed by (level, index). */
export class NodeMap {
  private readonly map = new Map<string, Uint8Array>();
  get size(): number {
    return this.map.size;
  }
  has(level: number, index: number): boolean {
    return this.map.has(`${level}:${index}`);
  }
  /** The hash, or undefined when it is not here. */
  find(level: number, index: number): Uint8Array | undefined {
    return this.map.get(`${level}:${index}`);
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

// One named statement, parsed once per connection; a plan that reads each id through the primary key.
const prepared = new WeakMap<Db | Tx, ReturnType<typeof prepareNodesById>>();

function prepareNodesById(db: Db | Tx) {
  return db
    .select({ level: sql<number>`n.level`, index: sql<string | number>`n.index`, hash: sql<Uint8Array>`n.hash` })
    .from(sql`unnest(${sql.placeholder('levels')}::int[], ${sql.placeholder('indexes')}::bigint[]) as k(level, index) join log_nodes n on n.level = k.level and n.index = k.index`)
    .prepare('log_nodes_by_id');
}

/** The stored nodes among `ids`, in one indexed query (O(log n) point reads on the primary key). */
export async function fetchNodes(db: Db | Tx, ids: NodeId[]): Promise<NodeMap> {
  const result = new NodeMap();
  if (ids.length === 0) return result;
  let query = prepared.get(db);
  if (!query) prepared.set(db, (query = prepareNodesById(db)));
  const rows = await query.execute({ levels: `{${ids.map((i) => i.level).join(',')}}`, indexes: `{${ids.map((i) => i.index).join(',')}}` });
  for (const r of rows) result.set(Number(r.level), Number(r.index), new Uint8Array(r.hash));
  return result;
}
