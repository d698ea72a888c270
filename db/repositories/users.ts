// Console users: reviewers, administrators and auditors, with their public keys and login state.

import { and, asc, count, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { randomId } from '../ids.js';
import { users, type NewUser, type User } from '../schema.js';

export type NewUserInput = Omit<NewUser, 'id'> & { id?: string };

/** Everything that may change after creation; keys and KDF parameters change on a reset. */
export type UserPatch = Partial<Omit<NewUser, 'id' | 'username' | 'createdAt'>>;

export function createUsersRepository({ orm }: Db) {
  return {
    create(user: NewUserInput): User {
      return orm
        .insert(users)
        .values({ ...user, id: user.id ?? randomId() })
        .returning()
        .get();
    },

    byId(id: string): User | undefined {
      return orm.select().from(users).where(eq(users.id, id)).get();
    },

    byUsername(username: string): User | undefined {
      return orm.select().from(users).where(eq(users.username, username)).get();
    },

    /** The user whose box public key has this key id (the id names envelopes in report_keys). */
    byKeyId(keyId: string): User | undefined {
      return orm.select().from(users).where(eq(users.keyId, keyId)).get();
    },

    list(): User[] {
      return orm.select().from(users).orderBy(asc(users.username)).all();
    },

    count(): number {
      // An aggregate without GROUP BY always yields exactly one row.
      return orm.select({ n: count() }).from(users).get()!.n;
    },

    update(id: string, patch: UserPatch): User | undefined {
      return orm.update(users).set(patch).where(eq(users.id, id)).returning().get();
    },

    /**
     * Sets the failed sign-in count and lock of the user named `username`. Every failed sign-in
     * runs this same statement, which matches no row for a name nobody has, so that a failure
     * takes the same time whether or not the name exists.
     */
    setLoginFailures(username: string, failedLogins: number, lockedUntil: string | null): void {
      orm.update(users).set({ failedLogins, lockedUntil }).where(eq(users.username, username)).run();
    },

    /**
     * Records `step` as the user's last TOTP time step if it is later than the one recorded, and
     * says whether it was. One conditional UPDATE, so two requests racing with the same code
     * cannot both succeed: that is what makes a TOTP code single-use.
     */
    acceptTotpStep(id: string, step: number): boolean {
      const result = orm
        .update(users)
        .set({ lastTotpStep: step })
        .where(and(eq(users.id, id), or(isNull(users.lastTotpStep), lt(users.lastTotpStep, step))))
        .run();
      return result.changes === 1;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
