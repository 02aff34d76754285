// urql as a frontend uses it, against the real server: @urql/core's fetchExchange sending the typed
// documents of test/clients/operations.ts, as JSON, and as GraphQL multipart requests when a variable
// holds a File. Nothing here is faked: the results are what the server answered.
import { Client, type CombinedError, cacheExchange, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, type ErrorCode } from './clients/error-code.ts';
import { download, fixtureFile } from './clients/files.ts';
import type { FeedQuery as FeedResult } from './clients/generated/graphql.ts';
import {
  DeletePostMutation,
  FeedQuery,
  LoginMutation,
  LogoutMutation,
  MeQuery,
  RegisterMutation,
  UploadPostMutation,
} from './clients/operations.ts';
import { dbIdOf } from './support/ids.ts';
import { seedPosts } from './support/seed.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** A client as an app would hold one: the token, once signed in, goes on every request. */
function urqlClient({ preflight = true }: { preflight?: boolean } = {}) {
  const session: { token: string | null } = { token: null };
  const client = new Client({
    url: `${server.url}/graphql`,
    // No cache exchange: every operation reaches the server, which is what these tests are about.
    // Queries go as GET (urql's default within URL length limits), mutations as POST.
    exchanges: [fetchExchange],
    // A function, so each request carries the token of the moment.
    fetchOptions: () => ({
      headers: {
        // The server refuses multipart requests without it (CSRF); urql does not send it by itself.
        ...(preflight ? { 'apollo-require-preflight': 'true' } : {}),
        ...(session.token ? { authorization: `Bearer ${session.token}` } : {}),
      },
    }),
  });
  return { client, session };
}

/** What a sign-up form shows for a failed register. The cases compile only if they are codes of this API. */
function signUpProblem(code: ErrorCode | undefined): string {
  switch (code) {
    case 'REGISTER_USER_ALREADY_EXISTS':
      return 'That email or username is taken.';
    case 'REGISTER_INVALID_PASSWORD':
      return 'Choose another password.';
    case 'RATE_LIMITED':
      return 'Too many sign-ups from here; try again later.';
    default:
      return 'Something went wrong.';
  }
}

const firstCode = (error: CombinedError | undefined) => codeOf(error?.graphQLErrors[0]);

let counter = 0;
function newAccount() {
  counter += 1;
  const username = `urql_${process.pid}_${counter}`;
  return { email: `${username}@example.com`, username, password: 'correct horse battery' };
}

/** Registers and signs in through urql; the client then sends the token. */
async function signedInClient(options: { preflight?: boolean } = {}) {
  const { client, session } = urqlClient(options);
  const account = newAccount();
  const registered = await client.mutation(RegisterMutation, { input: account }).toPromise();
  expect(registered.error).toBeUndefined();
  const login = await client.mutation(LoginMutation, { email: account.email, password: account.password }).toPromise();
  expect(login.error).toBeUndefined();
  session.token = login.data!.login.token;
  return { client, session, account, user: registered.data!.register };
}

