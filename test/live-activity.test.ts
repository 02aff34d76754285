// postActivity over a real HTTP stream: PostCountsChanged with fresh counts on likes and comments
// (and a read of the post right after sees at least them), CommentAdded and CommentRemoved, and the
// stream ending after PostRemoved; refusals (no viewer, no such post, another type's id) as one event.
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { POST_ACTIVITY } from './support/live.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { ADD_COMMENT, type AddCommentData, DELETE_COMMENT, LIKE, newPost, UNLIKE } from './support/social.ts';
import { nothingWithin, openSse, type SseStream } from './support/sse.ts';

type Activity =
  | {
      __typename: 'PostCountsChanged';
      post: { id: string; likeCount: number; commentCount: number; viewerHasLiked: boolean };
    }
  | { __typename: 'CommentAdded'; comment: { id: string; body: string; author: { id: string } } }
  | { __typename: 'CommentRemoved'; id: string; postId: string }
  | { __typename: 'PostRemoved'; id: string };

describe('postActivity', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  const open: SseStream[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    [alice, bob] = [await signUp(server), await signUp(server)];
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server?.close();
  });

  async function watch(postId: string, user: TestUser = bob) {
    const s = await openSse(server.url, POST_ACTIVITY, { postId }, { token: user.token });
    open.push(s);
    return {
      s,
      next: async () => {
        const result = await s.next<{ postActivity: Activity }>();
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        return result.data!.postActivity;
      },
    };
  }
  const ok = async (query: string | DocumentNode, variables: Record<string, unknown>, user: TestUser) => {
    const res = await server.gql(query, variables, user.token);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  };

  it('likes and unlikes: PostCountsChanged with the count, and a read right after sees at least it', async () => {
    const post = await newPost(server, alice);
    const { s, next } = await watch(post);
    await ok(LIKE, { postId: post }, bob);
    const liked = await next();
    expect(liked).toEqual({
      __typename: 'PostCountsChanged',
      post: { id: post, likeCount: 1, commentCount: 0, viewerHasLiked: true },
    });
    const read = await server.gql<{ node: { likeCount: number } }>(
      'query($id: ID!) { node(id: $id) { ... on Post { likeCount } } }',
      { id: post },
      bob.token,
    );
    expect(read.body.data?.node.likeCount).toBeGreaterThanOrEqual(1);
    await ok(UNLIKE, { postId: post }, bob);
    expect(await next()).toMatchObject({ post: { likeCount: 0 } });
    // A like that changes nothing (liked already) tells nothing.
    await ok(LIKE, { postId: post }, alice);
    expect(await next()).toMatchObject({ post: { likeCount: 1 } });
    await ok(LIKE, { postId: post }, alice);
    await nothingWithin(s, 300);
  });

  it('comments: CommentAdded then the counts; CommentRemoved then the counts', async () => {
    const post = await newPost(server, alice);
    const { next } = await watch(post);
    const added = (await ok(ADD_COMMENT, { postId: post, body: 'first!' }, bob)) as AddCommentData;
    const id = added.addComment.id;
    expect(await next()).toEqual({
      __typename: 'CommentAdded',
      comment: { id, body: 'first!', author: { id: bob.id } },
    });
    expect(await next()).toMatchObject({ __typename: 'PostCountsChanged', post: { commentCount: 1 } });
    await ok(DELETE_COMMENT, { id }, alice);
    expect(await next()).toEqual({ __typename: 'CommentRemoved', id, postId: post });
    expect(await next()).toMatchObject({ __typename: 'PostCountsChanged', post: { commentCount: 0 } });
  });

  it('only the post watched: another post’s activity does not reach it', async () => {
    const [watched, other] = [await newPost(server, alice), await newPost(server, alice)];
    const { s } = await watch(watched);
    await ok(LIKE, { postId: other }, bob);
    await nothingWithin(s, 300);
  });

  it('ends after PostRemoved', async () => {
    const post = await newPost(server, alice);
    const { s, next } = await watch(post);
    await ok('mutation($id: ID!) { deletePost(id: $id) }', { id: post }, alice);
    expect(await next()).toEqual({ __typename: 'PostRemoved', id: post });
    expect(await s.ended).toMatchObject({ complete: true });
  });

  it('ends with PostRemoved when the author deletes their account (the post goes with it)', async () => {
    const leaving = await signUp(server);
    const post = await newPost(server, leaving);
    const { s, next } = await watch(post);
    await ok('mutation($p: String!) { deleteMe(password: $p) }', { p: leaving.password }, leaving);
    expect(await next()).toEqual({ __typename: 'PostRemoved', id: post });
    expect(await s.ended).toMatchObject({ complete: true });
  });

  it('refusals are the first and only event: no viewer, no such post, not a Post id', async () => {
    const post = await newPost(server, alice);
    const gone = await newPost(server, alice);
    await ok('mutation($id: ID!) { deletePost(id: $id) }', { id: gone }, alice);
    const cases: [Record<string, unknown>, string | null, string][] = [
      [{ postId: post }, null, 'UNAUTHENTICATED'],
      [{ postId: gone }, bob.token, 'NOT_FOUND'],
      [{ postId: alice.id }, bob.token, 'BAD_USER_INPUT'],
    ];
    for (const [variables, token, code] of cases) {
      const s = await openSse(server.url, POST_ACTIVITY, variables, { token });
      expect(s.status).toBe(200);
      expect((await s.next()).errors?.[0]?.extensions?.code).toBe(code);
      expect(await s.ended).toMatchObject({ complete: true });
    }
  });

  it('hostile stream requests get a stable code, never a 500', async () => {
    const before = server.app.services.live.size;
    const cases: [string, Record<string, unknown>, string][] = [
      ['subscription { nope }', {}, 'GRAPHQL_VALIDATION_FAILED'],
      [
        'subscription { feedEvents { __typename } postActivity(postId: "x") { __typename } }',
        {},
        'GRAPHQL_VALIDATION_FAILED',
      ],
      [
        'subscription($id: ID!) { postActivity(postId: $id) { __typename } }',
        { id: 'not base64 at all \u0000' },
        'NOT_FOUND',
      ],
      ['subscription($id: ID!) { postActivity(postId: $id) { __typename } }', { id: 42.5 }, 'BAD_USER_INPUT'],
      ['subscription { feedEvents(following: "yes") { __typename } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [query, variables, code] of cases) {
      const s = await openSse(server.url, query, variables, { token: bob.token });
      open.push(s);
      expect(s.status, query).toBeLessThan(500);
      if (s.status === 200) expect((await s.next()).errors?.[0]?.extensions?.code, query).toBe(code);
    }
    const raw = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${bob.token}`,
      },
      body: '{"query": "subscription {',
    });
    expect(raw.status).toBe(400);
    expect(server.app.services.live.size).toBe(before);
  });

  it('an event costs the same statements for 2 streams as for 6: rows and likes read once for all', async () => {
    const post = await newPost(server, alice);
    const viewers = [bob, alice];
    const already = server.app.services.live.size;
    const statementsFor = async (count: number) => {
      const streams = [];
      for (let i = 0; i < count; i += 1) streams.push(await watch(post, viewers[i % 2]));
      await expect.poll(() => server.app.services.live.size).toBe(already + count);
      // A like by someone else, and its PostCountsChanged on every stream: counted from the write's answer on.
      await ok(LIKE, { postId: post }, bob);
      for (const { next } of streams) await next();
      const before = server.queries.length;
      await server.app.services.changes.publish({
        type: 'post-activity',
        postId: Buffer.from(post, 'base64').toString().split(':')[1]!,
        activity: 'counts',
      });
      const events = await Promise.all(streams.map(({ next }) => next()));
      const statements = server.queries.length - before;
      await ok(UNLIKE, { postId: post }, bob);
      for (const { next } of streams) await next();
      for (const { s } of streams) s.close();
      await expect.poll(() => server.app.services.live.size).toBe(already);
      return { statements, events };
    };
    const two = await statementsFor(2);
    const six = await statementsFor(6);
    expect(six.statements).toBe(two.statements);
    expect(two.statements).toBeLessThanOrEqual(3);
    // Each read for its viewer: bob likes it, alice does not.
    expect(six.events.map((e) => (e as unknown as { post: { viewerHasLiked: boolean } }).post.viewerHasLiked)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });
});
