import { readFileSync } from 'node:fs';
import { generateSQLiteDrizzleJson, generateSQLiteMigration, type DrizzleSQLiteSnapshotJSON } from 'drizzle-kit/api';
import t from 'tap';
import * as schema from '../../db/schema.js';

const MIGRATIONS = 'db/migrations';

t.test('the committed migrations are up to date with db/schema.ts', async (t) => {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS}/meta/_journal.json`, 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const last = journal.entries.at(-1)!;
  const snapshotFile = `${MIGRATIONS}/meta/${String(last.idx).padStart(4, '0')}_snapshot.json`;
  const committed = JSON.parse(readFileSync(snapshotFile, 'utf8')) as DrizzleSQLiteSnapshotJSON;
  const current = await generateSQLiteDrizzleJson(schema as Record<string, unknown>, committed.id);
  const pending = await generateSQLiteMigration(committed, current);
  t.same(pending, [], 'run `npx drizzle-kit generate` and commit db/migrations when this fails');
});
