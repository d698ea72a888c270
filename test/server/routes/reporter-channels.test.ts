// GET /api/channels: the channels, their questionnaires and every key a report must be sealed to.
import t from 'tap';
import { fromB64u, keyIdOf, parseRecoverySecret, toB64u } from '../../../crypto/index.js';
import { addReviewer, setup } from './reporter-fixtures.js';

interface ChannelsBody {
  channels: {
    id: string; title: Record<string, string>; description: Record<string, string>; questionnaire: unknown;
    recipients: { keyId: string; publicKey: string; label: string }[]; allowRecipientExclusion: boolean; maxAttachmentBytes: number;
  }[];
  recoveryKey: { keyId: string; publicKey: string } | null;
}

t.test('channels: both default channels with their recipients and the recovery key', async (t) => {
  const { app, inst, alice, bob, services } = await setup(t);
  const res = await app.inject({ method: 'GET', url: '/api/channels' });
  t.equal(res.statusCode, 200);
  const body = res.json() as ChannelsBody;
  t.same(body.channels.map((c) => c.id), ['public', 'staff']);
  const staff = body.channels.find((c) => c.id === 'staff')!;
  const pub = body.channels.find((c) => c.id === 'public')!;
  t.equal(staff.allowRecipientExclusion, true, 'staff may leave a recipient out');
  t.equal(pub.allowRecipientExclusion, false);
  t.equal(staff.maxAttachmentBytes, 200 * 1024 * 1024);
  t.type(staff.title.en, 'string');
  t.type(staff.description.fr, 'string');
  t.ok(staff.questionnaire && typeof staff.questionnaire === 'object', 'the questionnaire travels with the channel');
  t.same(staff.recipients, [
    { userId: alice.id, keyId: alice.keyId, publicKey: toB64u(alice.box.publicKey), label: 'alice' },
    { userId: bob.id, keyId: bob.keyId, publicKey: toB64u(bob.box.publicKey), label: 'bob' },
  ]);
  for (const r of staff.recipients) t.equal(keyIdOf(fromB64u(r.publicKey, 32)), r.keyId, 'the key id is the hash of the public key');

  const recovery = parseRecoverySecret(inst.recoverySecret);
  t.same(body.recoveryKey, { keyId: keyIdOf(recovery.publicKey), publicKey: toB64u(recovery.publicKey) });

  // A disabled user receives nothing new: they vanish from the list.
  services.db.sqlite.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(bob.id);
  const after = (await app.inject({ method: 'GET', url: '/api/channels' })).json() as ChannelsBody;
  t.same(after.channels.find((c) => c.id === 'staff')!.recipients.map((r) => r.label), ['alice']);

  // A member of one channel only is listed there only.
  addReviewer(services, 'carol', ['public']);
  const third = (await app.inject({ method: 'GET', url: '/api/channels' })).json() as ChannelsBody;
  t.same(third.channels.find((c) => c.id === 'public')!.recipients.map((r) => r.label), ['alice', 'carol']);
  t.same(third.channels.find((c) => c.id === 'staff')!.recipients.map((r) => r.label), ['alice']);
});

t.test('channels: without a recovery key the field is null', async (t) => {
  const { app } = await setup(t, {}, { recoveryKey: false });
  const body = (await app.inject({ method: 'GET', url: '/api/channels' })).json() as ChannelsBody;
  t.equal(body.recoveryKey, null);
  t.equal(body.channels.length, 2);
});

t.test('channels: a HEAD and an unknown method are answered without a 5xx', async (t) => {
  const { app } = await setup(t);
  const head = await app.inject({ method: 'HEAD', url: '/api/channels' });
  t.equal(head.statusCode, 200);
  const del = await app.inject({ method: 'DELETE', url: '/api/channels' });
  t.equal(del.statusCode, 404);
  t.equal(del.json().code, 'SBX_ROUTE_NOT_FOUND');
});

t.test('the global ceiling of the reporter app answers 429 with Retry-After, on every route', async (t) => {
  const { app, services, inst } = await setup(t);
  const limiter = services.limits.reporterGlobal;
  for (;;) {
    try {
      limiter.take();
    } catch {
      break;
    }
  }
  for (const [method, url] of [['GET', '/api/channels'], ['POST', '/api/submissions'], ['GET', '/api/followup']] as const) {
    const res = await app.inject({ method, url, payload: method === 'POST' ? { channelId: 'staff' } : undefined });
    t.equal(res.statusCode, 429, `${method} ${url}`);
    t.match(res.json(), { statusCode: 429, code: 'SBX_RATE_LIMITED', error: 'Too Many Requests' });
    t.equal(res.headers['retry-after'], '1');
    t.equal(res.headers['cache-control'], 'no-store');
  }
  inst.clock.advance(1000);
  t.equal((await app.inject({ method: 'GET', url: '/api/channels' })).statusCode, 200, 'a second later it serves again');
});
