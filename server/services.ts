// Everything the routes are given: configuration, the database and its repositories, the server
// keys, the blob store, the clock, the audit trail and the abuse limits. Built once per process.
import { openDatabase, type Db } from '../db/connection.js';
import { createRepositories, type Repositories } from '../db/repositories/index.js';
import { BlobStore } from './blobs.js';
import { GroupCommit } from './group-commit.js';
import type { Config } from './config.js';
import { dataPaths, readServerSecret, ServerKeys, type DataPaths } from './instance.js';
import { Limits } from './limits.js';
import { Notifier } from './notifications/notifier.js';
import { hourFloor, iso, systemClock, type Clock } from './time.js';
import type { AuditAction } from '../domain/audit-actions.js';

export interface AuditInput {
  actor: string;
  /** One of the domain's audit actions: a new kind of event is added there first. */
  action: AuditAction;
  target?: string | null;
  details?: Record<string, unknown>;
}

export interface Services {
  config: Config;
  paths: DataPaths;
  db: Db;
  repos: Repositories;
  keys: ServerKeys;
  blobs: BlobStore;
  clock: Clock;
  limits: Limits;
  /** Shared commits for writes that arrive together (submissions). */
  commits: GroupCommit;
  /** Content-free notification e-mails (a no-op without SMTP settings). */
  notifier: Notifier;
  /** Appends a console action to the audit trail at the current time. */
  audit(event: AuditInput): void;
  /** Appends a reporter event, timed to the hour like the event itself (never the token). */
  auditReporterEvent(event: Omit<AuditInput, 'actor'>): void;
  close(): void;
}

export function createServices(config: Config, clock: Clock = systemClock): Services {
  const paths = dataPaths(config.dataDir);
  const keys = new ServerKeys(readServerSecret(paths));
  const db = openDatabase(paths.database);
  const repos = createRepositories(db);
  const notifier = new Notifier({ repos, config, clock });
  const append = (at: string, e: AuditInput) =>
    repos.audit.append({ at, actor: e.actor, action: e.action, target: e.target ?? null, details: e.details ?? {} });
  return {
    config,
    paths,
    db,
    repos,
    keys,
    blobs: new BlobStore(paths.blobs),
    clock,
    limits: new Limits(clock, config.submissionsPerMinute, config.reporterRequestsPerMinute),
    commits: new GroupCommit(db),
    notifier,
    audit: (e) => append(iso(clock.now()), e),
    auditReporterEvent: (e) => append(hourFloor(clock.now()), { ...e, actor: 'reporter' }),
    close: () => {
      notifier.close();
      db.close();
    },
  };
}
