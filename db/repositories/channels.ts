// Reporting channels (`staff`, `public`, …) and who receives each channel's reports.

import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { channelMembers, channels, users, type Channel, type NewChannel } from '../schema.js';

/** A recipient of a channel's reports, as the reporting page needs it to seal the report key. */
export interface ChannelMember {
  id: string;
  username: string;
  keyId: string;
  boxPublicKey: Buffer;
  signPublicKey: Buffer;
}

export type ChannelRules = Pick<
  Channel,
  'id' | 'allowRecipientExclusion' | 'maxAttachmentBytes' | 'messagesAfterClose' | 'retentionDays' | 'shortRetentionDays'
>;

export type ChannelPatch = Partial<Omit<NewChannel, 'id' | 'createdAt' | 'updatedAt'>>;

export function createChannelsRepository({ orm, transaction }: Db) {
  const listQuery = orm.select().from(channels).orderBy(asc(channels.id)).prepare();
  const getQuery = orm.select().from(channels).where(eq(channels.id, sql.placeholder('id'))).prepare();
  // The hot paths (submissions, uploads) need a channel's rules, not its questionnaire's JSON.
  const rulesQuery = orm
    .select({
      id: channels.id,
      allowRecipientExclusion: channels.allowRecipientExclusion,
      maxAttachmentBytes: channels.maxAttachmentBytes,
      messagesAfterClose: channels.messagesAfterClose,
      retentionDays: channels.retentionDays,
      shortRetentionDays: channels.shortRetentionDays,
    })
    .from(channels)
    .where(eq(channels.id, sql.placeholder('id')))
    .prepare();
  const membersQuery = orm
    .select({ id: users.id, username: users.username, keyId: users.keyId, boxPublicKey: users.boxPublicKey, signPublicKey: users.signPublicKey })
    .from(channelMembers)
    .innerJoin(users, eq(users.id, channelMembers.userId))
    .where(and(eq(channelMembers.channelId, sql.placeholder('channelId')), eq(users.disabled, false)))
    .orderBy(asc(users.username))
    .prepare();
  return {
    list(): Channel[] {
      return listQuery.all();
    },

    get(id: string): Channel | undefined {
      return getQuery.get({ id });
    },

    /** A channel's rules without its texts and questionnaire, for the reporter API's hot paths. */
    rules(id: string): ChannelRules | undefined {
      return rulesQuery.get({ id });
    },

    /** Creates the channel, or replaces every given field of an existing one. */
    upsert(channel: NewChannel): Channel {
      // A channel keeps its id and creation time; everything else is replaced.
      const { id: _id, createdAt: _createdAt, ...fields } = channel;
      return orm
        .insert(channels)
        .values(channel)
        .onConflictDoUpdate({ target: channels.id, set: fields })
        .returning()
        .get();
    },

    update(id: string, patch: ChannelPatch): Channel | undefined {
      return orm.update(channels).set(patch).where(eq(channels.id, id)).returning().get();
    },

    /** The channel's recipients; disabled users receive nothing new. */
    members(channelId: string): ChannelMember[] {
      return membersQuery.all({ channelId });
    },

    setMembers(channelId: string, userIds: readonly string[]): void {
      transaction(() => {
        orm.delete(channelMembers).where(eq(channelMembers.channelId, channelId)).run();
        if (userIds.length > 0) {
          orm
            .insert(channelMembers)
            .values(userIds.map((userId) => ({ channelId, userId })))
            .run();
        }
      });
    },

    /** The channels a user belongs to: a reviewer sees only these channels' reports. */
    channelIdsOf(userId: string): string[] {
      return orm
        .select({ channelId: channelMembers.channelId })
        .from(channelMembers)
        .where(eq(channelMembers.userId, userId))
        .orderBy(asc(channelMembers.channelId))
        .all()
        .map((row) => row.channelId);
    },

    setChannelsOf(userId: string, channelIds: readonly string[]): void {
      transaction(() => {
        orm.delete(channelMembers).where(eq(channelMembers.userId, userId)).run();
        if (channelIds.length > 0) {
          orm
            .insert(channelMembers)
            .values(channelIds.map((channelId) => ({ channelId, userId })))
            .run();
        }
      });
    },
  };
}

export type ChannelsRepository = ReturnType<typeof createChannelsRepository>;
