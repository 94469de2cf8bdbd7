import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const BENCH_PG = process.env.VIGIE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The shared Redis every scenario runs on (each under its own key prefix). */
export const BENCH_REDIS = process.env.VIGIE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh database for one scenario on the local PostgreSQL; `drop()` removes it (forcing its sessions out). */
export async function createBenchDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `vigie_bench_${randomBytes(4).toString('hex')}`;
  const run = async (statement: string) => {
    const admin = new pg.Client({ connectionString: BENCH_PG });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(BENCH_PG);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** A fresh key prefix on the shared Redis for one scenario's hub; `drop()` deletes every key under it. */
export function benchRedisPrefix(label = 'bench'): { prefix: string; drop(): Promise<void> } {
  const prefix = `${label}${randomBytes(4).toString('hex')}`;
  return {
    prefix,
    async drop() {
      const r = new Redis(BENCH_REDIS, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await r.connect();
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await r.del(...keys);
        } while (cursor !== '0');
      } finally {
        r.disconnect();
      }
    },
  };
}
