// Instance settings: one JSON value per key.

import { eq, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { settings } from '../schema.js';
import { settingValue, type SettingKey, type SettingValue } from '../../domain/settings.js';

export function createSettingsRepository({ orm }: Db) {
  const getQuery = orm.select().from(settings).where(eq(settings.key, sql.placeholder('key'))).prepare();
  return {
    /** The value stored under `key`, checked against its schema (domain/settings.ts); undefined when missing or malformed. */
    get<K extends SettingKey>(key: K): SettingValue<K> | undefined {
      return settingValue(key, getQuery.get({ key })?.value);
    },

    set<K extends SettingKey>(key: K, value: SettingValue<K>): void {
      orm
        .insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value } })
        .run();
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
