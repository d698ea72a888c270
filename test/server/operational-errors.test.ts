// Operational failures: a locked database is 503 SBX_DATABASE_BUSY with Retry-After, a full disk
// (SQLite's or the file system's) is 507 SBX_INSUFFICIENT_STORAGE, whether the driver's error
// arrives bare or wrapped by drizzle; anything else is left to the error handler's 500. The
// handler answers them in the protocol's shape and logs the codes (never the message) for the
// operator. Real locks and a real full disk are in test/faults/.
import Database from 'better-sqlite3';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import Fastify from 'fastify';
import t from 'tap';
import { loggerOptions } from '../../server/logger.js';
import { BUSY_RETRY_AFTER_SECONDS, errorCode, operationalError } from '../../server/operational-errors.js';
import { errors } from '../../server/plugins/errors.js';
import { LogCapture } from '../helpers/instance.js';

const coded = (code: string, message = 'SECRET-MARKER in a driver message') => Object.assign(new Error(message), { code });

t.test('which errors are operational', async (t) => {
  for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE']) {
    t.match(operationalError(coded(code)), { statusCode: 503, code: 'SBX_DATABASE_BUSY', headers: { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) } }, code);
  }
  for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT']) {
    t.match(operationalError(coded(code)), { statusCode: 507, code: 'SBX_INSUFFICIENT_STORAGE' }, code);
  }
  for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_IOERR', 'SQLITE_BUSYWORK', 'EIO', 'FST_ERR_VALIDATION']) {
    t.equal(operationalError(coded(code)), undefined, `${code} is not`);
  }
  t.equal(operationalError(new Error('no code')), undefined);
  t.equal(operationalError('a string'), undefined);
  t.equal(operationalError(undefined), undefined);
  t.equal(operationalError(coded(42 as unknown as string)), undefined, 'a code that is not a string');
});

t.test('a driver error wrapped by drizzle is recognised by its cause', async (t) => {
  const wrapped = new DrizzleQueryError('insert into reports …', [], coded('SQLITE_BUSY'));
  t.equal(errorCode(wrapped), 'SQLITE_BUSY');
  t.match(operationalError(wrapped), { statusCode: 503 });
  t.equal(errorCode(new Error('outer', { cause: new Error('inner', { cause: coded('SQLITE_FULL') }) })), 'SQLITE_FULL', 'two levels down');
  const deep = new Error('1', { cause: new Error('2', { cause: new Error('3', { cause: coded('SQLITE_FULL') }) }) });
  t.equal(errorCode(deep), undefined, 'but no deeper than that');
});

t.test('a real SQLITE_BUSY from better-sqlite3 is recognised', async (t) => {
  const file = `${t.testdir()}/busy.db`;
  const holder = new Database(file);
  const waiter = new Database(file, { timeout: 0 });
  t.teardown(() => {
    holder.close();
    waiter.close();
  });
  holder.pragma('journal_mode = WAL');
  holder.exec('CREATE TABLE x (n INTEGER)');
  holder.exec('BEGIN IMMEDIATE');
  const error = (() => {
    try {
      waiter.exec('INSERT INTO x VALUES (1)');
      return undefined;
    } catch (e) {
      return e;
    }
  })();
  holder.exec('ROLLBACK');
  t.equal(errorCode(error), 'SQLITE_BUSY');
  t.match(operationalError(error), { statusCode: 503, code: 'SBX_DATABASE_BUSY' });
});

t.test('the error handler answers them in the protocol shape and logs codes only', async (t) => {
  const log = new LogCapture();
  const app = Fastify({ logger: loggerOptions('info', log) });
  await app.register(errors);
  app.get('/busy', async () => {
    throw new DrizzleQueryError('select', [], coded('SQLITE_BUSY'));
  });
  app.get('/full', async () => {
    throw coded('SQLITE_FULL');
  });
  app.get('/enospc', async () => {
    throw coded('ENOSPC');
  });
  t.teardown(() => app.close());

  const busy = await app.inject({ method: 'GET', url: '/busy' });
  t.equal(busy.statusCode, 503);
  t.equal(busy.headers['retry-after'], String(BUSY_RETRY_AFTER_SECONDS));
  t.same(busy.json(), {
    statusCode: 503, code: 'SBX_DATABASE_BUSY', error: 'Service Unavailable',
    message: 'The database is busy (another process holds it, a backup perhaps); nothing was changed. Try again shortly.',
  });
  for (const url of ['/full', '/enospc']) {
    const full = await app.inject({ method: 'GET', url });
    t.equal(full.statusCode, 507, url);
    t.same(full.json(), {
      statusCode: 507, code: 'SBX_INSUFFICIENT_STORAGE', error: 'Insufficient Storage',
      message: 'The server is out of storage; nothing of this request was kept. Try again later.',
    }, url);
  }
  t.match(log.text, /"level":40,"reqId":"req-1","errName":"Error","errCode":"SQLITE_BUSY","code":"SBX_DATABASE_BUSY","msg":"operational error"/);
  t.match(log.text, /"errCode":"SQLITE_FULL","code":"SBX_INSUFFICIENT_STORAGE"/);
  t.notMatch(log.text, /SECRET-MARKER|unexpected error/, 'no message is logged, and none is unexpected');
});
