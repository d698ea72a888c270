// Channels in the console: reading them (anyone signed in), changing their settings and members
// (administrators), and what the reporter app then offers.
import t from 'tap';
import { defaultQuestionnaire } from '../../../domain/defaults/questionnaire.js';
import { addUser, approveWithRoot } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, quietUser, signIn, unchanged } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const ines = quietUser(services, 'ines', ['auditor'], []);
const omar = quietUser(services, 'omar', ['reviewer'], []);
const admin = await signIn(app, clock, amal);
const reviewer = await signIn(app, clock, zoe);

t.test('anyone signed in reads the channels with their settings and members', async (t) => {
  const res = await reviewer.get('/api/channels');
  t.equal(res.statusCode, 200);
  const channels = res.json().channels;
  t.same(channels.map((c: { id: string }) => c.id), ['public', 'staff']);
  const staff = channels[1];
  t.match(staff, { id: 'staff', allowRecipientExclusion: true, maxAttachmentBytes: 200 * 1024 * 1024, retentionDays: 365, messagesAfterClose: false });
  t.same(staff.members, [{ id: amal.id, username: 'amal', keyId: amal.keyId }, { id: zoe.id, username: 'zoe', keyId: zoe.keyId }]);
  t.same(staff.questionnaire, defaultQuestionnaire);
  isError(t, await app.inject({ method: 'GET', url: '/api/channels' }), 401, 'SBX_UNAUTHENTICATED');
});

t.test('an administrator changes a channel; the reporting page follows', async (t) => {
  const questionnaire = { ...defaultQuestionnaire, version: 2 };
  const res = await admin.send('PATCH', '/api/channels/public', {
    title: { en: 'Traders and travellers', fr: 'Opérateurs et voyageurs' },
    questionnaire,
    allowRecipientExclusion: true,
    maxAttachmentBytes: 1024,
    retentionDays: 730,
    messagesAfterClose: true,
  });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { id: 'public', title: { en: 'Traders and travellers' }, allowRecipientExclusion: true, maxAttachmentBytes: 1024, retentionDays: 730, messagesAfterClose: true });
  t.equal(res.json().questionnaire.version, 2);
  t.same(auditOf(services, 'channel.update').at(-1)!.details, {
    allowRecipientExclusion: [false, true], maxAttachmentBytes: [200 * 1024 * 1024, 1024], retentionDays: [365, 730], messagesAfterClose: [false, true],
    title: 'changed', questionnaire: 'changed',
  });
  const offered = (await reporterApp.inject({ method: 'GET', url: '/api/channels' })).json().channels.find((c: { id: string }) => c.id === 'public');
  t.match(offered, { title: { en: 'Traders and travellers' }, maxAttachmentBytes: 1024, allowRecipientExclusion: true });

  const events = auditOf(services, 'channel.update').length;
  t.equal((await admin.send('PATCH', '/api/channels/public', {})).statusCode, 200);
  t.equal((await admin.send('PATCH', '/api/channels/public', { retentionDays: 730 })).statusCode, 200);
  t.equal(auditOf(services, 'channel.update').length, events, 'no change, no audit');
  t.equal((await admin.send('PATCH', '/api/channels/public', { description: { en: 'For anyone.' } })).json().description.en, 'For anyone.');
});

t.test('refused channel changes', async (t) => {
  await unchanged(t, services, 'refused changes', async () => {
    const patch = (body: unknown, id = 'staff') => admin.send('PATCH', `/api/channels/${id}`, body);
    isError(t, await reviewer.send('PATCH', '/api/channels/staff', { retentionDays: 1 }), 403, 'SBX_FORBIDDEN', 'a reviewer');
    isError(t, await patch({ retentionDays: 1 }, 'nowhere'), 404, 'SBX_NOT_FOUND', 'no such channel');
    isError(t, await patch({ retentionDays: 0 }), 400, 'SBX_INVALID_REQUEST', 'retention of zero days');
    isError(t, await patch({ maxAttachmentBytes: -1 }), 400, 'SBX_INVALID_REQUEST', 'negative size');
    isError(t, await patch({ maxAttachmentBytes: 2 ** 33 }), 400, 'SBX_INVALID_REQUEST', 'over 4 GiB');
    isError(t, await patch({ title: {} }), 400, 'SBX_INVALID_REQUEST', 'a title in no language');
    isError(t, await patch({ title: { English: 'Staff' } }), 400, 'SBX_INVALID_REQUEST', 'not a locale');
    isError(t, await patch({ title: { en: '' } }), 400, 'SBX_INVALID_REQUEST', 'empty text');
    isError(t, await patch({ questionnaire: { id: 'q', version: 1, sections: [] } }), 400, 'SBX_INVALID_REQUEST', 'a questionnaire without sections');
    isError(t, await patch({ questionnaire: 'yes' }), 400, 'SBX_INVALID_REQUEST', 'not a questionnaire');
    isError(t, await patch({ id: 'other' }), 400, 'SBX_INVALID_REQUEST', 'the id never changes');
    isError(t, await patch({ createdAt: 'now' }), 400, 'SBX_INVALID_REQUEST', 'nor the creation time');
  });
});

t.test('members: administrators and reviewers only', async (t) => {
  await unchanged(t, services, 'refused memberships', async () => {
    isError(t, await admin.send('PUT', '/api/channels/staff/members', { userIds: [ines.id] }), 400, 'SBX_INVALID_REQUEST', 'an auditor');
    isError(t, await admin.send('PUT', '/api/channels/staff/members', { userIds: ['AAAAAAAAAAAAAAAAAAAAAA'] }), 400, 'SBX_INVALID_REQUEST', 'nobody');
    isError(t, await admin.send('PUT', '/api/channels/staff/members', { userIds: ['x'] }), 400, 'SBX_INVALID_REQUEST', 'not an id');
    isError(t, await admin.send('PUT', '/api/channels/nowhere/members', { userIds: [] }), 404, 'SBX_NOT_FOUND', 'no such channel');
    isError(t, await reviewer.send('PUT', '/api/channels/staff/members', { userIds: [zoe.id] }), 403, 'SBX_FORBIDDEN', 'a reviewer');
  });
  const res = await admin.send('PUT', '/api/channels/staff/members', { userIds: [omar.id, zoe.id, omar.id] });
  t.equal(res.statusCode, 200);
  t.same(res.json().members.map((m: { username: string }) => m.username), ['omar', 'zoe']);
  t.same(auditOf(services, 'channel.members').at(-1)!.details, { members: [[amal.id, zoe.id].sort(), [omar.id, zoe.id].sort()] });
  const offered = async () => (await reporterApp.inject({ method: 'GET', url: '/api/channels' })).json().channels.find((c: { id: string }) => c.id === 'staff');
  // The server cannot make a recipient (PROTOCOL.md §9): omar awaits approval until the roster names him.
  t.same((await offered()).recipients.map((r: { label: string }) => r.label), ['zoe'], 'a new member is no recipient until approved');
  t.same((await admin.get('/api/roster/awaiting?scope=all')).json().awaiting.filter((a: { channelId: string }) => a.channelId === 'staff').map((a: { username: string }) => a.username), ['omar'], 'he awaits approval');
  approveWithRoot(services, omar.id, 'staff');
  t.same((await offered()).recipients.map((r: { label: string }) => r.label), ['omar', 'zoe'], 'new reports are sealed to the new members once approved');
  t.same((await admin.get('/api/auth/me')).json().user.channels, ['public'], 'amal left staff');
});
