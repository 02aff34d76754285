// SOCIAL_ACTIONS_MAX_PER_HOUR as every rate-limit store must hold it, on likes sent at once on connections
// of their own: test/likes.test.ts runs it in memory, test/instances/likes-redis.test.ts in Redis.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './accounts.ts';
import { errorCode, startTestServer, type TestServer } from './server.ts';
import { allAtOnce, codeIn, LIKE, newPost, parallelGql, UNLIKE } from './social.ts';
import { gqlTyped } from './typed.ts';

/** Declares the case for each store: its name and the server settings that choose it. */
export function describeSocialActionLimit(stores: readonly (readonly [string, Record<string, string>])[]): void {
  describe.each(stores)('SOCIAL_ACTIONS_MAX_PER_HOUR %s', (_store, env) => {
    let limited: TestServer;
    let liker: TestUser;
    let author: TestUser;

    beforeAll(async () => {
      limited = await startTestServer(
        { SOCIAL_ACTIONS_MAX_PER_HOUR: '5', ...env },
        { redisKeyPrefix: `test:likes:${randomUUID()}:` },
      );
      liker = await signUp(limited);
      author = await signUp(limited);
    });
    afterAll(() => limited?.close());

    it('lets exactly 5 of 20 likes sent at once through, and writes nothing for the others', async () => {
      const posts = await Promise.all(Array.from({ length: 20 }, () => newPost(limited, author)));
      const answers = await allAtOnce(posts, (post) => parallelGql(limited, LIKE, { postId: post }, liker.token));
      const refused = answers.filter((answer) => codeIn(answer) === 'RATE_LIMITED');
      expect(answers.filter((answer) => answer.data?.likePost)).toHaveLength(5);
      expect(refused).toHaveLength(15);
      for (const answer of refused) {
        expect(answer.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(3500);
        expect(answer.errors![0]!.message).toMatch(/At most 5 follows, likes and comments an hour/);
      }
      expect(await limited.db.like.count({ where: { userId: liker.dbId } })).toBe(5);
      expect(await limited.db.post.aggregate({ _sum: { likeCount: true } })).toEqual({ _sum: { likeCount: 5 } });
      // Unlikes count too: the limit is spent.
      const post = posts.find((_, i) => answers[i]!.data?.likePost)!;
      expect(errorCode(await gqlTyped(limited, UNLIKE, { postId: post }, liker.token))).toBe('RATE_LIMITED');
      // Another account has its own count.
      expect((await gqlTyped(limited, LIKE, { postId: post }, author.token)).body.data!.likePost.likeCount).toBe(2);
    });
  });
}
