// The feed with blocks in force (docs/decisions/0018-safety-visibility.md): the real server on SQLite,
// seeded with 2,000 posts by 250 authors and 5 signed-in viewers, loaded with feed(first: 20) with
// authors from 50 autocannon connections (each request carrying the next viewer's token, 2 s warm-up,
// then 8 s measured): first with no blocks, then after each viewer blocks 200 of the 250 authors
// through blockUser, so most posts on every cached page are of accounts the viewer blocks and each
// viewer's pages are read for them. Prints both runs and their ratio. Under a minute.
//   npm run bench:feed-blocks
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import { checkFeed, gql, inParallel } from './support/graphql.ts';
import { type LoadResult, measureFeed } from './support/load.ts';
import { sqliteUrl, startApp, tempDir } from './support/targets.ts';

const SEED = { authors: 250, posts: 2000, viewers: 5 };
const BLOCKS_PER_VIEWER = 200;
const LOAD = { connections: 50, warmupSeconds: 2, seconds: 8 };

const BLOCK = 'mutation($userId: ID!) { blockUser(userId: $userId) { id } }';
const AUTHOR = 'query($username: String!) { userByUsername(username: $username) { id } }';

try {
  console.log(machine());
  console.log(
    `feed(first: 20) with authors; ${SEED.posts} posts by ${SEED.authors} authors; ${SEED.viewers} viewers in rotation; ` +
      `${LOAD.connections} connections; ${LOAD.warmupSeconds} s warm-up, ${LOAD.seconds} s measured\n`,
  );
  const dir = await tempDir('bench-feed-blocks-');
  const target = await startApp('app on SQLite', { dir, databaseUrl: sqliteUrl(dir), seed: SEED });
  const { url } = target.server;
  await checkFeed(url, target.tokens[0]!);

  console.log('no blocks: measuring');
  const before = await measureFeed(url, target.tokens, LOAD);

  // The authors' ids, then every viewer blocks the first 200 of them (their posts are 80% of the feed).
  const authorIds: string[] = await inParallel(
    Array.from({ length: BLOCKS_PER_VIEWER }, (_, i) => `author_${i}`),
    8,
    async (username) => (await gql(url, AUTHOR, { username }, target.tokens[0]!)).userByUsername.id as string,
  );
  const started = performance.now();
  await inParallel(
    target.tokens.flatMap((token) => authorIds.map((userId) => ({ token, userId }))),
    8,
    ({ token, userId }) => gql(url, BLOCK, { userId }, token),
  );
  console.log(
    `${SEED.viewers * BLOCKS_PER_VIEWER} blocks in ${fixed((performance.now() - started) / 1000)} s; measuring again`,
  );
  await checkFeed(url, target.tokens[0]!);
  const after = await measureFeed(url, target.tokens, LOAD);
  await target.server.stop();

  const row = (name: string, load: LoadResult) => [
    name,
    String(load.requests),
    fixed(load.reqPerSec, 0),
    fixed(load.p50),
    fixed(load.p99),
    `${fixed(load.reqPerSec / before.reqPerSec, 2)}x`,
    `${fixed(load.p99 / before.p99, 2)}x`,
  ];
  console.log(`\n${machine()}`);
  console.log(
    table(
      ['run', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'req/s vs no blocks', 'p99 vs no blocks'],
      [row('no blocks', before), row(`each viewer blocks ${BLOCKS_PER_VIEWER} of ${SEED.authors}`, after)],
    ),
  );
  console.log('\nevery response checked: 2xx and no GraphQL errors (any would have failed the run)');
} finally {
  await runCleanups();
}
