// A reporter leaves reviewer B out of a report (PROTOCOL.md §9, "Exclusion"). Tried as the people
// the reporter fears would: a colleague's console sweeping keys after sign-in, B's own console and
// requests, a server that lists B as lacking the key, an operator running `sealbox recover`.
// B must never receive K or Ki, never see the report, and never be able to plant an envelope.
import t from 'tap';
import type { Http } from '../../client/console/api.js';
import { fromB64u, solvePow, toB64u } from '../../crypto/index.js';
import { cookieHttp, cookieOf, nodeConsole, vaultOf, type NodeConsole } from '../client/console-fixtures.js';
import { addUser, type TestUser } from '../helpers/instance.js';
import { TestReporter } from '../helpers/reporter.js';
import { runCli } from '../helpers/cli.js';
import { recipientsOf } from '../../server/recipients.js';

/** A staff report that leaves `left` out, and one that leaves nobody out. */
async function reports(world: NodeConsole, left: TestUser) {
  const excluding = new TestReporter(world.reporterApp);
  const res = await excluding.submit('staff', { category: 'BRIBERY', description: 'MARKER about B' }, [left.id]);
  if (res.statusCode !== 201) throw new Error(res.body);
  const open = new TestReporter(world.reporterApp);
  if ((await open.submit('staff', { category: 'OTHER', description: 'for everyone' })).statusCode !== 201) throw new Error('refused');
  return { excluded: excluding.reportId, open: open.reportId };
}

t.test('a member left out never receives a key, never sees the report, and cannot plant an envelope', async (t) => {
  const world = await nodeConsole(t);
  const { inst } = world;
  const { repos } = inst.services;
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const bob = addUser(inst.services, 'bob', ['reviewer'], ['staff'], { kdf: 'real' });
  const ids = await reports(world, bob);
  t.same(repos.reports.excluded(ids.excluded), [bob.id], 'the server records whom the report leaves out');
  t.same(repos.reports.excluded(ids.open), []);
  t.notOk(repos.reports.key(ids.excluded, bob.keyId), 'the reporter did not seal to B');

  // A colleague signs in: the sweep and opening the report hand keys on, but never to B.
  const aliceVault = await vaultOf(world, alice);
  await aliceVault.sweep();
  const view = await aliceVault.openReport(ids.excluded);
  t.equal(view.content?.answers.description, 'MARKER about B');
  t.ok(view.madeInternalKey, 'alice made Ki');
  t.notOk(view.members.some((m) => m.id === bob.id), 'B is not listed among the report\'s readers');
  t.same(await aliceVault.distribute(ids.excluded), [], 'nothing to hand on');
  t.notOk(repos.reports.key(ids.excluded, bob.keyId), 'B holds neither K nor Ki');

  // A console that tries anyway (a bug, or a colleague's doctored console) is refused by the server.
  const forced = await world.app.inject({
    method: 'POST', url: `/api/reports/${ids.excluded}/keys`,
    headers: { cookie: await cookieOf(world, alice), 'content-type': 'application/json' },
    payload: { keys: [{ keyId: bob.keyId, sealedKey: toB64u(new Uint8Array(80)) }] },
  });
  t.equal(forced.statusCode, 422);
  t.equal(forced.json().code, 'SBX_RECIPIENT_EXCLUDED');

  // B signs in: the report is in no list, count, view, history, export, envelope or assignment.
  const bobHttp = cookieHttp(world.base);
  const bobVault = await vaultOf(world, bob, bobHttp);
  t.same(await bobVault.sweep(), { reports: 0, usernames: [] }, 'B has nothing to hand on');
  const cookie = bobHttp.cookie;
  const get = (url: string) => world.app.inject({ method: 'GET', url, headers: { cookie } });
  const inbox = (await get('/api/reports')).json();
  t.same(inbox.reports.map((r: { id: string }) => r.id), [ids.open], 'B\'s inbox shows only the other report');
  t.equal(inbox.counts.new, 1, 'and counts only it');
  const aliceInbox = await world.app.inject({ method: 'GET', url: '/api/reports', headers: { cookie: await cookieOf(world, alice) } });
  t.equal(aliceInbox.json().counts.new, 2, 'a reader counts both');
  for (const url of [`/api/reports/${ids.excluded}`, `/api/reports/${ids.excluded}/history`]) {
    const res = await get(url);
    t.equal(res.statusCode, 404, url);
    t.equal(res.json().code, 'SBX_NOT_FOUND', 'answered as for a report that does not exist');
  }
  await t.rejects(bobVault.openReport(ids.excluded), { status: 404, code: 'SBX_NOT_FOUND' });
  const own = await world.app.inject({
    method: 'POST', url: `/api/reports/${ids.excluded}/keys`, headers: { cookie, 'content-type': 'application/json' },
    payload: { keys: [{ keyId: bob.keyId, sealedKey: toB64u(new Uint8Array(80)) }] },
  });
  t.equal(own.statusCode, 404, 'B\'s own envelope for themselves is refused');
  const assign = await world.app.inject({
    method: 'PATCH', url: `/api/reports/${ids.excluded}`,
    headers: { cookie: await cookieOf(world, alice), 'content-type': 'application/json' }, payload: { assignees: [bob.id] },
  });
  t.equal(assign.statusCode, 400, 'B cannot be assigned the report');
  t.notOk(repos.reports.key(ids.excluded, bob.keyId));
  t.same(repos.keyGrants.pending({
    userId: alice.id, keyId: alice.keyId, channelIds: ['staff'], limit: 10,
    readers: recipientsOf(inst.services, 'staff').map((m) => ({ channelId: 'staff', keyId: m.keyId })),
  }).grants.map((g) => g.reportId)
    .filter((id) => id === ids.excluded), [], 'the sweep query never lists the report for B');
});

