import { createHash } from 'node:crypto';
import t from 'tap';
import { auditEventHash, canonicalJson, GENESIS_HASH } from '../../../db/repositories/audit.js';
import { openTestDb } from '../fixtures.js';

const AT = '2026-11-28T16:00:00.000Z';

t.test('canonical JSON sorts keys at every depth and drops whitespace', (t) => {
  t.equal(canonicalJson({ b: 1, a: [{ d: null, c: 'é' }, true], '\u00e9': 2, Z: 0.5 }), '{"Z":0.5,"a":[{"c":"é","d":null},true],"b":1,"é":2}');
  t.equal(canonicalJson('x"y'), '"x\\"y"');
  t.equal(canonicalJson([]), '[]');
  t.equal(canonicalJson({}), '{}');
  t.end();
});

t.test('the hash matches its documented definition', (t) => {
  // The example in db/repositories/audit.ts, computed here without the module's helpers.
  const body = '{"action":"instance.init","actor":"system","at":"2026-11-28T16:00:00.000Z","details":{},"seq":1,"target":null}';
  const expected = createHash('sha256').update(Buffer.alloc(32)).update(Buffer.from(body, 'utf8')).digest();
  const event = { seq: 1, at: AT, actor: 'system', action: 'instance.init', target: null, details: {} };
  t.same(auditEventHash(GENESIS_HASH, event), expected);

  const { repos } = openTestDb(t);
  const appended = repos.audit.append({ at: AT, actor: 'system', action: 'instance.init' });
  t.same(appended.hash, expected, 'append uses the same definition');
  t.end();
});

t.test('append chains rows and list reads them back', (t) => {
  const { repos, db } = openTestDb(t);
  t.same(repos.audit.list({ limit: 10 }), []);
  const first = repos.audit.append({ at: AT, actor: 'system', action: 'instance.init' });
  t.same(first, {
    seq: 1,
    at: AT,
    actor: 'system',
    action: 'instance.init',
    target: null,
    details: {},
    prevHash: GENESIS_HASH,
    hash: first.hash,
  });
  const second = repos.audit.append({
    at: '2026-11-28T16:05:00.000Z',
    actor: 'user:abc',
    action: 'report.view',
    target: 'report:r1',
    details: { z: 1, a: { y: 'two', b: undefined }, when: new Date(AT) },
  });
  t.equal(second.seq, 2);
  t.same(second.prevHash, first.hash, 'chained to the previous row');
  t.same(second.details, { z: 1, a: { y: 'two' }, when: AT }, 'details as they will read back');
  t.equal(
    db.sqlite.prepare('SELECT details FROM audit_events WHERE seq = 2').pluck().get(),
    '{"a":{"y":"two"},"when":"2026-11-28T16:00:00.000Z","z":1}',
    'stored as canonical JSON',
  );
  t.same(repos.audit.list({ limit: 10 }), [first, second]);
  t.end();
});

t.test('list filters and pages', (t) => {
  const { repos } = openTestDb(t);
  repos.audit.append({ at: '2026-11-28T10:00:00.000Z', actor: 'reporter', action: 'report.received', target: 'report:r1' });
  repos.audit.append({ at: '2026-11-28T11:00:00.000Z', actor: 'user:amal', action: 'auth.login' });
  repos.audit.append({ at: '2026-11-28T12:00:00.000Z', actor: 'user:amal', action: 'report.view', target: 'report:r1' });
  repos.audit.append({ at: '2026-11-28T13:00:00.000Z', actor: 'user:zoe', action: 'auth.login' });
  const seqs = (query: Parameters<typeof repos.audit.list>[0]): number[] => repos.audit.list(query).map((event) => event.seq);
  t.same(seqs({ limit: 10 }), [1, 2, 3, 4]);
  t.same(seqs({ limit: 2 }), [1, 2]);
  t.same(seqs({ limit: 2, afterSeq: 2 }), [3, 4]);
  t.same(seqs({ limit: 10, since: '2026-11-28T12:00:00.000Z' }), [3, 4]);
  t.same(seqs({ limit: 10, actor: 'user:amal' }), [2, 3]);
  t.same(seqs({ limit: 10, action: 'auth.login' }), [2, 4]);
  t.same(seqs({ limit: 10, action: 'auth.login', actor: 'user:zoe', since: AT }), []);
  t.end();
});

