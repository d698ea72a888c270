import t from 'tap';
import { openTestDb } from '../fixtures.js';

t.test('settings hold JSON values by key', (t) => {
  const { repos } = openTestDb(t);
  t.equal(repos.settings.get('offices'), undefined, 'unknown key');
  repos.settings.set('offices', ['Port A', 'Airport B']);
  t.same(repos.settings.get('offices'), ['Port A', 'Airport B']);
  repos.settings.set('offices', ['Port C']);
  t.same(repos.settings.get('offices'), ['Port C'], 'set replaces');
  repos.settings.set('notifications.daily', { day: '2026-11-28', reportSeq: 7 });
  t.same(repos.settings.get('notifications.daily'), { day: '2026-11-28', reportSeq: 7 });
  repos.settings.set('processes', []);
  t.same(repos.settings.get('processes'), [], 'empty values survive');
  t.end();
});

t.test('a stored value that does not fit its key\'s schema reads as absent, never as the wrong type', (t) => {
  const { db, repos } = openTestDb(t);
  const raw = db.sqlite.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)');
  raw.run('offices', JSON.stringify('not a list'));
  t.equal(repos.settings.get('offices'), undefined);
  raw.run('recoveryPublicKey', JSON.stringify({ keyId: 'abc' }));
  t.equal(repos.settings.get('recoveryPublicKey'), undefined);
  raw.run('notifications.daily', JSON.stringify({ day: '2026-11-28' }));
  t.equal(repos.settings.get('notifications.daily'), undefined);
  t.end();
});
