import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./server/identity/tables.ts', './server/auth/tables.ts', './server/messages/tables.ts', './server/delivery/tables.ts', './server/realtime/tables.ts', './server/disclosure-log/tables.ts', './server/disclosure-log/integrity-tables.ts', './server/protocols/tables.ts', './server/consent/tables.ts', './server/escalation/tables.ts'],
  out: './migrations',
});
