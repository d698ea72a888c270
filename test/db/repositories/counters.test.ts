import t from 'tap';
import { openTestDb } from '../fixtures.js';

t.test('counters start at 1 and count up independently', (t) => {
  const { repos } = openTestDb(t);
  t.equal(repos.counters.next('a'), 1);
  t.equal(repos.counters.next('a'), 2);
  t.equal(repos.counters.next('b'), 1);
  t.equal(repos.counters.next('a'), 3);
  t.end();
});

t.test('a counter rolled back with its transaction hands the number out again', (t) => {
  const { db, repos } = openTestDb(t);
  repos.counters.next('seq');
  t.throws(() =>
    db.transaction(() => {
      repos.counters.next('seq');
      throw new Error('abort');
    }),
  );
  t.equal(repos.counters.next('seq'), 2);
  t.end();
});
