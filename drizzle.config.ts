// drizzle-kit configuration: `npx drizzle-kit generate` turns db/schema.ts into the SQL migrations
// in db/migrations/, which are committed and applied at start-up by db/connection.ts.
// Never `drizzle-kit push` against real data: every change goes through a reviewed migration.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
  strict: true,
  verbose: true,
});
