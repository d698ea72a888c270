// GET /api/roster/awaiting: a new member, a member added to another channel and a member whose keys
// were reset are listed to the channel's other members as awaiting approval (add, add, rekey), with
// the keys the server holds; the caller learns where they await it themselves; every channel is
// listed only to administrators, for the recovery secret's page.
import t from 'tap';
import { generateUserSecrets, keyIdOf, toB64u } from '../../../crypto/index.js';
import { addUser, approveWithRoot } from '../../helpers/instance.js';
import { consoleSetup, isError, signIn } from './console-fixtures.js';

interface Awaiting {
  awaiting: Array<{ channelId: string; userId: string; username: string; boxPublicKey: string; signPublicKey: string; op: string; approvers: number }>;
  mine: Array<{ channelId: string; op: string }>;
}

t.test('who awaits approval, as each member and administrator sees it', async (t) => {
  const { app, services, clock } = await consoleSetup(t);
  const chief = addUser(services, 'chief', ['admin', 'reviewer'], ['staff']);
  const bob = addUser(services, 'bob', ['reviewer'], ['staff', 'public']);
  const carol = addUser(services, 'carol', ['reviewer'], ['staff', 'public'], { approved: false });
  const dave = addUser(services, 'dave', ['reviewer'], ['staff']);
  const auditor = addUser(services, 'audrey', ['auditor'], []);
  // Dave's keys are reset (what the reset link's enrolment stores): the roster still has his old ones.
  const fresh = generateUserSecrets();
  services.repos.users.update(dave.id, { boxPublicKey: Buffer.from(fresh.box.publicKey), signPublicKey: Buffer.from(fresh.sign.publicKey), keyId: keyIdOf(fresh.box.publicKey) });
  // Chief, approved in staff, is added to public too: there he awaits approval.
  services.repos.channels.setChannelsOf(chief.id, ['staff', 'public']);

  const asBob = await signIn(app, clock, bob);
  const res = await asBob.get('/api/roster/awaiting');
  t.equal(res.statusCode, 200, res.body);
  const list = res.json() as Awaiting;
  const rows = list.awaiting.map((a) => `${a.channelId} ${a.username} ${a.op} ${a.approvers}`).sort();
  // Staff's approved members: chief and bob (dave's keys changed); public's: bob.
  t.same(rows, ['public carol add 1', 'public chief add 1', 'staff carol add 2', 'staff dave rekey 2']);
  const daveRow = list.awaiting.find((a) => a.userId === dave.id)!;
  t.same([daveRow.boxPublicKey, daveRow.signPublicKey], [toB64u(fresh.box.publicKey), toB64u(fresh.sign.publicKey)], 'the keys the server holds now');
  t.same(list.mine, [], 'bob awaits nothing');

  const asCarol = await signIn(app, clock, carol);
  const hers = (await asCarol.get('/api/roster/awaiting')).json() as Awaiting;
  t.same(hers.mine.sort((a, b) => a.channelId.localeCompare(b.channelId)), [{ channelId: 'public', op: 'add' }, { channelId: 'staff', op: 'add' }], 'carol awaits approval in both her channels');
  t.notOk(hers.awaiting.some((a) => a.userId === carol.id), 'she is not asked to approve herself');

  const asChief = await signIn(app, clock, chief);
  const chiefs = (await asChief.get('/api/roster/awaiting')).json() as Awaiting;
  t.same(chiefs.mine, [{ channelId: 'public', op: 'add' }]);
  const all = await asChief.get('/api/roster/awaiting?scope=all');
  t.equal(all.statusCode, 200);
  t.ok((all.json() as Awaiting).awaiting.some((a) => a.userId === chief.id && a.channelId === 'public'), 'every channel, the administrator included: the recovery secret may approve anyone');
  t.same((await asChief.get('/api/roster/awaiting?scope=mine')).json(), chiefs);

  isError(t, await asBob.get('/api/roster/awaiting?scope=all'), 403, 'SBX_FORBIDDEN');
  isError(t, await asBob.get('/api/roster/awaiting?scope=everything'), 400, 'SBX_INVALID_REQUEST');
  isError(t, await (await signIn(app, clock, auditor)).get('/api/roster/awaiting'), 403, 'SBX_FORBIDDEN');
  isError(t, await app.inject({ method: 'GET', url: '/api/roster/awaiting' }), 401, 'SBX_UNAUTHENTICATED');

  // Approved (by the root here): gone from the list; dave's rekey likewise.
  approveWithRoot(services, carol.id, 'staff');
  approveWithRoot(services, dave.id, 'staff');
  const after = (await asBob.get('/api/roster/awaiting')).json() as Awaiting;
  t.same(after.awaiting.map((a) => `${a.channelId} ${a.username}`).sort(), ['public carol', 'public chief']);
  t.same((await asCarol.get('/api/roster/awaiting')).json().mine, [{ channelId: 'public', op: 'add' }]);
  // A disabled member is nobody's to approve.
  services.repos.users.update(carol.id, { disabled: true });
  t.same((await asBob.get('/api/roster/awaiting')).json().awaiting.map((a: { username: string }) => a.username), ['chief']);
});

t.test('without a roster, every member awaits an add and nobody can approve but the root', async (t) => {
  const { app, services, clock } = await consoleSetup(t, {}, { recoveryKey: false });
  const ann = addUser(services, 'ann', ['admin'], ['staff']);
  addUser(services, 'ben', ['reviewer'], ['staff']);
  const res = (await (await signIn(app, clock, ann)).get('/api/roster/awaiting')).json() as Awaiting;
  t.same(res.awaiting.map((a) => `${a.username} ${a.op} ${a.approvers}`), ['ben add 0']);
  t.same(res.mine, [{ channelId: 'staff', op: 'add' }]);
});
