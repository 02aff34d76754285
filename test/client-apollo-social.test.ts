// The social side through Apollo Client 4, as an app uses it: following, liking with an optimistic
// answer the UI shows before the server's, commenting, and the home feed, with the typed documents of
// test/clients/social-operations.ts and the normalized InMemoryCache (a Post or User is one entry).
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { OperationTypeNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCommentMutation,
  FollowUserMutation,
  HomeFeedQuery,
  LikePostMutation,
  PostCommentsQuery,
  PostSocialFields,
  UnfollowUserMutation,
  UnlikePostMutation,
  UserByUsernameQuery,
} from './clients/social-operations.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { globalIdOf } from './support/ids.ts';
import { seedPosts } from './support/seed.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let author: TestUser;
let reader: TestUser;

beforeAll(async () => {
  server = await startTestServer({ REGISTER_MAX_PER_IP: '0' });
  author = await signUp(server);
  reader = await signUp(server);
  await seedPosts(server, author, 3);
});
afterAll(() => server?.close());

/**
 * Holds mutations back until released: the time a slow network takes, so a test can look at the
 * cache while the mutation is still on its way.
 */
function latency() {
  let release: () => void = () => {};
  let held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const link = new ApolloLink((operation, forward) => {
    const isMutation = operation.operationType === OperationTypeNode.MUTATION;
    return new Observable((observer) => {
      let subscription: { unsubscribe(): void } | undefined;
      void (isMutation ? held : Promise.resolve()).then(() => {
        subscription = forward(operation).subscribe(observer);
      });
      return () => subscription?.unsubscribe();
    });
  });
  return {
    link,
    release: () => release(),
    hold: () => {
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
  };
}

function apolloClient(token: string) {
  const slow = latency();
  slow.release();
  const auth = new SetContextLink((previous) => ({
    headers: { ...previous.headers, authorization: `Bearer ${token}` },
  }));
  const client = new ApolloClient({
    link: ApolloLink.from([slow.link, auth, new HttpLink({ uri: `${server.url}/graphql` })]),
    cache: new InMemoryCache(),
  });
  return { client, slow };
}

const postSocial = (client: ApolloClient, id: string, optimistic = false) =>
  client.cache.readFragment(
    { id: client.cache.identify({ __typename: 'Post', id }), fragment: PostSocialFields },
    optimistic,
  );

describe('Apollo Client: follow, like, comment, home feed', () => {
  it('follows an account and finds its posts in the home feed, with fresh counts', async () => {
    const { client } = apolloClient(reader.token);
    const before = await client.query({ query: HomeFeedQuery, fetchPolicy: 'network-only' });
    expect(before.data!.homeFeed.edges).toEqual([]);

    const profile = await client.query({ query: UserByUsernameQuery, variables: { username: author.username } });
    expect(profile.data!.userByUsername).toMatchObject({ postCount: 3, followerCount: 0, viewerFollows: false });
    const followed = await client.mutate({ mutation: FollowUserMutation, variables: { userId: author.id } });
    expect(followed.data!.followUser).toMatchObject({ followerCount: 1, viewerFollows: true });
    // One User entry in the cache: the profile read earlier shows the follow without another request.
    const cached = client.readQuery({ query: UserByUsernameQuery, variables: { username: author.username } });
    expect(cached!.userByUsername).toMatchObject({ followerCount: 1, viewerFollows: true });

    const home = await client.query({ query: HomeFeedQuery, fetchPolicy: 'network-only' });
    expect(home.data!.homeFeed.edges).toHaveLength(3);
    expect(home.data!.homeFeed.edges[0]!.node).toMatchObject({
      likeCount: 0,
      viewerHasLiked: false,
      author: { id: author.id, viewerFollows: true, followerCount: 1 },
    });

    await client.mutate({ mutation: UnfollowUserMutation, variables: { userId: author.id } });
    const after = await client.query({ query: HomeFeedQuery, fetchPolicy: 'network-only' });
    expect(after.data!.homeFeed.edges).toEqual([]);
  });

  it('shows a like at once with an optimistic answer, then the server’s, and takes it back the same way', async () => {
    const { client, slow } = apolloClient(reader.token);
    await client.mutate({ mutation: FollowUserMutation, variables: { userId: author.id } });
    const home = await client.query({ query: HomeFeedQuery, fetchPolicy: 'network-only' });
    const post = home.data!.homeFeed.edges[0]!.node;
    expect(post).toMatchObject({ likeCount: 0, viewerHasLiked: false });

    slow.hold();
    const liking = client.mutate({
      mutation: LikePostMutation,
      variables: { postId: post.id },
      optimisticResponse: {
        likePost: { __typename: 'Post', id: post.id, likeCount: post.likeCount + 1, viewerHasLiked: true },
      },
    });
    // The mutation has not reached the server: the card already shows the like, and only optimistically.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(postSocial(client, post.id, true)).toMatchObject({ likeCount: 1, viewerHasLiked: true });
    expect(postSocial(client, post.id, false)).toMatchObject({ likeCount: 0, viewerHasLiked: false });
    expect(
      await server.db.like.count({ where: { postId: Buffer.from(post.id, 'base64').toString().split(':')[1] } }),
    ).toBe(0);
    slow.release();
    const liked = await liking;
    expect(liked.data!.likePost).toMatchObject({ likeCount: 1, viewerHasLiked: true });
    expect(postSocial(client, post.id, false)).toMatchObject({ likeCount: 1, viewerHasLiked: true });

    // Another account liked it meanwhile: the server's count wins over the optimistic guess.
    const other = apolloClient(author.token);
    await other.client.mutate({ mutation: LikePostMutation, variables: { postId: post.id } });
    slow.hold();
    const unliking = client.mutate({
      mutation: UnlikePostMutation,
      variables: { postId: post.id },
      optimisticResponse: { unlikePost: { __typename: 'Post', id: post.id, likeCount: 0, viewerHasLiked: false } },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(postSocial(client, post.id, true)).toMatchObject({ likeCount: 0, viewerHasLiked: false });
    slow.release();
    await unliking;
    expect(postSocial(client, post.id, false)).toMatchObject({ likeCount: 1, viewerHasLiked: false });
  });

  it('comments on a post and reads the comments oldest first, the count updated in the cache', async () => {
    const { client } = apolloClient(reader.token);
    const postId = globalIdOf('Post', (await server.db.post.findFirstOrThrow({ where: { authorId: author.dbId } })).id);
    const first = await client.query({ query: PostCommentsQuery, variables: { id: postId } });
    expect(first.data!.post).toMatchObject({ commentCount: 0, comments: { edges: [] } });

    for (const body of ['first!', '  nice light  ']) {
      await client.mutate({ mutation: AddCommentMutation, variables: { postId, body } });
    }
    // addComment answered post { commentCount }: the cached post already says 2.
    expect(client.readQuery({ query: PostCommentsQuery, variables: { id: postId } })!.post!.commentCount).toBe(2);
    const comments = await client.query({
      query: PostCommentsQuery,
      variables: { id: postId },
      fetchPolicy: 'network-only',
    });
    expect(comments.data!.post!.comments.edges.map((edge) => edge.node)).toMatchObject([
      { body: 'first!', isOwner: true, author: { id: reader.id } },
      { body: 'nice light', isOwner: true, author: { id: reader.id } },
    ]);
  });
});
