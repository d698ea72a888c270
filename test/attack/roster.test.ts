// The roster against insiders (PROTOCOL.md §9), at the API and in the console's worker: an
// administrator who adds themselves to a channel, an account whose keys were reset, a server that
// lists a member nobody approved as lacking a key, and a member who posts garbage as a colleague's
// envelope. Each gets nothing until a member (or the root) signs them in.
import t from 'tap';
import type { Http } from '../../client/console/api.js';
import { generateUserSecrets, keyIdOf, randomBytes, sealKey, toB64u } from '../../crypto/index.js';
import { recipientsOf } from '../../server/recipients.js';
import { cookieHttp, cookieOf, nodeConsole, vaultOf, type NodeConsole } from '../client/console-fixtures.js';
import { addUser, approveWithRoot, type TestUser } from '../helpers/instance.js';
import { TestReporter } from '../helpers/reporter.js';

async function report(world: NodeConsole, channel: string): Promise<string> {
  const r = new TestReporter(world.reporterApp);
  const res = await r.submit(channel, { category: 'BRIBERY', description: 'MARKER for the roster' });
  if (res.statusCode !== 201) throw new Error(res.body);
  return r.reportId;
}

const postKeys = async (world: NodeConsole, who: TestUser, id: string, keys: unknown[]) => world.app.inject({
  method: 'POST', url: `/api/reports/${id}/keys`, headers: { cookie: await cookieOf(world, who), 'content-type': 'application/json' }, payload: { keys },
});

t.test('an administrator who adds themselves to a channel gets no old key and no new report until a member approves', async (t) => {
  const world = await nodeConsole(t);
  const { services } = world.inst;
  const alice = addUser(services, 'alice', ['reviewer'], ['public'], { kdf: 'real' });
  const ada = addUser(services, 'ada', ['admin'], ['staff']);
  const old = await report(world, 'public');
  // Ada adds herself to public through the console's Channels page (the API it uses).
  const put = await world.app.inject({
    method: 'PUT', url: '/api/channels/public/members', headers: { cookie: await cookieOf(world, ada), 'content-type': 'application/json' },
    payload: { userIds: [alice.id, ada.id] },
  });
  t.equal(put.statusCode, 200, put.body);
  t.same(recipientsOf(services, 'public').map((m) => m.username), ['alice'], 'the server lists only the approved member');
  const listed = (await world.reporterApp.inject({ method: 'GET', url: '/api/channels' })).json().channels.find((c: { id: string }) => c.id === 'public');
  t.same(listed.recipients.map((r: { label: string }) => r.label), ['alice'], 'the reporting page is not told to seal to ada');
  const fresh = await report(world, 'public');

  // Alice signs in: her sweep hands ada nothing, old or new.
  const vault = await vaultOf(world, alice);
  const swept = await vault.sweep();
  t.same(swept.usernames, [], 'the sweep hands keys to nobody');
  await vault.openReport(old);
  await vault.distribute(old);
  for (const id of [old, fresh]) t.equal(services.repos.reports.key(id, ada.keyId), undefined, 'no envelope for ada');
  // Ada cannot give herself one: she holds no key to give, and is not in the roster.
  const self = await postKeys(world, ada, old, [{ keyId: ada.keyId, sealedKey: sealKey(randomBytes(32), ada.secrets.box.publicKey) }]);
  t.equal(self.statusCode, 422);
  t.equal(self.json().code, 'SBX_NO_KEY_TO_GIVE');
  // Even alice cannot hand her a key through the API while the roster lacks her.
  const handed = await postKeys(world, alice, old, [{ keyId: ada.keyId, sealedKey: sealKey(randomBytes(32), ada.secrets.box.publicKey) }]);
  t.equal(handed.statusCode, 422);
  t.equal(handed.json().code, 'SBX_RECIPIENTS_MISMATCH');

  // Once a member signs her in (here the root, as `sealbox roster approve` does), the sweep hands her the keys.
  approveWithRoot(services, ada.id, 'public');
  const again = await vaultOf(world, alice);
  t.same((await again.sweep()).usernames, ['ada'], 'after approval, the sweep hands keys to ada');
  for (const id of [old, fresh]) t.ok(services.repos.reports.key(id, ada.keyId), 'ada now holds the report key');
});

