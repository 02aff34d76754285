// The feed's data set: AUTHORS authors with POSTS posts between them, and VIEWERS signed-in viewers.
// Accounts go through the public API (register, login), so they are whatever the app makes of them.
// Posts are inserted with the app's Prisma client (src/db), not as plain SQL (the SQLite adapter's
// date format would have to be copied): a change to the Post model then fails `npx tsc -p .` here
// instead of seeding bad rows.
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../src/db/index.ts';
import { type Account, accounts, inParallel, login, register } from './graphql.ts';

export interface SeedOptions {
  authors: number;
  posts: number;
  viewers: number;
}

export interface Seeded {
  viewers: Account[];
  /** One bearer token per viewer. */
  tokens: string[];
}

/** Seeds a freshly migrated database behind a running server. */
export async function seedFeed(url: string, databaseUrl: string, options: SeedOptions): Promise<Seeded> {
  const authors = accounts('author_', options.authors);
  const viewers = accounts('viewer_', options.viewers);
  // Two at a time: each registration and login hashes or checks a password, and one client may have
  // PASSWORD_CHECKS_IN_FLIGHT_PER_IP (2) of those running at once.
  await inParallel([...authors, ...viewers], 2, (account) => register(url, account));
  const tokens = await inParallel(viewers, 2, (account) => login(url, account));
  await insertPosts(
    databaseUrl,
    authors.map((a) => a.username),
    options.posts,
  );
  await insertSocial(
    databaseUrl,
    viewers.map((v) => v.username),
  );
  return { viewers, tokens };
}

/** Posts round-robin over the authors, newest first three to a second, so the feed's order has ties. */
async function insertPosts(databaseUrl: string, usernames: string[], count: number): Promise<void> {
  const db = openDb(databaseUrl);
  try {
    const found = await db.user.findMany({ where: { username: { in: usernames } }, select: { id: true } });
    if (found.length !== usernames.length)
      throw new Error(`found ${found.length} of ${usernames.length} authors in the database`);
    const now = Date.now();
    await db.post.createMany({
      data: Array.from({ length: count }, (_, i) => {
        const authorId = found[i % found.length]!.id;
        return {
          id: randomUUID(),
          authorId,
          caption: `post ${i}`,
          fileType: 'IMAGE' as const,
          fileName: 'photo.jpg',
          mimeType: 'image/jpeg',
          size: 1000,
          storage: 'local',
          storageKey: `${authorId}/${randomUUID()}.jpg`,
          createdAt: new Date(now - Math.floor(i / 3) * 1000),
        };
      }),
    });
  } finally {
    await db.$disconnect();
  }
}

/**
 * What the social shape reads: each viewer follows 10 random authors and likes 50 random posts, as the
 * ceiling (bench/support/ceiling-server.ts) holds them; the count triggers keep the counts.
 */
async function insertSocial(databaseUrl: string, viewerNames: string[]): Promise<void> {
  const db = openDb(databaseUrl);
  try {
    const viewers = await db.user.findMany({ where: { username: { in: viewerNames } }, select: { id: true } });
    const authors = await db.user.findMany({ where: { username: { startsWith: 'author_' } }, select: { id: true } });
    const posts = await db.post.findMany({ select: { id: true } });
    // A bench seeding no authors or posts (bench/login-flood.ts) has nothing to follow or like.
    if (authors.length === 0 || posts.length === 0) return;
    const random = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
    for (const viewer of viewers) {
      const followees = new Set(Array.from({ length: 10 }, () => random(authors).id));
      const liked = new Set(Array.from({ length: 50 }, () => random(posts).id));
      await db.follow.createMany({ data: [...followees].map((followeeId) => ({ followerId: viewer.id, followeeId })) });
      await db.like.createMany({ data: [...liked].map((postId) => ({ userId: viewer.id, postId })) });
    }
  } finally {
    await db.$disconnect();
  }
}

function openDb(databaseUrl: string): Db {
  return createDb({ url: databaseUrl, poolSize: 2 });
}
