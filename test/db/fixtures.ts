// Shared helpers for the db tests: a fresh database per test, and valid rows to build on.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Test } from 'tap';
import { openDatabase, type Db } from '../../db/connection.js';
import { createRepositories, type Repositories } from '../../db/repositories/index.js';
import type { KeyEnvelope, NewReportInput } from '../../db/repositories/reports.js';
import type { NewUserInput } from '../../db/repositories/users.js';
import type { Channel, User } from '../../db/schema.js';

export interface TestDb {
  db: Db;
  repos: Repositories;
  file: string;
}

/** A migrated database in the test's own temporary folder, closed when the test ends. */
export function openTestDb(t: Test): TestDb {
  const file = join(t.testdir(), 'sealbox.db');
  const db = openDatabase(file);
  t.teardown(() => db.close());
  return { db, repos: createRepositories(db), file };
}

export const bytes = (n: number): Buffer => randomBytes(n);

export function makeChannel(repos: Repositories, id = 'staff'): Channel {
  return repos.channels.upsert({
    id,
    title: { en: `Channel ${id}` },
    description: { en: 'For tests' },
    questionnaire: { id: 'default', version: 1, sections: [] },
    maxAttachmentBytes: 10_000_000,
  });
}

export function userInput(username: string, overrides: Partial<NewUserInput> = {}): NewUserInput {
  return {
    username,
    roles: ['reviewer'],
    salt: bytes(16),
    opslimit: 3,
    memlimit: 67108864,
    authVerifier: bytes(32),
    boxPublicKey: bytes(32),
    signPublicKey: bytes(32),
    keyId: `key-${username}`,
    keyBundleNonce: bytes(24),
    keyBundleCiphertext: bytes(120),
    totpSecretNonce: bytes(24),
    totpSecretCiphertext: bytes(36),
    ...overrides,
  };
}

export function makeUser(repos: Repositories, username: string, overrides: Partial<NewUserInput> = {}): User {
  return repos.users.create(userInput(username, overrides));
}

let reportCounter = 0;

export function reportInput(channelId: string, overrides: Partial<NewReportInput> = {}): NewReportInput {
  reportCounter += 1;
  return {
    id: `report-${reportCounter}`,
    channelId,
    receiptTag: bytes(32),
    reporterPublicKey: bytes(32),
    contentNonce: bytes(24),
    contentCiphertext: bytes(512 + 16),
    reporterSealedKey: bytes(80),
    receivedAt: '2026-11-28T16:00:00.000Z',
    ...overrides,
  };
}

export const envelope = (keyId: string): KeyEnvelope => ({ keyId, sealedKey: bytes(80) });