t.test('a console handed a server answer that lists an unapproved member as lacking keys seals nothing to them', async (t) => {
  const world = await nodeConsole(t);
  const { services } = world.inst;
  const alice = addUser(services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  // Mallory is in staff in the database, with real keys, but the roster does not name her.
  const mallory = addUser(services, 'mallory', ['reviewer'], ['staff'], { approved: false });
  const id = await report(world, 'staff');
  const member = { id: mallory.id, username: 'mallory', keyId: mallory.keyId, boxPublicKey: toB64u(mallory.secrets.box.publicKey), hasKey: false, hasInternalKey: false };
  const honest = cookieHttp(world.base);
  const sent: Array<{ url: string; body: string }> = [];
  const doctored: Http = {
    base: honest.base,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      if (typeof init?.body === 'string') sent.push({ url: String(input), body: init.body });
      const res = await honest.fetch(input, init);
      const url = String(input);
      if ((init?.method ?? 'GET') !== 'GET' || !res.ok || !/\/api\/key-distribution|\/api\/reports\/[A-Za-z0-9_-]{22}$/.test(url)) return res;
      const body = await res.json() as { members?: unknown[]; reports?: Array<{ members: unknown[] }> };
      body.members?.push(member);
      for (const r of body.reports ?? []) r.members.push(member);
      // The key-distribution answer has nothing to list for alice alone: the server makes one up.
      if (body.reports && body.reports.length === 0) {
        const mine = services.repos.reports.key(id, alice.keyId)!;
        const row = services.repos.reports.byId(id)!;
        body.reports.push({ id, channelId: 'staff', sealedKey: toB64u(mine.sealedKey), sealedInternalKey: null, members: [member],
          content: { nonce: toB64u(row.contentNonce), ciphertext: toB64u(row.contentCiphertext) } } as never);
      }
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    }) as typeof fetch,
  };
  const vault = await vaultOf(world, alice, doctored);
  await vault.sweep();
  await vault.openReport(id);
  await vault.distribute(id);
  t.ok(sent.some((r) => r.url.endsWith(`/api/reports/${id}/keys`)), 'the console did post envelopes (Ki for alice)');
  t.notOk(sent.some((r) => r.body.includes(mallory.keyId)), 'none of them for mallory');
  t.equal(services.repos.reports.key(id, mallory.keyId), undefined);
});

t.test('keys reset by an administrator receive nothing until a member approves the rekey', async (t) => {
  const world = await nodeConsole(t);
  const { services } = world.inst;
  const alice = addUser(services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const bob = addUser(services, 'bob', ['reviewer'], ['staff']);
  const old = await report(world, 'staff');
  // The reset, as the reset link stores it: new keys for bob's account, which an administrator could hold.
  const taken = generateUserSecrets();
  services.repos.users.update(bob.id, { boxPublicKey: Buffer.from(taken.box.publicKey), signPublicKey: Buffer.from(taken.sign.publicKey), keyId: keyIdOf(taken.box.publicKey) });
  const newKeyId = keyIdOf(taken.box.publicKey);
  t.same(recipientsOf(services, 'staff').map((m) => m.username), ['alice'], 'the new keys are not a recipient');
  const fresh = await report(world, 'staff');
  const vault = await vaultOf(world, alice);
  t.same((await vault.sweep()).usernames, [], 'nothing handed to the new keys');
  for (const id of [old, fresh]) t.equal(services.repos.reports.key(id, newKeyId), undefined);
  approveWithRoot(services, bob.id, 'staff');
  t.same((await (await vaultOf(world, alice)).sweep()).usernames, ['bob'], 'after the rekey is approved');
  t.ok(services.repos.reports.key(fresh, newKeyId));
});

t.test('garbage as a colleague\'s envelope: refused from a member without the key; from a holder, replaced on request', async (t) => {
  const world = await nodeConsole(t);
  const { services } = world.inst;
  const alice = addUser(services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const bob = addUser(services, 'bob', ['reviewer'], ['staff'], { kdf: 'real' });
  const id = await report(world, 'staff');
  const carol = addUser(services, 'carol', ['reviewer'], ['staff']);
  // Carol joined after the report: she holds no key of it, so she has none to give.
  const fromCarol = await postKeys(world, carol, id, [{ keyId: bob.keyId, sealedKey: toB64u(randomBytes(80)) }]);
  t.equal(fromCarol.statusCode, 422);
  t.equal(fromCarol.json().code, 'SBX_NO_KEY_TO_GIVE', 'a member without the key cannot post one');
  // Bob lost his envelope (say, an earlier renewal); alice, who holds the key, posts garbage for him.
  services.repos.reports.dropKey(id, bob.keyId);
  const garbage = await postKeys(world, alice, id, [{ keyId: bob.keyId, sealedKey: toB64u(randomBytes(80)) }]);
  t.equal(garbage.statusCode, 201, 'the server cannot tell garbage from a sealed key');
  t.ok(services.repos.audit.list({ action: 'report.keys', limit: 5 }).some((e) => e.actor === `user:${alice.id}`), 'who posted it is in the audit trail');
  // Bob's console meets an envelope that does not open: it asks for a fresh one by itself.
  const bobVault = await vaultOf(world, bob);
  const view = await bobVault.openReport(id);
  t.equal(view.hasKey, false);
  t.equal(services.repos.reports.key(id, bob.keyId), undefined, 'the garbage envelope is gone');
  t.equal(services.repos.audit.list({ action: 'report.keys_renewed', limit: 5 }).length, 1);
  // The next sweep of a member who holds the key seals a real one, and bob reads the report.
  const holder = await vaultOf(world, alice);
  t.same((await holder.sweep()).usernames.includes('bob'), true);
  const opened = await (await vaultOf(world, bob)).openReport(id);
  t.equal(opened.hasKey, true);
  t.same((opened.content?.answers as { description?: string }).description, 'MARKER for the roster');
  // Renewing drops the caller's own envelope only; asking again, with none left, changes nothing.
  const cookie = await cookieOf(world, bob);
  const renew = () => world.app.inject({ method: 'POST', url: `/api/reports/${id}/keys/renew`, headers: { cookie, 'content-type': 'application/json' }, payload: {} });
  t.equal((await renew()).statusCode, 204);
  t.equal((await renew()).statusCode, 204);
  t.equal(services.repos.audit.list({ action: 'report.keys_renewed', limit: 5 }).length, 2, 'audited once per envelope dropped');
  t.ok(services.repos.reports.key(id, alice.keyId), 'alice\'s envelope is untouched');
});
