// Apollo Client 4 as a frontend uses it, against the real server: the typed documents of
// test/clients/operations.ts through apollo-upload-client's UploadHttpLink (JSON, or a GraphQL
// multipart request when a variable holds a File), a SetContextLink for the bearer token, and an
// InMemoryCache that merges feed pages (relayStylePagination) as fetchMore brings them.
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { relayStylePagination } from '@apollo/client/utilities';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { filter, firstValueFrom, map, throwError, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
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
function apolloClient({ preflight = true }: { preflight?: boolean } = {}) {
  const session: { token: string | null } = { token: null };
  const auth = new SetContextLink((previous) => ({
    headers: { ...previous.headers, ...(session.token ? { authorization: `Bearer ${session.token}` } : {}) },
  }));
  const http = new UploadHttpLink({
    uri: `${server.url}/graphql`,
    // The server refuses multipart requests without it (CSRF); neither Apollo Client nor
    // apollo-upload-client sends it by itself.
    headers: preflight ? { 'apollo-require-preflight': 'true' } : {},
  });
  const client = new ApolloClient({
    link: ApolloLink.from([auth, http]),
    cache: new InMemoryCache({ typePolicies: { Query: { fields: { feed: relayStylePagination() } } } }),
    // Every read goes to the server unless a test reads the cache on purpose.
    defaultOptions: { query: { fetchPolicy: 'network-only' } },
  });
  return { client, session };
}

/** What a sign-in form shows for a failed login. The cases compile only if they are codes of this API. */
function signInProblem(code: ErrorCode | undefined): string {
  switch (code) {
    case 'LOGIN_BAD_CREDENTIALS':
      return 'Wrong email or password.';
    case 'LOGIN_USER_NOT_VERIFIED':
      return 'Confirm your email first.';
    case 'RATE_LIMITED':
      return 'Too many attempts; try again later.';
    default:
      return 'Something went wrong.';
  }
}

/** The code of the first GraphQL error an operation rejected with; fails on any other kind of failure. */
async function rejectionCode(operation: Promise<unknown>): Promise<ErrorCode | undefined> {
  const error = await operation.then(
    () => expect.fail('the operation succeeded'),
    (error: unknown) => error,
  );
  // A GraphQL error, not a network or HTTP failure (ServerError): the server's answer was read.
  if (!CombinedGraphQLErrors.is(error)) throw error;
  return codeOf(error.errors[0]);
}

let counter = 0;
function newAccount() {
  counter += 1;
  const username = `apollo_${process.pid}_${counter}`;
  return { email: `${username}@example.com`, username, password: 'correct horse battery' };
}

/** Registers and signs in through Apollo Client; the client then sends the token. */
async function signedInClient(options: { preflight?: boolean } = {}) {
  const { client, session } = apolloClient(options);
  const account = newAccount();
  const registered = await client.mutate({ mutation: RegisterMutation, variables: { input: account } });
  const login = await client.mutate({
    mutation: LoginMutation,
    variables: { email: account.email, password: account.password },
  });
  session.token = login.data!.login.token;
  return { client, session, account, user: registered.data!.register };
}

describe('Apollo Client against the real server', () => {
  it('registers, signs in, and sends the token as Authorization: Bearer', async () => {
    const { client, session } = apolloClient();
    const account = newAccount();
    const registered = await client.mutate({ mutation: RegisterMutation, variables: { input: account } });
    expect(registered.data!.register).toMatchObject({ username: account.username, isVerified: false });

    // Without a token, me is null: no error, just nobody.
    expect((await client.query({ query: MeQuery })).data!.me).toBeNull();

    const login = await client.mutate({
      mutation: LoginMutation,
      variables: { email: account.email, password: account.password },
    });
    expect(login.data!.login).toMatchObject({ tokenType: 'bearer', user: { id: registered.data!.register.id } });
    session.token = login.data!.login.token;

    const me = await client.query({ query: MeQuery });
    expect(me.data!.me).toMatchObject({ username: account.username, email: account.email, posts: { edges: [] } });
  });

  it('reads extensions.code as the generated ErrorCode type', async () => {
    const { client } = apolloClient();
    const account = newAccount();
    await client.mutate({ mutation: RegisterMutation, variables: { input: account } });
    expect(await rejectionCode(client.mutate({ mutation: RegisterMutation, variables: { input: account } }))).toBe(
      'REGISTER_USER_ALREADY_EXISTS',
    );

    const code = await rejectionCode(
      client.mutate({ mutation: LoginMutation, variables: { email: account.email, password: 'not the password' } }),
    );
    expect(code).toBe('LOGIN_BAD_CREDENTIALS');
    expect(signInProblem(code)).toBe('Wrong email or password.');
  });

  it('uploads an image and a video as GraphQL multipart requests', async () => {
    const { client, user } = await signedInClient();
    for (const [name, type, fileType] of [
      ['photo.jpg', 'image/jpeg', 'IMAGE'],
      ['clip.mp4', 'video/mp4', 'VIDEO'],
    ] as const) {
      const { file, bytes } = await fixtureFile(name, type);
      const result = await client.mutate({ mutation: UploadPostMutation, variables: { file, caption: `A ${name}` } });
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

  it('gets the early 403 CSRF refusal as a GraphQL error (CSRF_HEADER_REQUIRED), not a bare HTTP failure', async () => {
    const { client } = await signedInClient({ preflight: false });
    const before = await server.db.post.count();
    const { file } = await fixtureFile('photo.jpg', 'image/jpeg');
    // rejectionCode throws unless Apollo handed over CombinedGraphQLErrors: it read the
    // application/graphql-response+json body of the 403 instead of failing on the status.
    expect(await rejectionCode(client.mutate({ mutation: UploadPostMutation, variables: { file } }))).toBe(
      'CSRF_HEADER_REQUIRED',
    );
    expect(await server.db.post.count()).toBe(before);
    // The same client's JSON requests need no such header.
    expect((await client.query({ query: MeQuery })).data!.me).not.toBeNull();
  });

  it('pages through the feed with fetchMore until hasNextPage is false, merged in the cache once each', async () => {
    const { client, user } = await signedInClient();
    await seedPosts(server, { dbId: dbIdOf(user.id) }, 30);
    const total = await server.db.post.count();

    const feed = client.watchQuery({ query: FeedQuery, variables: { first: 7 } });
    // Subscribed throughout, as a mounted component keeps it; the query runs while it has a subscriber.
    const mounted = feed.subscribe(() => {});
    onTestFinished(() => mounted.unsubscribe());
    // What the query emits, as a mounted component would see it: the feed holding more than `shown` posts.
    const feedLongerThan = (shown: number) =>
      firstValueFrom(
        feed.pipe(
          map((result) => (result.dataState === 'complete' ? result.data.feed : null)),
          filter((page): page is FeedResult['feed'] => page !== null && page.edges.length > shown),
          timeout({
            first: 5_000,
            with: () => throwError(() => new Error(`the watched feed never held more than ${shown} posts`)),
          }),
        ),
      );
    let current = await feedLongerThan(0);
    expect(current.edges).toHaveLength(7);
    for (let page = 1; current.pageInfo.hasNextPage; page++) {
      expect(page).toBeLessThan(20); // a cursor that never ends would loop here
      const next = await feed.fetchMore({ variables: { after: current.pageInfo.endCursor } });
      // fetchMore answers the page it fetched...
      const fetched = next.data!.feed.edges.length;
      expect(fetched).toBeGreaterThan(0);
      expect(fetched).toBeLessThanOrEqual(7);
      // ...and relayStylePagination appends it to the list the watched query emits from the cache.
      const merged = await feedLongerThan(current.edges.length);
      expect(merged.edges.length).toBe(current.edges.length + fetched);
      current = merged;
    }
    const ids = current.edges.map((edge) => edge.node.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    const createdAts = current.edges.map((edge) => edge.node.createdAt);
    expect(createdAts).toEqual([...createdAts].sort().reverse());

    // User.posts answers the same PostConnection, read through the same fragment.
    const me = await client.query({ query: MeQuery, variables: { postsFirst: 5 } });
    expect(me.data!.me!.posts.edges.map((edge) => edge.node.author.id)).toEqual(Array(5).fill(user.id));
  });

  it('adds an uploaded post to the cached feed (README recipe), with no request for the feed', async () => {
    const { client } = await signedInClient();
    const feed = client.watchQuery({ query: FeedQuery, variables: { first: 5 } });
    const mounted = feed.subscribe(() => {});
    onTestFinished(() => mounted.unsubscribe());
    const firstShown = () =>
      firstValueFrom(
        feed.pipe(
          map((result) => (result.dataState === 'complete' ? result.data.feed.edges[0]?.node.id : undefined)),
          filter((id): id is string => id !== undefined),
        ),
      );
    const before = await firstShown();
    const requests = server.queries.length;

    const { file } = await fixtureFile('photo.jpg', 'image/jpeg');
    const uploaded = await client.mutate({
      mutation: UploadPostMutation,
      variables: { file, caption: 'just now' },
      // The recipe: put the new post at the top of the feed the cache holds.
      update(cache, { data }) {
        const post = data?.uploadPost;
        if (!post) return;
        cache.modify({
          fields: {
            feed(existing, { toReference, isReference }) {
              if (!existing || isReference(existing)) return existing;
              const page = existing as { edges: unknown[] };
              const edge = { __typename: 'PostEdge', cursor: '', node: toReference(post) };
              return { ...page, edges: [edge, ...page.edges] };
            },
          },
        });
      },
    });
    const id = uploaded.data!.uploadPost.id;
    expect(id).not.toBe(before);
    await expect.poll(firstShown).toBe(id);
    const cached = client.readQuery({ query: FeedQuery, variables: { first: 5 } })!;
    expect(cached.feed.edges[0]!.node).toMatchObject({ id, caption: 'just now', width: 32, height: 24 });
    // The mutation's own statements only: the feed was not read again from the server.
    expect(server.queries.slice(requests).some((sql) => /FROM "Post" p JOIN "User" u/.test(sql))).toBe(false);
  });

  it('deletes a post: it leaves the feed, and a second delete is NOT_FOUND', async () => {
    const { client } = await signedInClient();
    const { file } = await fixtureFile('photo.jpg', 'image/jpeg');
    const posted = (await client.mutate({ mutation: UploadPostMutation, variables: { file } })).data!.uploadPost;

    const deleted = await client.mutate({ mutation: DeletePostMutation, variables: { id: posted.id } });
    expect(deleted.data!.deletePost).toBe(posted.id);
    const feed = await client.query({ query: FeedQuery, variables: { first: 100 } });
    expect(feed.data!.feed.edges.map((edge) => edge.node.id)).not.toContain(posted.id);

    expect(await rejectionCode(client.mutate({ mutation: DeletePostMutation, variables: { id: posted.id } }))).toBe(
      'NOT_FOUND',
    );
  });

  it('signs out: the same token is then refused with UNAUTHENTICATED', async () => {
    const { client, session } = await signedInClient();
    const token = session.token;
    expect((await client.mutate({ mutation: LogoutMutation })).data!.logout).toBe(true);

    // The client still sends the old token, as an app that missed the sign-out would.
    expect(session.token).toBe(token);
    expect(await rejectionCode(client.query({ query: FeedQuery }))).toBe('UNAUTHENTICATED');
    expect((await client.query({ query: MeQuery })).data!.me).toBeNull();
  });
});