t.test('verify passes on an intact chain, also across verification batches', (t) => {
  const { repos, db } = openTestDb(t);
  t.same(repos.audit.verify(), { ok: true, count: 0 }, 'an empty trail');
  db.transaction(() => {
    for (let i = 0; i < 1203; i += 1) {
      repos.audit.append({ at: AT, actor: `user:${i % 7}`, action: 'report.view', target: `report:${i}`, details: { i } });
    }
  });
  t.same(repos.audit.verify(), { ok: true, count: 1203 });
  t.end();
});

t.test('verify names the first broken row', (t) => {
  const setup = (t: Parameters<typeof openTestDb>[0]) => {
    const { repos, db } = openTestDb(t);
    for (let i = 1; i <= 5; i += 1) {
      repos.audit.append({ at: AT, actor: 'user:amal', action: 'report.triage', target: `report:r${i}`, details: { status: 'closed', n: i } });
    }
    return { repos, db };
  };

  t.test('one byte of the details of one row changed', (t) => {
    const { repos, db } = setup(t);
    // "closed" becomes "clised": still valid JSON, so only the hash can tell.
    db.sqlite.prepare("UPDATE audit_events SET details = replace(details, 'closed', 'clised') WHERE seq = 3").run();
    t.same(repos.audit.verify(), { ok: false, seq: 3, reason: "hash does not match the row's contents" });
    t.end();
  });

  t.test('one byte of white space added to the details of one row', (t) => {
    const { repos, db } = setup(t);
    // The same JSON value spelled differently: only the stored canonical text can tell.
    db.sqlite.prepare("UPDATE audit_events SET details = replace(details, ',', ', ') WHERE seq = 2").run();
    t.same(repos.audit.verify(), { ok: false, seq: 2, reason: 'details is not in its canonical form: the row was edited' });
    t.end();
  });

  t.test('details made unreadable', (t) => {
    const { repos, db } = setup(t);
    db.sqlite.prepare("UPDATE audit_events SET details = substr(details, 2) WHERE seq = 4").run();
    t.same(repos.audit.verify(), { ok: false, seq: 4, reason: 'details is not valid JSON' });
    const listed = repos.audit.list({ limit: 10 });
    t.equal(listed[3]!.details, '"n":4,"status":"closed"}', 'list shows the damaged text rather than failing');
    t.end();
  });

  t.test('another field changed', (t) => {
    const { repos, db } = setup(t);
    db.sqlite.prepare("UPDATE audit_events SET actor = 'user:zoe' WHERE seq = 2").run();
    t.same(repos.audit.verify(), { ok: false, seq: 2, reason: "hash does not match the row's contents" });
    t.end();
  });

  t.test('a row recomputed after an edit breaks the link to the next', (t) => {
    const { repos, db } = setup(t);
    const row = db.sqlite.prepare('SELECT * FROM audit_events WHERE seq = 2').get() as { prev_hash: Buffer; at: string };
    const forged = auditEventHash(row.prev_hash, { seq: 2, at: row.at, actor: 'user:amal', action: 'report.triage', target: 'report:other', details: {} });
    db.sqlite.prepare("UPDATE audit_events SET target = 'report:other', details = '{}', hash = ? WHERE seq = 2").run(forged);
    t.same(repos.audit.verify(), { ok: false, seq: 3, reason: "prev_hash differs from the previous row's hash" });
    t.end();
  });

  t.test('a row removed', (t) => {
    const { repos, db } = setup(t);
    db.sqlite.prepare('DELETE FROM audit_events WHERE seq = 3').run();
    t.same(repos.audit.verify(), { ok: false, seq: 4, reason: 'sequence jumps from 2 to 4: rows are missing' });
    t.end();
  });

  t.test('the first row removed', (t) => {
    const { repos, db } = setup(t);
    db.sqlite.prepare('DELETE FROM audit_events WHERE seq = 1').run();
    t.same(repos.audit.verify(), { ok: false, seq: 2, reason: 'sequence jumps from 0 to 2: rows are missing' });
    t.end();
  });

  t.end();
});

t.test('appends stay chained when interleaved with rolled-back transactions', (t) => {
  const { repos, db } = openTestDb(t);
  repos.audit.append({ at: AT, actor: 'system', action: 'a' });
  t.throws(() =>
    db.transaction(() => {
      repos.audit.append({ at: AT, actor: 'system', action: 'b' });
      throw new Error('the surrounding action failed');
    }),
  );
  const third = repos.audit.append({ at: AT, actor: 'system', action: 'c' });
  t.equal(third.seq, 2, 'the rolled-back row left no gap');
  t.same(repos.audit.verify(), { ok: true, count: 2 });
  t.end();
});
