// The public GraphQL API the benches drive: register, login and the feed. These stay stable while
// src/ is refactored, so the benches talk to the server only through them (and seed posts through
// the Prisma client, bench/support/seed.ts).
export const FEED_QUERY =
  'query { feed(first: 20) { edges { node { id caption createdAt fileType url author { id username } } } } }';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { id } }';
const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

export interface Account {
  email: string;
  username: string;
  password: string;
}

/** POSTs a query to <url>/graphql; throws on a non-2xx status or any GraphQL error. */
export async function gql<T = any>(url: string, query: string, variables: object = {}, token?: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: { data?: T; errors?: unknown[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${res.status} from ${url}/graphql: ${text.slice(0, 300)}`);
  }
  if (!res.ok || body.errors)
    throw new Error(`${res.status} from ${url}/graphql: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data as T;
}

export function accounts(prefix: string, count: number): Account[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `${prefix}${i}@example.com`,
    username: `${prefix}${i}`,
    password: 'correct horse battery staple',
  }));
}

export async function register(url: string, account: Account): Promise<void> {
  await gql(url, REGISTER, { input: account });
}

export async function login(url: string, { email, password }: Account): Promise<string> {
  const data = await gql<{ login: { token: string } }>(url, LOGIN, { email, password });
  return data.login.token;
}

/** Runs fn over items, `concurrency` at a time, keeping the results in order. */
export async function inParallel<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

/** Fails unless the feed answers a full page of 20 posts with their authors, without errors. */
export async function checkFeed(url: string, token: string): Promise<void> {
  type Feed = { feed: { edges: { node: { id: string; url: string; author: { username: string } | null } }[] } };
  const { feed } = await gql<Feed>(url, FEED_QUERY, {}, token);
  const complete = feed.edges.filter(({ node }) => node.id && node.url && node.author?.username);
  if (feed.edges.length !== 20 || complete.length !== 20) {
    throw new Error(
      `expected 20 complete feed edges from ${url}, got ${feed.edges.length} (${complete.length} complete)`,
    );
  }
}
