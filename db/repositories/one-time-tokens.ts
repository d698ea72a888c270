// Setup, invitation and reset links, stored under the SHA-256 of the token.

import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { oneTimeTokens, type NewOneTimeToken, type OneTimeToken } from '../schema.js';

export function createOneTimeTokensRepository({ orm }: Db) {
  return {
    create(token: NewOneTimeToken): OneTimeToken {
      return orm.insert(oneTimeTokens).values(token).returning().get();
    },

    get(tokenHash: Buffer): OneTimeToken | undefined {
      return orm.select().from(oneTimeTokens).where(eq(oneTimeTokens.tokenHash, tokenHash)).get();
    },

    /**
     * Uses the token at `now` (ISO 8601) and returns it, or returns undefined when it is unknown,
     * already used or expired. One conditional UPDATE, so a link works exactly once even when
     * opened twice at the same moment.
     */
    consume(tokenHash: Buffer, now: string): OneTimeToken | undefined {
      return orm
        .update(oneTimeTokens)
        .set({ usedAt: now })
        .where(
          and(eq(oneTimeTokens.tokenHash, tokenHash), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, now)),
        )
        .returning()
        .get();
    },
  };
}

export type OneTimeTokensRepository = ReturnType<typeof createOneTimeTokensRepository>;
