// The reporting page's worker decides whom a report is sealed to from the verified roster, not
// from what the server lists (PROTOCOL.md §9). A server that lists an extra recipient, swaps a
// key, or serves a roster with a changed byte, a missing entry or an entry signed by a
// non-member: the worker seals to no key the roster does not name, or refuses to send at all.
import t from 'tap';
import {
  entryHash, generateUserSecrets, keyIdOf, signEntry, toB64u, type RosterEntry, type SignedEntry,
} from '../../crypto/index.js';
import type { ChannelsResponse } from '../../client/report/types.js';
import type { Http } from '../../client/report/worker/http.js';
import { RosterError, sealingTargets, verifiedChannels } from '../../client/report/worker/recipients.js';
import { submitReport } from '../../client/report/worker/session.js';
import { addUser, makeInstance } from '../helpers/instance.js';
import { recoveryKeyOf } from '../../server/recipients.js';

const inst = await makeInstance();
const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff', 'public']);
const bob = addUser(inst.services, 'bob', ['reviewer'], ['staff']);
// Carol is a member of staff in the database, but nobody approved her: the roster lacks her.
const carol = addUser(inst.services, 'carol', ['reviewer'], ['staff'], { approved: false });
const app = await inst.app('reporter');
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
t.teardown(async () => {
  await app.close();
  inst.close();
});

type Doctor = { channels?: (c: ChannelsResponse) => ChannelsResponse; roster?: (r: { entries: SignedEntry[] }) => unknown };

