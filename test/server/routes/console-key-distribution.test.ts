// GET /api/key-distribution: the reports a member holds the key of and another member lacks, for
// the console's sweep after sign-in (new members, reset users).
import t from 'tap';
import { generateReportKey, openSealedKey, sealKey } from '../../../crypto/index.js';
import { addUser } from '../../helpers/instance.js';
import { consoleSetup, isError, quietUser, signIn, submitReport } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff', 'public']);
const staff = [await submitReport(reporterApp, 'staff'), await submitReport(reporterApp, 'staff'), await submitReport(reporterApp, 'staff')];
const pub = await submitReport(reporterApp, 'public');
const zoeClient = await signIn(app, clock, zoe);

interface Page {
  reports: { id: string; channelId: string; sealedKey: string; sealedInternalKey: string | null; members: { username: string; keyId: string; hasKey: boolean; hasInternalKey: boolean }[] }[];
  nextCursor: string | null;
}
const pending = async (query = ''): Promise<Page> => {
  const res = await zoeClient.get(`/api/key-distribution${query}`);
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json();
};

t.test('nothing is pending while every member holds the keys', async (t) => {
  t.same(await pending(), { reports: [], nextCursor: null });
});

t.test('a member who joins later is pending on every report of their channel, newest first, paged', async (t) => {
  const omar = quietUser(services, 'omar', ['reviewer'], ['staff']);
  const first = await pending('?limit=2');
  t.same(first.reports.map((r) => r.id), [staff[2]!.reportId, staff[1]!.reportId], 'newest first; the public report is not pending');
  t.ok(first.nextCursor);
  const second = await pending(`?limit=2&cursor=${first.nextCursor}`);
  t.same(second.reports.map((r) => r.id), [staff[0]!.reportId]);
  t.equal(second.nextCursor, null);
  const item = first.reports[0]!;
  t.same(openSealedKey(item.sealedKey, zoe.secrets.box), staff[2]!.reportKey, 'the caller\'s own envelope comes with it');
  t.match(item.members.find((m) => m.username === 'omar'), { keyId: omar.keyId, hasKey: false });
  t.match(item.members.find((m) => m.username === 'zoe'), { hasKey: true });

  // Handing the key on takes the report off the list.
  for (const r of staff) {
    const res = await zoeClient.send('POST', `/api/reports/${r.reportId}/keys`, { keys: [{ keyId: omar.keyId, sealedKey: sealKey(r.reportKey, omar.secrets.box.publicKey) }] });
    t.equal(res.statusCode, 201);
  }
  t.same((await pending()).reports, []);
});

t.test('a member who holds the report key but not the internal key the caller has is pending too', async (t) => {
  const internal = generateReportKey();
  const id = staff[0]!.reportId;
  const res = await zoeClient.send('POST', `/api/reports/${id}/keys`, {
    keys: [{ keyId: zoe.keyId, sealedKey: sealKey(staff[0]!.reportKey, zoe.secrets.box.publicKey), sealedInternalKey: sealKey(internal, zoe.secrets.box.publicKey) }],
  });
  t.equal(res.statusCode, 201);
  const page = await pending();
  t.same(page.reports.map((r) => r.id), [id]);
  t.ok(page.reports[0]!.sealedInternalKey);
  t.match(page.reports[0]!.members.find((m) => m.username === 'omar'), { hasKey: true, hasInternalKey: false });
});

t.test('disabled members and other channels\' members are not pending; a reviewer without the key sees nothing', async (t) => {
  const dana = quietUser(services, 'dana', ['reviewer'], ['public']);
  services.repos.users.update(dana.id, { disabled: true });
  t.notOk((await pending()).reports.some((r) => r.id === pub.reportId), 'a disabled member is not waiting for keys');
  // A reviewer who joined late holds no envelope: they cannot hand anything on.
  const late = addUser(services, 'late', ['reviewer'], ['staff', 'public']);
  const lateClient = await signIn(app, clock, late);
  const res = await lateClient.get('/api/key-distribution');
  t.same(res.json(), { reports: [], nextCursor: null });
});

t.test('bad queries are refused; auditors and signed-out callers are not let in', async (t) => {
  isError(t, await zoeClient.get('/api/key-distribution?limit=0'), 400, 'SBX_INVALID_REQUEST', 'limit 0');
  isError(t, await zoeClient.get('/api/key-distribution?limit=101'), 400, 'SBX_INVALID_REQUEST', 'limit too large');
  isError(t, await zoeClient.get('/api/key-distribution?cursor=abc'), 400, 'SBX_INVALID_REQUEST', 'bad cursor');
  isError(t, await zoeClient.get('/api/key-distribution?other=1'), 400, 'SBX_INVALID_REQUEST', 'unknown parameter');
  const auditor = await signIn(app, clock, addUser(services, 'aud', ['auditor'], []));
  t.equal((await auditor.get('/api/key-distribution')).statusCode, 403);
  t.equal((await app.inject({ method: 'GET', url: '/api/key-distribution' })).statusCode, 401);
});

t.test('the repository refuses a bad page size', async (t) => {
  t.throws(() => services.repos.keyGrants.pending({ userId: zoe.id, keyId: zoe.keyId, channelIds: ['staff'], limit: 0, readers: [] }), RangeError);
  t.same(services.repos.keyGrants.pending({ userId: zoe.id, keyId: zoe.keyId, channelIds: [], limit: 5, readers: [] }), { grants: [], nextCursor: null });
});
