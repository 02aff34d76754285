// One execution of a live event for every stream whose answer is the same (src/graphql/shared-events.ts):
// a selection that reads the same for any viewer costs the same statements for 2 viewers' streams as
// for 6; a selection with a viewer's own fields is still read for each viewer.
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAME_FOR_EVERY_VIEWER } from '../src/graphql/shared-events.ts';
import { schema } from '../src/schema/index.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { nothingWithin, openSse, type SseStream } from './support/sse.ts';
import { uploadPost } from './support/upload.ts';

const SHARED = /* GraphQL */ `
  subscription {
    feedEvents {
      __typename
      ... on PostAdded { post { id caption likeCount author { id username avatarUrl followerCount postCount } } }
    }
  }
`;
// The same selection, and each viewer's own fields.
const PER_VIEWER = /* GraphQL */ `
  subscription {
    feedEvents {
      ... on PostAdded { post { id isOwner viewerHasLiked author { id email viewerFollows } } }
    }
  }
`;

type Added = { feedEvents: { post: Record<string, unknown> & { author: Record<string, unknown> } } };

describe('live events executed once for the streams that share an answer', () => {
  let server: TestServer;
  let author: TestUser;
  let viewers: TestUser[];
  const open: SseStream[] = [];

  beforeAll(async () => {
    // Past the hub's slice of 100 streams a turn (src/services/live/hub.ts).
    server = await startTestServer({ SUBSCRIPTIONS_MAX_PER_USER: '40' });
    author = await signUp(server);
    viewers = [];
    for (let i = 0; i < 6; i += 1) viewers.push(await signUp(server));
    // The author's first upload also looks their session up: the counted ones are alike.
    await uploadPost(server.url, { token: author.token, caption: 'first' });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server?.close();
  });

  async function deliver(query: string, watchers: TestUser[]) {
    const already = server.app.services.live.size;
    const streams = await Promise.all(
      watchers.map((viewer) => openSse(server.url, query, {}, { token: viewer.token })),
    );
    open.push(...streams);
    await expect.poll(() => server.app.services.live.size).toBe(already + watchers.length);
    const before = server.queries.length;
    const res = await uploadPost(server.url, { token: author.token, caption: 'shared' });
    if (!res.body.data) throw new Error(JSON.stringify(res.body));
    const events = await Promise.all(streams.map((s) => s.next<Added>()));
    // The upload's own statements are the same each time; the rest is the event's.
    const statements = server.queries.length - before;
    for (const s of streams) s.close();
    await expect.poll(() => server.app.services.live.size).toBe(already);
    return { statements, events: events.map((event) => event.data?.feedEvents.post) };
  }

  it('the same statements for 6 viewers’ streams as for 2, and the same answer on each', async () => {
    const two = await deliver(SHARED, viewers.slice(0, 2));
    const six = await deliver(SHARED, viewers);
    expect(six.statements).toBe(two.statements);
    expect(new Set(six.events.map((post) => JSON.stringify(post))).size).toBe(1);
    expect(six.events[0]).toMatchObject({ caption: 'shared', likeCount: 0, author: { id: author.id, postCount: 3 } });
  });

  it('an event handed out in slices reaches every one of 250 streams, shared and per viewer, once', async () => {
    const watchers = Array.from({ length: 250 }, (_, i) => [author, ...viewers][i % 7]!);
    const already = server.app.services.live.size;
    const streams: SseStream[] = [];
    for (let i = 0; i < watchers.length; i += 50) {
      streams.push(
        ...(await Promise.all(
          watchers
            .slice(i, i + 50)
            .map((viewer, j) => openSse(server.url, (i + j) % 2 ? SHARED : PER_VIEWER, {}, { token: viewer.token })),
        )),
      );
    }
    open.push(...streams);
    await expect.poll(() => server.app.services.live.size).toBe(already + 250);
    const res = await uploadPost(server.url, { token: author.token, caption: 'to all' });
    const id = (res.body.data as { uploadPost: { id: string } }).uploadPost.id;
    const events = await Promise.all(streams.map((s) => s.next<Added>()));
    expect(events.filter((event) => event.data?.feedEvents.post.id === id)).toHaveLength(250);
    await Promise.all(streams.map((s) => nothingWithin(s, 100)));
    for (const s of streams) s.close();
    await expect.poll(() => server.app.services.live.size).toBe(already);
  });

  it('a viewer’s own fields are read for each viewer: the author’s stream and the others differ', async () => {
    const [mine, ...theirs] = (await deliver(PER_VIEWER, [author, ...viewers.slice(0, 3)])).events;
    expect(mine).toMatchObject({ isOwner: true, viewerHasLiked: false, author: { email: author.email } });
    for (const post of theirs) {
      expect(post).toMatchObject({ isOwner: false, viewerHasLiked: false, author: { email: null } });
    }
  });
});

describe('SAME_FOR_EVERY_VIEWER', () => {
  it('names fields the schema has', () => {
    for (const coordinate of SAME_FOR_EVERY_VIEWER) {
      const [typeName, field] = coordinate.split('.') as [string, string];
      const type = schema.getType(typeName);
      expect(isObjectType(type) && field in type.getFields(), coordinate).toBe(true);
    }
  });
});
