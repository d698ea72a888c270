// The waiting helpers every suite uses: a wait ends as soon as its condition holds, fails by name
// at its bound, and `unchanged` fails as soon as what it watches moves.
import t from 'tap';
import { unchanged, waitFor } from './wait.js';

t.test('waitFor: resolves once the condition holds, checking it at once and then on a timer', async (t) => {
  await t.resolves(waitFor(() => true, { what: 'nothing', timeoutMs: 0 }), 'a condition already true needs no time');
  let ready = false;
  setTimeout(() => (ready = true), 20);
  let checks = 0;
  await waitFor(() => {
    checks++;
    return ready;
  }, { what: 'the flag', timeoutMs: 5_000 });
  t.ok(ready);
  t.ok(checks > 1, `checked ${checks} times`);
  let later = false;
  setTimeout(() => (later = true), 10);
  await waitFor(async () => Promise.resolve(later), { what: 'an asynchronous condition' });
  t.ok(later);
});

t.test('waitFor: fails at its bound, naming what never came; a throwing condition ends it', async (t) => {
  const started = performance.now();
  await t.rejects(waitFor(() => false, { what: 'the moon', timeoutMs: 50 }), { message: 'timed out after 50 ms waiting for the moon' });
  t.ok(performance.now() - started >= 49, 'not before the bound');
  await t.rejects(waitFor(() => {
    throw new Error('broken condition');
  }, { what: 'x' }), { message: 'broken condition' });
});

t.test('unchanged: the value back after the whole stretch, or a failure naming the change', async (t) => {
  const started = performance.now();
  t.same(await unchanged(() => ({ rows: [1, 2] }), { what: 'the rows', forMs: 40 }), { rows: [1, 2] });
  t.ok(performance.now() - started >= 39, 'it watched for the whole stretch');
  const events: string[] = [];
  setTimeout(() => events.push('fired'), 10);
  await t.rejects(unchanged(() => [...events], { what: 'the events', forMs: 5_000 }), { message: /^the events changed within \d+ ms: it was \[\], then \["fired"\]$/ });
  t.equal(await unchanged(() => 'same', { what: 'a constant', turns: 3 }), 'same');
  let n = 0;
  setImmediate(() => n++);
  await t.rejects(unchanged(() => n, { what: 'the counter', turns: 3 }), { message: 'the counter changed after 1 turn(s) of the event loop: it was 0, then 1' });
});
