/**
 * `node dist/server/migrate.js` (sources: `node --import tsx server/migrate.ts`):
 * applies the committed migrations to DATABASE_URL and exits. Run it as the
 * role that owns the hub's tables, before the hubs start — docker-compose.yml's
 * one-shot `migrate` service does. The hub itself then logs in as a
 * least-privileged member of `vigie_hub` (docs/audit-log.md), which reads
 * whether the migrations are applied but can neither apply them nor alter a
 * table, and so cannot disable the disclosure log's append-only triggers.
 */
import { connectDatabase, grantMigrationsRead } from './db/connect.js';

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write('DATABASE_URL est requis (le rôle propriétaire des tables) / DATABASE_URL is required (the role that owns the tables)\n');
    return 78;
  }
  const database = await connectDatabase({ databaseUrl, dataDir: '.', poolSize: 1 });
  try {
    await database.migrate();
    // Also when there was nothing to apply: a database migrated before this grant existed gets it now.
    await grantMigrationsRead(database.db);
  } finally {
    await database.close();
  }
  process.stdout.write('Migrations appliquées / Migrations applied\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`Migrations non appliquées / Migrations not applied: ${err.message}\n`);
    process.exit(1);
  },
);