/** A server that answers as the real one, with the channels or the roster changed on the way. */
function doctored(doctor: Doctor = {}, seen: Array<{ path: string; body: string | undefined }> = []): Http {
  const fetchDoctored = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    seen.push({ path: url.pathname, body: typeof init?.body === 'string' ? init.body : undefined });
    const res = await fetch(input, init);
    const change = url.pathname === '/api/channels' ? doctor.channels : url.pathname === '/api/roster' ? doctor.roster : undefined;
    if (!change) return res;
    return new Response(JSON.stringify(change(await res.json() as never)), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
  return { base, fetch: fetchDoctored as typeof fetch };
}

const staffOf = (c: ChannelsResponse) => c.channels.find((x) => x.id === 'staff')!;

t.test('the honest server: recipients are the approved members, the recovery key is the root\'s', async (t) => {
  const served = await (await fetch(`${base}/api/channels`)).json() as ChannelsResponse;
  t.same(staffOf(served).recipients.map((r) => r.label).sort(), ['alice', 'bob'], 'the server itself does not list carol');
  const v = await verifiedChannels(doctored());
  t.ok(v.roster.ok);
  if (!v.roster.ok) return;
  t.match(v.roster.unitFingerprint, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  t.same(v.roster.unverified, { staff: 0, public: 0 });
  t.same(staffOf(v.channels).recipients.map((r) => r.label).sort(), ['alice', 'bob']);
  t.same(v.channels.recoveryKey, served.recoveryKey, 'the root names the recovery key the server lists');
  const targets = await sealingTargets(doctored(), 'staff', [bob.id, 'someone-else']);
  t.same(targets.excluded, [bob.id], 'only a verified member can be left out');
  t.same(targets.keys.map((k) => k.keyId), [alice.keyId, served.recoveryKey!.keyId]);
  await t.rejects(sealingTargets(doctored(), 'staff', [alice.id, bob.id]), RosterError, 'not everyone may be left out');
  await t.rejects(sealingTargets(doctored(), 'gone', []), RosterError);
});

t.test('a server that lists an extra recipient, or another key for a member: left out, and counted', async (t) => {
  const intruder = generateUserSecrets();
  const extra = (c: ChannelsResponse): ChannelsResponse => ({
    ...c,
    channels: c.channels.map((ch) => (ch.id !== 'staff' ? ch : {
      ...ch,
      recipients: [
        // Carol's real keys: she is a member in the database, not in the roster.
        { userId: carol.id, label: 'carol', keyId: carol.keyId, publicKey: toB64u(carol.secrets.box.publicKey) },
        // Alice's user id with a key the server made; and bob's key under a key id that is not its own.
        ...ch.recipients.map((r) => (r.userId === alice.id ? { ...r, keyId: keyIdOf(intruder.box.publicKey), publicKey: toB64u(intruder.box.publicKey) } : r))
          .map((r) => (r.userId === bob.id ? { ...r, keyId: carol.keyId } : r)),
      ],
    })),
  });
  const v = await verifiedChannels(doctored({ channels: extra }));
  t.ok(v.roster.ok);
  if (v.roster.ok) t.same(v.roster.unverified.staff, 3, 'three listed recipients are not what the roster names');
  t.same(staffOf(v.channels).recipients, []);

  // Through the whole submission: the server adds carol; she gets no envelope.
  const seen: Array<{ path: string; body: string | undefined }> = [];
  const addCarol = (c: ChannelsResponse): ChannelsResponse => ({
    ...c,
    channels: c.channels.map((ch) => (ch.id !== 'staff' ? ch : { ...ch, recipients: [...ch.recipients, { userId: carol.id, label: 'carol', keyId: carol.keyId, publicKey: toB64u(carol.secrets.box.publicKey) }] })),
  });
  const done = await submitReport(doctored({ channels: addCarol }, seen), { channelId: 'staff', locale: 'en', questionnaire: 'customs-default@1', answers: { category: 'BRIBERY', description: 'x' }, excluded: [] });
  const body = JSON.parse(seen.find((s) => s.path === '/api/reports')!.body!) as { keys: Array<{ keyId: string }> };
  t.notOk(body.keys.some((k) => k.keyId === carol.keyId), 'no key is sealed to a recipient the roster lacks');
  t.same(inst.services.repos.reports.keys(done.reportId).map((k) => k.keyId).sort(), [alice.keyId, bob.keyId, keyIdOf(recoveryKeyOf(inst.services)!)].sort(), 'sealed to the approved members and the recovery key');
});

t.test('a roster with a changed byte, a missing entry, or an entry signed by a non-member stops the submission', async (t) => {
  const entries = inst.services.repos.roster.entries();
  t.ok(entries.length >= 4, 'root, alice in two channels, bob');
  const intruder = generateUserSecrets();
  const forged: SignedEntry = signEntry({
    v: 1, seq: entries.length, prev: toB64u(entryHash(entries.at(-1)!)), at: '2026-12-07T10:00:00.000Z', by: keyIdOf(intruder.sign.publicKey),
    op: 'add', channel: 'staff', member: { userId: carol.id, label: 'carol', boxPublicKey: toB64u(carol.secrets.box.publicKey), signPublicKey: toB64u(carol.secrets.sign.publicKey) },
  } as RosterEntry, intruder.sign.secretKey);
  const flip = (r: { entries: SignedEntry[] }) => {
    const copy = structuredClone(r);
    const e = copy.entries[1]!.entry as { member: { label: string } };
    e.member.label = `${e.member.label}x`;
    return copy;
  };
  const cases: Array<[string, Doctor['roster']]> = [
    ['one byte changed', flip],
    ['an entry removed', (r) => ({ entries: r.entries.filter((_, i) => i !== 1) })],
    ['an entry signed by a non-member', (r) => ({ entries: [...r.entries, forged] })],
    ['no roster at all', () => ({ entries: [] })],
    ['not a roster', () => ({ entries: 'nothing' })],
  ];
  for (const [name, roster] of cases) {
    const seen: Array<{ path: string; body: string | undefined }> = [];
    const v = await verifiedChannels(doctored({ roster }, seen));
    t.notOk(v.roster.ok, `${name}: the roster does not verify`);
    t.same(v.channels.channels.flatMap((c) => c.recipients), [], `${name}: nobody is listed to seal to`);
    t.equal(v.channels.recoveryKey, null, `${name}: not even the recovery key the server lists`);
    await t.rejects(submitReport(doctored({ roster }, seen), { channelId: 'staff', locale: 'en', questionnaire: 'customs-default@1', answers: { category: 'BRIBERY', description: 'x' }, excluded: [] }),
      RosterError, `${name}: the submission stops`);
    t.notOk(seen.some((s) => s.path === '/api/reports'), `${name}: no report was sent`);
  }
});
