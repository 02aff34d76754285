// The social side through urql, as an app uses it: urql's document cache (cacheExchange) in front of
// fetchExchange, so a mutation's answer makes urql fetch again the cached queries that showed its
// type (a like refetches the home feed that showed the Post), with the typed documents of
// test/clients/social-operations.ts.
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCommentMutation,
  FollowUserMutation,
  HomeFeedQuery,
  LikePostMutation,
  PostCommentsQuery,
  UnfollowUserMutation,
} from './clients/social-operations.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { seedPosts } from './support/seed.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let author: TestUser;
let reader: TestUser;

beforeAll(async () => {
  server = await startTestServer({ REGISTER_MAX_PER_IP: '0' });
  author = await signUp(server);
  reader = await signUp(server);
  await seedPosts(server, author, 2);
});
afterAll(() => server?.close());

function urqlClient(token: string) {
  return new Client({
    url: `${server.url}/graphql`,
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
  });
}

/** Waits for the query's result to satisfy `check`, as a component re-rendering on each new result would. */
function watch<T>(
  subscribe: (onResult: (data: T) => void) => { unsubscribe(): void },
  check: (data: T) => boolean,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the query never showed it')), 5000);
    const subscription = subscribe((data) => {
      if (!check(data)) return;
      clearTimeout(timer);
      queueMicrotask(() => subscription.unsubscribe());
      resolve(data);
    });
  });
}

describe('urql: follow, like, comment, home feed', () => {
  it('follows, sees the home feed refreshed by each mutation, and unfollows', async () => {
    const client = urqlClient(reader.token);
    const empty = await client.query(HomeFeedQuery, {}).toPromise();
    expect(empty.error).toBeUndefined();
    expect(empty.data!.homeFeed.edges).toEqual([]);

    const followed = await client.mutation(FollowUserMutation, { userId: author.id }).toPromise();
    expect(followed.data!.followUser).toMatchObject({ followerCount: 1, viewerFollows: true });
    const home = await client.query(HomeFeedQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    const posts = home.data!.homeFeed.edges.map((edge) => edge.node);
    expect(posts).toHaveLength(2);

    // A live query of the home feed, as a screen holds one: the like's answer (a Post) makes urql's
    // document cache fetch it again, and the new result shows the like.
    const liked = watch<NonNullable<typeof home.data>>(
      (onResult) =>
        client.query(HomeFeedQuery, {}).subscribe((result) => {
          if (result.data) onResult(result.data);
        }),
      (data) => data.homeFeed.edges[0]!.node.viewerHasLiked,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const like = await client.mutation(LikePostMutation, { postId: posts[0]!.id }).toPromise();
    expect(like.data!.likePost).toMatchObject({ likeCount: 1, viewerHasLiked: true });
    expect((await liked).homeFeed.edges[0]!.node).toMatchObject({ likeCount: 1, viewerHasLiked: true });

    const commented = await client.mutation(AddCommentMutation, { postId: posts[0]!.id, body: 'lovely' }).toPromise();
    expect(commented.data!.addComment).toMatchObject({ body: 'lovely', isOwner: true, post: { commentCount: 1 } });
    const comments = await client
      .query(PostCommentsQuery, { id: posts[0]!.id }, { requestPolicy: 'network-only' })
      .toPromise();
    expect(comments.data!.post!.comments.edges.map((edge) => edge.node.body)).toEqual(['lovely']);

    await client.mutation(UnfollowUserMutation, { userId: author.id }).toPromise();
    const after = await client.query(HomeFeedQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(after.data!.homeFeed.edges).toEqual([]);
  });
});
