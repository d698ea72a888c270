import t from 'tap';
import { openTestDb } from '../fixtures.js';

t.test('settings hold JSON values by key', (t) => {
  const { repos } = openTestDb(t);
  t.equal(repos.settings.get('offices'), undefined, 'unknown key');
  repos.settings.set('offices', ['Port A', 'Airport B']);
  t.same(repos.settings.get<string[]>('offices'), ['Port A', 'Airport B']);
  repos.settings.set('offices', ['Port C']);
  t.same(repos.settings.get('offices'), ['Port C'], 'set replaces');
  repos.settings.set('recoveryKey', { keyId: 'abc', publicKey: 'xyz' });
  t.same(repos.settings.get('recoveryKey'), { keyId: 'abc', publicKey: 'xyz' });
  repos.settings.set('flag', false);
  t.equal(repos.settings.get('flag'), false, 'falsy values survive');
  t.end();
});
