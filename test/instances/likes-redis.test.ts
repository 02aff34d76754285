// SOCIAL_ACTIONS_MAX_PER_HOUR counted atomically in Redis, shared by instances (test/likes.test.ts counts it
// in memory). Races go out on connections of their own (test/support/http.ts), so they really race.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts.ts';
import { errorCode, startTestServer, TEST_REDIS_URL, type TestServer } from '../support/server.ts';
import { allAtOnce, codeIn, LIKE, newPost, parallelGql, UNLIKE } from '../support/social.ts';
import { gqlTyped } from '../support/typed.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ REGISTER_MAX_PER_IP: '0' });
});
afterAll(() => server?.close());

describe.each([['in Redis', { REDIS_URL: TEST_REDIS_URL }]])('SOCIAL_ACTIONS_MAX_PER_HOUR %s', (_store, env) => {
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
