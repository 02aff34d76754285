// The list of accounts superusers page through, optionally searched by part of an email or username.
import { continuedAfter, type Db, type KeysetWindow, keysetArgs, type Prisma, type User } from '../../db/index.ts';
import { badInput } from '../../errors.ts';
import { EMAIL_MAX_LENGTH } from './identity.ts';

/**
 * A longer term cannot be part of any email (at most EMAIL_MAX_LENGTH) or username, and SQLite
 * refuses long LIKE patterns ("pattern too complex") instead of matching nothing.
 */
export const USER_SEARCH_MAX_LENGTH = EMAIL_MAX_LENGTH;

// No email or username holds a control character, and PostgreSQL cannot compare text holding U+0000
// (the query fails).
const SEARCH_CONTROL = /\p{Cc}/u;

/** At most this many reads to fill one page of a search whose LIKE matches much more than the term. */
const MAX_SEARCH_ROUNDS = 10;

export function createUserDirectory({ db }: { db: Db }) {
  const read = (window: KeysetWindow, filter: Prisma.UserWhereInput = {}) => {
    const { conditions, orderBy, take } = keysetArgs(window);
    return db.user.findMany({ where: { AND: [filter, ...conditions] }, orderBy, take }) as Promise<User[]>;
  };

  /**
   * The users whose email or username contains `term` literally. Prisma's contains is SQL LIKE, where
   * % and _ in the term are wildcards it does not escape (prisma/orm#19506), and SQLite's LIKE has no
   * escape character unless told: the database returns every row the pattern matches, and only rows
   * holding the term literally are kept, reading on until the page is full.
   */
  async function matching(term: string, window: KeysetWindow): Promise<User[]> {
    const like: Prisma.UserWhereInput = { OR: [{ email: { contains: term } }, { username: { contains: term } }] };
    const found: User[] = [];
    let next = window;
    for (let round = 0; round < MAX_SEARCH_ROUNDS && found.length < window.take; round += 1) {
      const batch = await read(next, like);
      found.push(...batch.filter((user) => user.email.includes(term) || user.username.includes(term)));
      const last = batch.at(-1);
      if (batch.length < window.take || !last) break;
      next = continuedAfter(next, last);
    }
    return found.slice(0, window.take);
  }

  return {
    /** A window of every account, or of those matching `search` (BAD_USER_INPUT past USER_SEARCH_MAX_LENGTH). */
    page(window: KeysetWindow, search?: string | null): Promise<User[]> {
      // In the form emails and usernames are stored in (src/services/accounts/identity.ts): NFC, lowercased.
      const term = search?.trim().normalize('NFC').toLowerCase();
      if (term && term.length > USER_SEARCH_MAX_LENGTH) {
        throw badInput(`Search must be at most ${USER_SEARCH_MAX_LENGTH} characters.`, { field: 'search' });
      }
      if (term && SEARCH_CONTROL.test(term)) {
        throw badInput('Search must not contain control characters.', { field: 'search' });
      }
      return term ? matching(term, window) : read(window);
    },
  };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