t.test('a console handed a doctored server answer still never seals to the member left out', async (t) => {
  const world = await nodeConsole(t);
  const { inst } = world;
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const bob = addUser(inst.services, 'bob', ['reviewer'], ['staff']);
  const ids = await reports(world, bob);
  const bobMember = { id: bob.id, username: 'bob', keyId: bob.keyId, boxPublicKey: toB64u(bob.secrets.box.publicKey), hasKey: false, hasInternalKey: false };

  // The server (or whoever controls it) adds B back as a member who lacks the keys, everywhere.
  const honest = cookieHttp(world.base);
  const sent: Array<{ url: string; body: string }> = [];
  const doctored: Http = {
    base: honest.base,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      if (typeof init?.body === 'string') sent.push({ url: String(input), body: init.body });
      const res = await honest.fetch(input, init);
      const url = String(input);
      if ((init?.method ?? 'GET') !== 'GET' || !res.ok) return res;
      if (!/\/api\/key-distribution|\/api\/reports\/[A-Za-z0-9_-]{22}$/.test(url)) return res;
      const body = await res.json() as { members?: unknown[]; reports?: Array<{ members: unknown[] }> };
      if (body.members) body.members.push(bobMember);
      for (const r of body.reports ?? []) r.members.push(bobMember);
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    }) as typeof fetch,
  };
  const vault = await vaultOf(world, alice, doctored);
  await vault.sweep();
  const view = await vault.openReport(ids.excluded);
  t.ok(view.madeInternalKey);
  t.notOk(view.members.some((m) => m.id === bob.id), 'the page does not list B as a reader');
  await vault.distribute(ids.excluded);
  // The other report does not leave B out: there B is a reader like any other.
  await vault.openReport(ids.open);
  await vault.distribute(ids.open);
  t.ok(inst.services.repos.reports.key(ids.open, bob.keyId)?.sealedInternalKey, 'B holds both keys of the report that did not leave them out');
  const grants = sent.filter((r) => r.url.endsWith(`/api/reports/${ids.excluded}/keys`));
  t.ok(grants.length > 0, 'the console did post envelopes for the report (Ki for alice)');
  t.notOk(grants.some((r) => r.body.includes(bob.keyId)), 'none of them for B');
  t.notOk(inst.services.repos.reports.key(ids.excluded, bob.keyId), 'B holds no envelope');
});

t.test('older pages, and an operator who deletes the record and runs `sealbox recover`, keep the exclusion too', async (t) => {
  const world = await nodeConsole(t);
  const { inst } = world;
  const { repos } = inst.services;
  const bob = addUser(inst.services, 'bob', ['reviewer'], ['staff']);
  const carol = addUser(inst.services, 'carol', ['reviewer'], ['staff']);
  // An older page says nothing of `excluded`: every member it did not seal to is left out.
  const reporter = new TestReporter(world.reporterApp);
  const { channels, recoveryKey } = await reporter.channels();
  const staff = channels.find((c) => c.id === 'staff')!;
  const solved = async (who: TestReporter) => {
    const { body } = await who.challenge('staff');
    return { reportId: body.reportId, nonce: solvePow(fromB64u(body.pow.salt), body.pow.bits) };
  };
  const first = await solved(reporter);
  const kept = [...staff.recipients.filter((r) => r.userId !== bob.id), recoveryKey!];
  const res = await world.reporterApp.inject({ method: 'POST', url: '/api/reports', payload: reporter.buildReport('staff', first.reportId, first.nonce, { category: 'OTHER' }, kept) });
  t.equal(res.statusCode, 201);
  t.same(repos.reports.excluded(first.reportId), [bob.id], 'derived from the envelopes');
  t.same(repos.notifications.immediateRecipients(first.reportId).filter((r) => r.userId === bob.id), [], 'no mail to B');

  // A page that declares an exclusion must declare exactly the members it left out.
  const liar = new TestReporter(world.reporterApp);
  const second = await solved(liar);
  const refused = await world.reporterApp.inject({
    method: 'POST', url: '/api/reports', payload: liar.buildReport('staff', second.reportId, second.nonce, { category: 'OTHER' }, kept, [carol.id]),
  });
  t.equal(refused.statusCode, 422);
  t.equal(refused.json().code, 'SBX_RECIPIENTS_MISMATCH');
  t.equal(repos.reports.byId(second.reportId), undefined, 'nothing stored');

  // The page's own report (content version 2, `excluded` declared); then the operator deletes the
  // server's record of it and runs `sealbox recover` for B: the content itself still says no.
  const page = new TestReporter(world.reporterApp);
  t.equal((await page.submit('staff', { category: 'LEAK' }, [bob.id])).statusCode, 201);
  inst.services.db.sqlite.prepare('DELETE FROM report_exclusions').run();
  const recovered = await runCli(['recover', '--user', 'bob', '--json', '--data-dir', inst.dir], { stdin: inst.recoverySecret });
  t.equal(recovered.code, 0, recovered.err);
  t.notOk(repos.reports.key(page.reportId, bob.keyId), 'recover sealed nothing to B for the report whose content leaves them out');
  t.ok(repos.reports.key(first.reportId, bob.keyId), 'the older page\'s report, whose content names nobody, was protected by the record alone');
});

/** A session cookie for `user`, signed in through the real login without Argon2id. */
