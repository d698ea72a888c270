// Every repository over one database handle: what the server and the CLI are given.

import type { Db } from '../connection.js';
import { createAttachmentsRepository } from './attachments.js';
import { createAuditRepository } from './audit.js';
import { createBulkRepository } from './bulk.js';
import { createChallengesRepository } from './challenges.js';
import { createChannelsRepository } from './channels.js';
import { createCountersRepository } from './counters.js';
import { createMessagesRepository } from './messages.js';
import { createNotesRepository } from './notes.js';
import { createOneTimeTokensRepository } from './one-time-tokens.js';
import { createReadsRepository } from './reads.js';
import { createReportsRepository } from './reports.js';
import { createSessionsRepository } from './sessions.js';
import { createSettingsRepository } from './settings.js';
import { createUsersRepository } from './users.js';

export function createRepositories(db: Db) {
  return {
    attachments: createAttachmentsRepository(db),
    audit: createAuditRepository(db),
    bulk: createBulkRepository(db),
    challenges: createChallengesRepository(db),
    channels: createChannelsRepository(db),
    counters: createCountersRepository(db),
    messages: createMessagesRepository(db),
    notes: createNotesRepository(db),
    oneTimeTokens: createOneTimeTokensRepository(db),
    reads: createReadsRepository(db),
    reports: createReportsRepository(db),
    sessions: createSessionsRepository(db),
    settings: createSettingsRepository(db),
    users: createUsersRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
