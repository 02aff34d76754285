// The public GraphQL API the benches drive: register, login, the feed, and posting and deleting a photo.
// These stay stable while src/ is refactored, so the benches talk to the server only through them (and
// seed posts through the Prisma client, bench/support/seed.ts, or straight into the tables,
// bench/support/tables.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const FEED_QUERY =
  'query { feed(first: 20) { edges { node { id caption createdAt fileType url author { id username } } } } }';
/** The social shape (issue 17): the feed with the counts and the viewer's facts a photo app shows. */
export const SOCIAL_FEED_QUERY =
  'query { feed(first: 20) { edges { node { id caption createdAt fileType url likeCount commentCount viewerHasLiked ' +
  'author { id username avatarUrl followerCount viewerFollows } } } } }';
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
export async function checkFeed(url: string, token: string, query = FEED_QUERY): Promise<void> {
  type Feed = { feed: { edges: { node: { id: string; url: string; author: { username: string } | null } }[] } };
  const { feed } = await gql<Feed>(url, query, {}, token);
  const complete = feed.edges.filter(({ node }) => node.id && node.url && node.author?.username);
  if (feed.edges.length !== 20 || complete.length !== 20) {
    throw new Error(
      `expected 20 complete feed edges from ${url}, got ${feed.edges.length} (${complete.length} complete)`,
    );
  }
}

const LIKE_POST = 'mutation($id: ID!) { likePost(postId: $id) { id likeCount } }';
const UNLIKE_POST = 'mutation($id: ID!) { unlikePost(postId: $id) { id likeCount } }';

export async function setLike(url: string, token: string, postId: string, like: boolean): Promise<void> {
  await gql(url, like ? LIKE_POST : UNLIKE_POST, { id: postId }, token);
}

const UPLOAD_POST = 'mutation($file: Upload!) { uploadPost(file: $file) { id createdAt } }';
const DELETE_POST = 'mutation($id: ID!) { deletePost(id: $id) }';

/**
 * Posts test/fixtures/photo.jpg as a GraphQL multipart request, as a client would; answers the post's
 * global id and its createdAt as the API shows it.
 */
export async function uploadPhoto(url: string, token: string): Promise<{ id: string; createdAt: string }> {
  const photo = await readFile(path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'photo.jpg'));
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: UPLOAD_POST, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await res.text();
  const body = JSON.parse(text) as { data?: { uploadPost: { id: string; createdAt: string } }; errors?: unknown };
  if (!res.ok || body.errors || !body.data) throw new Error(`upload: ${res.status} ${text.slice(0, 500)}`);
  return body.data.uploadPost;
}

export async function deletePost(url: string, token: string, id: string): Promise<void> {
  await gql(url, DELETE_POST, { id }, token);
}

/** The database id in a global id (base64 of "<Type>:<id>", Pothos's encoding). */
export function rawId(globalId: string): string {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}
