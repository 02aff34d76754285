// Live updates from the clients frontends use: urql's subscriptionExchange forwarding to the graphql-sse
// client, and Apollo Client 4 with a small SSE link built on graphql-sse (as Apollo's docs show), both
// with the bearer token; on /graphql (distinct connections, yoga's SSE) and on /graphql/stream (the
// graphql-sse plugin), whose single-connection mode is refused.
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache, Observable } from '@apollo/client';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { OperationTypeNode, print } from 'graphql';
import { type ClientOptions, createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { FEED_EVENTS, type FeedEvent } from './support/live.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { uploadPost } from './support/upload.ts';

let server: TestServer;
let author: TestUser;
let reader: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  author = await signUp(server);
  reader = await signUp(server);
});
afterAll(() => server?.close());

/** What a frontend hands graphql-sse: the endpoint, the token on every (re)connection, retries. */
const sseOptions = (
  path: string,
  token: string,
  extra: Partial<ClientOptions<boolean>> = {},
): ClientOptions<boolean> => ({
  url: `${server.url}${path}`,
  headers: () => ({ authorization: `Bearer ${token}` }),
  retryAttempts: 3,
  ...extra,
});

function urqlClient(token: string, sse: ReturnType<typeof createSseClient>) {
  return new Client({
    url: `${server.url}/graphql`,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = sse.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}

/** Apollo's SSE link: each subscription is a graphql-sse subscription. */
class SSELink extends ApolloLink {
  private client: ReturnType<typeof createSseClient<boolean>>;
  constructor(options: ClientOptions<boolean>) {
    super();
    this.client = createSseClient(options);
  }
  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable((sink) =>
      this.client.subscribe(
        // The request's own fields only: yoga refuses a body with keys a GraphQL request does not have.
        {
          query: print(operation.query),
          variables: operation.variables,
          operationName: operation.operationName,
          extensions: operation.extensions,
        },
        {
          next: (value) => sink.next(value as ApolloLink.Result),
          complete: () => sink.complete(),
          error: (error) => sink.error(error),
        },
      ),
    );
  }
}

function apolloClient(token: string, path: string) {
  const http = new HttpLink({ uri: `${server.url}/graphql`, headers: { authorization: `Bearer ${token}` } });
  const sse = new SSELink(sseOptions(path, token));
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.split(({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION, sse, http),
  });
}

const post = async (caption: string) =>
  (await uploadPost(server.url, { token: author.token, caption })).body.data!.uploadPost.id;

/** The first PostAdded a subscription shows, once it is open. */
function firstPostAdded(subscribe: (onData: (event: FeedEvent) => void) => { unsubscribe(): void }) {
  return new Promise<Extract<FeedEvent, { __typename: 'PostAdded' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no PostAdded within 5 s')), 5000);
    const subscription = subscribe((event) => {
      if (event.__typename !== 'PostAdded') return;
      clearTimeout(timer);
      queueMicrotask(() => subscription.unsubscribe());
      resolve(event);
    });
  });
}

/** Posts until the subscription has shown one: it may not be open yet when the first goes out. */
async function postUntilSeen(seen: Promise<{ post: { id: string } }>) {
  let done = false;
  void seen.finally(() => {
    done = true;
  });
  const ids: string[] = [];
  while (!done && ids.length < 20) {
    ids.push(await post(`live ${ids.length}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const event = await seen;
  expect(ids).toContain(event.post.id);
  return event;
}

describe.each([
  ['/graphql, distinct connections', '/graphql', false],
  ['/graphql/stream, distinct connections', '/graphql/stream', false],
] as const)('urql + graphql-sse on %s', (_name, path, singleConnection) => {
  it('feedEvents through subscriptionExchange: PostAdded with the post, read for this viewer', async () => {
    const sse = createSseClient(sseOptions(path, reader.token, { singleConnection: singleConnection as boolean }));
    const client = urqlClient(reader.token, sse);
    try {
      const seen = firstPostAdded((onData) =>
        client.subscription<{ feedEvents: FeedEvent }>(FEED_EVENTS, {}).subscribe((result) => {
          if (result.error) throw result.error;
          if (result.data) onData(result.data.feedEvents);
        }),
      );
      const event = await postUntilSeen(seen);
      expect(event.post).toMatchObject({ isOwner: false, author: { id: author.id }, likeCount: 0 });
    } finally {
      sse.dispose();
    }
  });
});

describe('graphql-sse single-connection mode', () => {
  it('is refused: a reservation (PUT) and a request naming a stream token answer 400 BAD_REQUEST', async () => {
    const put = await fetch(`${server.url}/graphql/stream`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'BAD_REQUEST',
    );
    const attach = await fetch(`${server.url}/graphql/stream?token=abc`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${reader.token}` },
    });
    expect(attach.status).toBe(400);
  });
});

describe('urql + graphql-sse without a token', () => {
  it('gets UNAUTHENTICATED as the result’s error', async () => {
    const sse = createSseClient({ url: `${server.url}/graphql`, retryAttempts: 0 });
    const client = urqlClient('', sse);
    try {
      const result = await new Promise<{ code?: unknown }>((resolve) => {
        const { unsubscribe } = client.subscription(FEED_EVENTS, {}).subscribe((r) => {
          if (!r.error) return;
          queueMicrotask(unsubscribe);
          resolve({ code: r.error.graphQLErrors[0]?.extensions?.code });
        });
      });
      expect(result.code).toBe('UNAUTHENTICATED');
    } finally {
      sse.dispose();
    }
  });
});

describe.each([
  ['/graphql', '/graphql'],
  ['/graphql/stream', '/graphql/stream'],
] as const)('Apollo Client with an SSE link on %s', (_name, path) => {
  it('feedEvents through the split link, queries over HTTP', async () => {
    const client = apolloClient(reader.token, path);
    try {
      const me = await client.query<{ me: { id: string } }>({ query: gql`{ me { id } }` });
      expect(me.data?.me.id).toBe(reader.id);
      const seen = firstPostAdded((onData) =>
        client.subscribe<{ feedEvents: FeedEvent }>({ query: gql(FEED_EVENTS) }).subscribe({
          next: (result) => {
            if (result.data) onData(result.data.feedEvents);
          },
        }),
      );
      const event = await postUntilSeen(seen);
      expect(event.post).toMatchObject({ isOwner: false, author: { id: author.id } });
    } finally {
      client.stop();
    }
  });
});
