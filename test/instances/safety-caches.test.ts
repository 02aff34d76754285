// Blocks are never hidden by a cache (src/services/safety/visibility.ts caches what each viewer must not
// see; src/services/posts/feed.ts caches everyone's feed pages; src/services/accounts/sessions.ts the
// viewer's row): after blockUser or unblockUser returns, both accounts' next reads show it on the same
// instance at once, and on another instance of the same database within a second. With one instance,
// and with two sharing PostgreSQL (NOTIFY) or a SQLite file (Redis pub/sub), every cache warm first.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts.ts';
import { newPostgresTestUrl } from '../support/database.ts';
import { eventually } from '../support/imagekit.ts';
import { MODERATE, REPORT_POST } from '../support/safety.ts';
import { newTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { ADD_COMMENT, type AddCommentData, FOLLOW, LIKE, newPost } from '../support/social.ts';

const BLOCK = 'mutation($userId: ID!) { blockUser(userId: $userId) { id } }';
const UNBLOCK = 'mutation($userId: ID!) { unblockUser(userId: $userId) { id } }';
const VIEW = /* GraphQL */ `
  query($post: ID!, $other: ID!, $otherName: String!, $carolPost: ID!) {
    feed(first: 50) { edges { node { id } } }
    homeFeed(first: 50) { edges { node { id } } }
    post(id: $post) { id }
    userByUsername(username: $otherName) { id }
    other: node(id: $other) { id }
    carolPost: node(id: $carolPost) { ... on Post { comments { edges { node { id } } } likers { edges { node { id } } } } }
  }
`;
type ViewData = {
  feed: { edges: { node: { id: string } }[] };
  homeFeed: { edges: { node: { id: string } }[] };
  post: { id: string } | null;
  userByUsername: { id: string } | null;
  other: { id: string } | null;
  carolPost: { comments: { edges: { node: { id: string } }[] }; likers: { edges: { node: { id: string } }[] } };
};

/** What `viewer` sees of `other` (who wrote `post`, a comment and a like on Carol's post). */
async function view(server: TestServer, viewer: TestUser, other: TestUser, post: string, carolPost: string) {
  const res = await server.gql<ViewData>(
    VIEW,
    { post, other: other.id, otherName: other.username, carolPost },
    viewer.token,
  );
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  const data = res.body.data;
  const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id);
  return {
    inFeed: ids(data.feed).includes(post),
    inHome: ids(data.homeFeed).includes(post),
    post: data.post !== null,
    byUsername: data.userByUsername !== null,
    node: data.other !== null,
    comments: data.carolPost.comments.edges.length,
    likers: ids(data.carolPost.likers).includes(other.id),
  };
}

const VISIBLE = { inFeed: true, inHome: true, post: true, byUsername: true, node: true, comments: 2, likers: true };
const INVISIBLE = {
  inFeed: false,
  inHome: false,
  post: false,
  byUsername: false,
  node: false,
  comments: 1,
  likers: false,
};

