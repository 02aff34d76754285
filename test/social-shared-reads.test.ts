// Requests that miss the same counts at once share one read of them (src/services/social/facts.ts):
// after another account's like drops a post's counts, or a new post comes with none cached, a page
// read by many viewers at that moment costs one read of the counts, not one per viewer. Pinned to
// PostgreSQL in every pass: its reads are asynchronous, so requests overlap while one is in flight
// (SQLite's run to completion before the next request is handled). The test holds the Like table locked
// from a connection of its own, so every request has missed before the first read can finish.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultOf } from '@graphql-typed-document-node/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSchemaOf, quoteIdent } from '../src/db/client.ts';
import { SOCIAL_FEED_PAGE } from './operations/social.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { newPostgresTestUrl } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { LIKE } from './support/social.ts';
import { gqlTyped, textOf } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

const READERS = 6;

let server: TestServer;
let readers: TestUser[];
let liked: string;

beforeAll(async () => {
  server = await startTestServer({ DATABASE_URL: newPostgresTestUrl() });
  const author = await signUp(server);
  const posted = await uploadPost(server.url, { token: author.token, caption: 'liked by a reader' });
  liked = posted.body.data!.uploadPost.id;
  readers = [];
  for (let i = 0; i < READERS; i += 1) readers.push(await signUp(server));
  // One reader likes it, so no reader's answer can be told from a count of zero.
  expect((await gqlTyped(server, LIKE, { postId: liked }, readers[0]!.token)).body.errors).toBeUndefined();
});
afterAll(() => server?.close());

const page = (user: TestUser) =>
  server.gql<ResultOf<typeof SOCIAL_FEED_PAGE>>(textOf(SOCIAL_FEED_PAGE), { first: 20 }, user.token);

/**
 * Every reader's page at once, with the Like table locked until each request has had time to miss and
 * the first read waits on the lock; answers the pages and the statements they sent.
 */
async function readTogether() {
  const url = new URL(server.config.databaseUrl);
  const schema = postgresSchemaOf(url.toString());
  url.searchParams.delete('schema');
  const locker = new pg.Client({ connectionString: url.toString() });
  const watcher = new pg.Client({ connectionString: url.toString() });
  await Promise.all([locker.connect(), watcher.connect()]);
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${quoteIdent(schema)}."Like" IN ACCESS EXCLUSIVE MODE`);
    server.queries.length = 0;
    const pages = Promise.all(readers.map(page));
    // pg_stat_activity holds still within a transaction: asked outside the locker's.
    for (let waited = 0; ; waited += 10) {
      const { rows } = await watcher.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%"viewerHasLiked"%'`,
      );
      if (rows[0].n > 0) break;
      if (waited > 5000) throw new Error('no read of the counts ever waited on the lock');
      await sleep(10);
    }
    // The other requests reach their miss meanwhile.
    await sleep(300);
    await locker.query('COMMIT');
    const answers = await pages;
    return { answers, statements: [...server.queries] };
  } finally {
    await Promise.all([locker.end(), watcher.end()]);
  }
}

const nodeOf = (answer: Awaited<ReturnType<typeof page>>, postId: string) =>
  answer.body.data!.feed.edges.find((edge) => edge.node.id === postId)?.node;

describe('counts missed by many requests at once: one read', () => {
  it("after another account's like: one read of the post's counts, and each reader still gets their own like", async () => {
    for (const reader of readers) await page(reader);
    const liker = await signUp(server);
    const res = await server.gql(
      'mutation($postId: ID!) { likePost(postId: $postId) { id } }',
      { postId: liked },
      liker.token,
    );
    expect(res.body.errors).toBeUndefined();
    const { answers, statements } = await readTogether();
    expect(statements).toHaveLength(1);
    for (const [i, answer] of answers.entries()) {
      expect(answer.body.errors).toBeUndefined();
      expect(nodeOf(answer, liked)).toMatchObject({ likeCount: 2, viewerHasLiked: i === 0 });
    }
  });

  it('after a new post: one read of the page and one of its counts, for every reader', async () => {
    for (const reader of readers) await page(reader);
    const poster = await signUp(server);
    const posted = await uploadPost(server.url, { token: poster.token, caption: 'new' });
    expect(posted.body.errors).toBeUndefined();
    const { answers, statements } = await readTogether();
    expect(statements).toHaveLength(2);
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data!.feed.edges[0]!.node).toMatchObject({
        id: posted.body.data!.uploadPost.id,
        likeCount: 0,
        viewerHasLiked: false,
        author: { followerCount: 0, viewerFollows: false },
      });
    }
  });
});