describe('urql against the real server', () => {
  it('registers, signs in, and sends the token as Authorization: Bearer', async () => {
    const { client, session } = urqlClient();
    const account = newAccount();
    const registered = await client.mutation(RegisterMutation, { input: account }).toPromise();
    expect(registered.error).toBeUndefined();
    expect(registered.data!.register).toMatchObject({ username: account.username, isVerified: false });

    // Without a token, me is null: no error, just nobody.
    expect((await client.query(MeQuery, {}).toPromise()).data!.me).toBeNull();

    const login = await client
      .mutation(LoginMutation, { email: account.email, password: account.password })
      .toPromise();
    expect(login.data!.login).toMatchObject({ tokenType: 'bearer', user: { id: registered.data!.register.id } });
    session.token = login.data!.login.token;

    const me = await client.query(MeQuery, {}).toPromise();
    expect(me.error).toBeUndefined();
    expect(me.data!.me).toMatchObject({ username: account.username, email: account.email, posts: { edges: [] } });
  });

  it('reads extensions.code as the generated ErrorCode type', async () => {
    const { client } = urqlClient();
    const account = newAccount();
    await client.mutation(RegisterMutation, { input: account }).toPromise();
    const again = await client.mutation(RegisterMutation, { input: account }).toPromise();
    expect(again.data).toBeNull();
    const code = firstCode(again.error);
    expect(code).toBe('REGISTER_USER_ALREADY_EXISTS');
    expect(signUpProblem(code)).toBe('That email or username is taken.');

    const wrong = await client
      .mutation(LoginMutation, { email: account.email, password: 'not the password' })
      .toPromise();
    expect(firstCode(wrong.error)).toBe('LOGIN_BAD_CREDENTIALS');
  });

  it('uploads an image and a video as GraphQL multipart requests', async () => {
    const { client, user } = await signedInClient();
    for (const [name, type, fileType] of [
      ['photo.jpg', 'image/jpeg', 'IMAGE'],
      ['clip.mp4', 'video/mp4', 'VIDEO'],
    ] as const) {
      const { file, bytes } = await fixtureFile(name, type);
      const result = await client.mutation(UploadPostMutation, { file, caption: `A ${name}` }).toPromise();
      expect(result.error).toBeUndefined();
      const post = result.data!.uploadPost;
      expect(post).toMatchObject({
        fileType,
        mimeType: type,
        fileName: name,
        caption: `A ${name}`,
        isOwner: true,
        author: { id: user.id },
        // Measured at upload, for a layout that does not jump.
        width: 32,
        height: 24,
        blurhash: expect.stringMatching(/^.{28}$/),
      });
      // Stored without its metadata (re-encoded or remuxed), so not the same bytes; size is what is served.
      const served = await download(post.url);
      expect(post.size).toBe(served.length);
      expect(served.equals(bytes)).toBe(false);
    }
  });

  it('is refused with CSRF_HEADER_REQUIRED (HTTP 403) when it uploads without the preflight header', async () => {
    const { client } = await signedInClient({ preflight: false });
    const before = await server.db.post.count();
    const { file } = await fixtureFile('photo.jpg', 'image/jpeg');
    const result = await client.mutation(UploadPostMutation, { file, caption: null }).toPromise();
    expect(result.data).toBeUndefined();
    expect(firstCode(result.error)).toBe('CSRF_HEADER_REQUIRED');
    expect(result.error!.response.status).toBe(403);
    expect(await server.db.post.count()).toBe(before);
    // The same client's JSON requests need no such header.
    expect((await client.query(MeQuery, {}).toPromise()).data!.me).not.toBeNull();
  });

  it('pages through the feed with first/after until hasNextPage is false, each post once', async () => {
    const { client, user } = await signedInClient();
    await seedPosts(server, { dbId: dbIdOf(user.id) }, 30);
    const total = await server.db.post.count();

    const ids: string[] = [];
    const createdAts: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      expect(page).toBeLessThan(20); // a cursor that never ends would loop here
      const result = await client.query(FeedQuery, { first: 7, after }).toPromise();
      expect(result.error).toBeUndefined();
      const feed: FeedResult['feed'] = result.data!.feed;
      expect(feed.edges.length).toBeLessThanOrEqual(7);
      for (const { node } of feed.edges) {
        ids.push(node.id);
        createdAts.push(node.createdAt);
      }
      if (!feed.pageInfo.hasNextPage) break;
      after = feed.pageInfo.endCursor;
    }
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    // Newest first, across page boundaries too.
    expect(createdAts).toEqual([...createdAts].sort().reverse());

    // User.posts answers the same PostConnection, read through the same fragment.
    const me = await client.query(MeQuery, { postsFirst: 5 }).toPromise();
    expect(me.data!.me!.posts.edges.map((edge) => edge.node.author.id)).toEqual(Array(5).fill(user.id));
    expect(me.data!.me!.posts.pageInfo.hasNextPage).toBe(true);
  });

  it('shows an uploaded post in a feed held by the document cache (README recipe)', async () => {
    const { session } = await signedInClient();
    // The recipe's client: urql's document cache in front of fetchExchange.
    const client = new Client({
      url: `${server.url}/graphql`,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: () => ({
        headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${session.token}` },
      }),
    });
    const shown: string[] = [];
    // A mounted feed: additionalTypenames keeps it listening for Post changes even while it is empty.
    const feed = client
      .query(FeedQuery, { first: 5 }, { additionalTypenames: ['Post'] })
      .subscribe((result) => result.data && shown.push(result.data.feed.edges[0]?.node.id ?? ''));
    try {
      await expect.poll(() => shown.length).toBeGreaterThan(0);
      const { file } = await fixtureFile('photo.jpg', 'image/jpeg');
      const uploaded = await client.mutation(UploadPostMutation, { file, caption: null }).toPromise();
      const id = uploaded.data!.uploadPost.id;
      // The mutation answered a Post: the cache drops every result holding one, and the mounted feed
      // is fetched again, with the new post on top.
      await expect.poll(() => shown.at(-1)).toBe(id);
    } finally {
      feed.unsubscribe();
    }
  });

  it('deletes a post: it leaves the feed, and a second delete is NOT_FOUND', async () => {
    const { client } = await signedInClient();
    const { file } = await fixtureFile('photo.jpg', 'image/jpeg');
    const posted = (await client.mutation(UploadPostMutation, { file }).toPromise()).data!.uploadPost;

    const deleted = await client.mutation(DeletePostMutation, { id: posted.id }).toPromise();
    expect(deleted.data!.deletePost).toBe(posted.id);
    const feed = await client.query(FeedQuery, { first: 100 }).toPromise();
    expect(feed.data!.feed.edges.map((edge) => edge.node.id)).not.toContain(posted.id);

    const again = await client.mutation(DeletePostMutation, { id: posted.id }).toPromise();
    expect(firstCode(again.error)).toBe('NOT_FOUND');
  });

  it('signs out: the same token is then refused with UNAUTHENTICATED', async () => {
    const { client, session } = await signedInClient();
    const token = session.token;
    const out = await client.mutation(LogoutMutation, {}).toPromise();
    expect(out.data!.logout).toBe(true);

    // The client still sends the old token, as an app that missed the sign-out would.
    expect(session.token).toBe(token);
    const feed = await client.query(FeedQuery, {}).toPromise();
    expect(firstCode(feed.error)).toBe('UNAUTHENTICATED');
    expect((await client.query(MeQuery, {}).toPromise()).data!.me).toBeNull();
  });
});
