import fp from 'fastify-plugin';
import { connectDatabase, type Database, type Db } from './connect.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    db: Db;
  }
}

/** Connects PostgreSQL (or PGlite), applies the committed migrations, closes on app close. */
export const dbPlugin = fp<{ databaseUrl?: string; dataDir: string; database?: Promise<Database> }>(
  async (app, opts) => {
    // main.ts may have begun opening it while the rest of the hub loaded; the app owns it either way.
    const database = await (opts.database ?? connectDatabase(opts));
    app.addHook('onClose', async () => {
      await database.close();
    });
    await database.migrate();
    app.decorate('database', database);
    app.decorate('db', database.db);
  },
  { name: 'vigie-db' },
);