describe.each([
  ['one instance', async () => ({}), false],
  ['two instances sharing PostgreSQL', async () => ({ DATABASE_URL: newPostgresTestUrl() }), true],
  [
    'two instances sharing a SQLite file and Redis',
    async () => ({ DATABASE_URL: `file:${path.join(await newTempDir(), 'shared.db')}` }),
    true,
  ],
] as const)('blocks with %s', (_shape, envOf, two) => {
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    const env = await envOf();
    a = await startTestServer(env, { instances: true });
    b = two ? await startTestServer(env, { dir: a.dir, instances: true }) : a;
  });
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  it('a block on A hides both ways on A at once and on B within a second; an unblock shows again', async () => {
    const [alice, bob, carol] = [await signUp(a), await signUp(a), await signUp(a)];
    const alicePost = await newPost(a, alice);
    const bobPost = await newPost(a, bob);
    const carolPost = await newPost(a, carol);
    for (const [user, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      expect((await a.gql(FOLLOW, { userId: other.id }, user.token)).body.errors).toBeUndefined();
      expect((await a.gql(LIKE, { postId: carolPost }, user.token)).body.errors).toBeUndefined();
      const comment = await a.gql<AddCommentData>(ADD_COMMENT, { postId: carolPost, body: 'hi' }, user.token);
      expect(comment.body.errors).toBeUndefined();
    }
    // Each has another block too, so their hidden sets are read and cached (an account with no blocks
    // reads none), and must be dropped on every instance when this block comes and goes.
    for (const user of [alice, bob]) {
      const stranger = await signUp(a);
      expect((await a.gql(BLOCK, { userId: stranger.id }, user.token)).body.errors).toBeUndefined();
    }
    const seen = async (server: TestServer) => ({
      alice: await view(server, alice, bob, bobPost, carolPost),
      bob: await view(server, bob, alice, alicePost, carolPost),
    });
    // Every cache of both instances warm: sessions, feed pages, hidden sets.
    for (const server of new Set([a, b])) expect(await seen(server)).toEqual({ alice: VISIBLE, bob: VISIBLE });

    expect((await a.gql(BLOCK, { userId: bob.id }, alice.token)).body.errors).toBeUndefined();
    const hidden = { alice: INVISIBLE, bob: INVISIBLE };
    expect(await seen(a)).toEqual(hidden);
    await eventually(async () => expect(await seen(b)).toEqual(hidden), 1000);

    // Unblocking restores what they see, but not the follows (so not the home feed).
    expect((await a.gql(UNBLOCK, { userId: bob.id }, alice.token)).body.errors).toBeUndefined();
    const shown = { alice: { ...VISIBLE, inHome: false }, bob: { ...VISIBLE, inHome: false } };
    expect(await seen(a)).toEqual(shown);
    await eventually(async () => expect(await seen(b)).toEqual(shown), 1000);
  });

  it('a report hides from its reporter, the REPORTS_TO_HIDE-th from everyone, on A at once and B within a second; DISMISS shows again', async () => {
    const [author, other, admin] = [await signUp(a), await signUp(a), await signUp(a, { superuser: true })];
    const reporters = [await signUp(a), await signUp(a), await signUp(a)];
    const post = await newPost(a, author);
    const FEED = '{ feed(first: 50) { edges { node { id } } } }';
    const inFeed = async (server: TestServer, user: TestUser) => {
      const res = await server.gql<{ feed: { edges: { node: { id: string } }[] } }>(FEED, {}, user.token);
      return res.body.data!.feed.edges.some((edge) => edge.node.id === post);
    };
    const seen = async (server: TestServer) => ({
      reporter: await inFeed(server, reporters[0]!),
      other: await inFeed(server, other),
      author: await inFeed(server, author),
    });
    for (const server of new Set([a, b]))
      expect(await seen(server)).toEqual({ reporter: true, other: true, author: true });

    const report = async (user: TestUser) =>
      expect((await a.gql(REPORT_POST, { postId: post, reason: 'SPAM' }, user.token)).body.errors).toBeUndefined();
    await report(reporters[0]!);
    const byReporter = { reporter: false, other: true, author: true };
    expect(await seen(a)).toEqual(byReporter);
    await eventually(async () => expect(await seen(b)).toEqual(byReporter), 1000);

    await report(reporters[1]!);
    await report(reporters[2]!);
    const byAll = { reporter: false, other: false, author: true };
    expect(await seen(a)).toEqual(byAll);
    await eventually(async () => expect(await seen(b)).toEqual(byAll), 1000);

    const dismissed = await a.gql(MODERATE, { targetId: post, action: 'DISMISS' }, admin.token);
    expect(dismissed.body.errors).toBeUndefined();
    const again = { reporter: true, other: true, author: true };
    expect(await seen(a)).toEqual(again);
    await eventually(async () => expect(await seen(b)).toEqual(again), 1000);
  });
});
