import t from 'tap';
import { makeChannel, makeUser, openTestDb } from '../fixtures.js';

t.test('channels: upsert, get, list, update', (t) => {
  const { repos } = openTestDb(t);
  t.equal(repos.channels.get('staff'), undefined);
  t.same(repos.channels.list(), []);

  const staff = makeChannel(repos, 'staff');
  t.match(staff, {
    id: 'staff',
    title: { en: 'Channel staff' },
    allowRecipientExclusion: false,
    retentionDays: 365,
    messagesAfterClose: false,
  });
  t.match(staff.createdAt, /^\d{4}-\d\d-\d\dT/);
  makeChannel(repos, 'public');
  t.same(
    repos.channels.list().map((channel) => channel.id),
    ['public', 'staff'],
  );

  const replaced = repos.channels.upsert({
    id: 'staff',
    title: { en: 'Staff', fr: 'Personnel' },
    description: { en: 'Colleagues' },
    questionnaire: { id: 'staff', version: 2, sections: [] },
    maxAttachmentBytes: 5,
    createdAt: '2000-01-01T00:00:00.000Z',
  });
  t.same(replaced.title, { en: 'Staff', fr: 'Personnel' });
  t.equal(replaced.maxAttachmentBytes, 5);
  t.equal(replaced.createdAt, staff.createdAt, 'upsert keeps the creation time');

  const updated = repos.channels.update('staff', { allowRecipientExclusion: true, retentionDays: 30 });
  t.match(updated, { allowRecipientExclusion: true, retentionDays: 30, maxAttachmentBytes: 5 });
  t.same(repos.channels.get('staff'), updated);
  t.equal(repos.channels.update('nope', { retentionDays: 1 }), undefined);
  t.end();
});

t.test('channels: members and memberships', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  makeChannel(repos, 'public');
  const zoe = makeUser(repos, 'zoe');
  const amal = makeUser(repos, 'amal');
  const gone = makeUser(repos, 'gone', { disabled: true });

  t.same(repos.channels.members('staff'), []);
  repos.channels.setMembers('staff', [zoe.id, amal.id, gone.id]);
  t.same(repos.channels.members('staff'), [
    { id: amal.id, username: 'amal', keyId: amal.keyId, boxPublicKey: amal.boxPublicKey, signPublicKey: amal.signPublicKey },
    { id: zoe.id, username: 'zoe', keyId: zoe.keyId, boxPublicKey: zoe.boxPublicKey, signPublicKey: zoe.signPublicKey },
  ], 'disabled users are not recipients');

  repos.channels.setMembers('staff', [zoe.id]);
  t.same(repos.channels.members('staff').map((member) => member.username), ['zoe'], 'setMembers replaces');
  repos.channels.setMembers('staff', []);
  t.same(repos.channels.members('staff'), []);

  repos.channels.setChannelsOf(amal.id, ['staff', 'public']);
  t.same(repos.channels.channelIdsOf(amal.id), ['public', 'staff']);
  repos.channels.setChannelsOf(amal.id, ['public']);
  t.same(repos.channels.channelIdsOf(amal.id), ['public'], 'setChannelsOf replaces');
  repos.channels.setChannelsOf(amal.id, []);
  t.same(repos.channels.channelIdsOf(amal.id), []);
  t.same(repos.channels.channelIdsOf('nobody'), []);
  t.end();
});

t.test('channels: membership of an unknown user or channel is refused', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  t.throws(() => repos.channels.setMembers('staff', ['nobody']), /FOREIGN KEY/);
  t.end();
});
