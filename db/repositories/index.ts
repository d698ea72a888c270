// Every repository over one database handle: what the server and the CLI are given.

import type { Db } from '../connection.js';
import { createAttachmentsRepository } from './attachments.js';
import { createAuditRepository } from './audit.js';
import { createBulkRepository } from './bulk.js';
import { createChallengesRepository } from './challenges.js';
import { createChannelsRepository } from './channels.js';
import { createCountersRepository } from './counters.js';
import { createKeyGrantsRepository } from './key-grants.js';
import { createMessagesRepository } from './messages.js';
import { createNotesRepository } from './notes.js';
import { createNotificationsRepository } from './notifications.js';
import { createOneTimeTokensRepository } from './one-time-tokens.js';
import { createReadsRepository } from './reads.js';
import { createReportsRepository } from './reports.js';
import { createRetentionRepository } from './retention.js';
import { createRosterRepository } from './roster.js';
import { createSessionsRepository } from './sessions.js';
import { createSettingsRepository } from './settings.js';
import { createStatisticsRepository } from './statistics.js';
import { createUsersRepository } from './users.js';

export function createRepositories(db: Db) {
  return {
    attachments: createAttachmentsRepository(db),
    audit: createAuditRepository(db),
    bulk: createBulkRepository(db),
    challenges: createChallengesRepository(db),
    channels: createChannelsRepository(db),
    counters: createCountersRepository(db),
    keyGrants: createKeyGrantsRepository(db),
    messages: createMessagesRepository(db),
    notes: createNotesRepository(db),
    notifications: createNotificationsRepository(db),
    oneTimeTokens: createOneTimeTokensRepository(db),
    reads: createReadsRepository(db),
    reports: createReportsRepository(db),
    retention: createRetentionRepository(db),
    roster: createRosterRepository(db),
    sessions: createSessionsRepository(db),
    settings: createSettingsRepository(db),
    statistics: createStatisticsRepository(db),
    users: createUsersRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
