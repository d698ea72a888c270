// Instance settings: one JSON value per key.

import { eq, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { settings } from '../schema.js';

export function createSettingsRepository({ orm }: Db) {
  const getQuery = orm.select().from(settings).where(eq(settings.key, sql.placeholder('key'))).prepare();
  return {
    /** The value stored under `key`; the caller names its type and validates it where it matters. */
    get<T = unknown>(key: string): T | undefined {
      return getQuery.get({ key })?.value as T | undefined;
    },

    set(key: string, value: unknown): void {
      orm
        .insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value } })
        .run();
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
