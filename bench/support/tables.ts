// The app's tables, reached straight through the database drivers, for data sets too big to seed
// through the API or Prisma (bench/feed-scale.ts): bulk inserts of authors and posts, random positions
// in a table's history, the page after a position as the database itself orders it (to check the app's
// answers against), and EXPLAIN of statements the app sent.
//
// Rows are written exactly as the app writes them. DateTime is the column to get right: the app's
// keyset pages compare createdAt in SQL, so a differently written value would sort differently. How the
// app stores it is not assumed but read back from a post the app itself wrote (the sample that
// openSqliteTables and openPostgresTables take), and the bench refuses to go on with a representation
// it cannot reproduce.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { RecordedStatement } from './instrument.ts';

/** A place in the (createdAt, id) order, newest first, as a keyset cursor holds it. */
export interface Position {
  createdAt: Date;
  id: string;
}

/** The app's cursor for a position (src/schema/pagination.ts): base64url of "<ISO createdAt>|<id>". */
export const cursorOf = ({ createdAt, id }: Position) =>
  Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');

/** The data set: posts[i] is the i-th newest. */
export interface PostPlan {
  posts: number;
  /** Ids of the authors; authors[0] is the prolific one. */
  authors: string[];
  /** Every `prolificEvery`-th post is authors[0]'s; the others go round the rest. */
  prolificEvery: number;
  /** createdAt of the newest post; the others are older, three to a second, so the order has ties. */
  newest: Date;
}

export const authorIndexOf = (plan: PostPlan, i: number) =>
  i % plan.prolificEvery === 0 ? 0 : 1 + (i % (plan.authors.length - 1));
export const createdAtOf = (plan: PostPlan, i: number) => new Date(plan.newest.getTime() - Math.floor(i / 3) * 1000);

export interface AuthorRows {
  count: number;
  /** bcrypt hash of the authors' shared password, made at the server's cost. */
  hashedPassword: string;
  createdAt: Date;
}

export interface Tables {
  /** How createdAt is stored, in words, for the report. */
  readonly dateStorage: string;
  /** Inserts author_<i> (author_<i>@example.com) for i < count; answers their ids in that order. */
  insertAuthors(rows: AuthorRows): Promise<string[]>;
  /** Inserts follows (the count triggers keep the users' counts); before insertPosts, which ends the writes on SQLite. */
  insertFollows(follows: { followerId: string; followeeId: string }[], createdAt: Date): Promise<void>;
  /** The ids of these users, in this order. */
  idsOf(usernames: string[]): Promise<string[]>;
  insertPosts(plan: PostPlan): Promise<void>;
  /** Brings the planner's statistics up to date, as the database's own maintenance would. */
  maintain(): Promise<void>;
  /** Up to `count` distinct random posts (of one author) with at least 20 older posts after them. */
  samplePositions(count: number, authorId?: string): Promise<Position[]>;
  /** Up to `count` distinct random posts newer than `newerThan`, by anyone. */
  samplePositionsNewerThan(count: number, newerThan: Date): Promise<Position[]>;
  /** The `take` posts of the viewer's home feed (theirs and those of whom they follow) after the position. */
  homePageAfter(position: Position, take: number, viewerId: string): Promise<Position[]>;
  /** The `take` posts (of one author) after the position, in the feed's order, as the database orders them. */
  pageAfter(position: Position, take: number, authorId?: string): Promise<Position[]>;
  /** The statement's plan, run with the values it was sent with; lines to print. */
  explain(statement: RecordedStatement): Promise<string[]>;
  close(): Promise<void>;
}

const POST_COLUMNS =
  '"id", "authorId", "caption", "fileType", "fileName", "mimeType", "size", "storage", "storageKey", "createdAt"';
const USER_COLUMNS =
  '"id", "email", "username", "hashedPassword", "isActive", "isSuperuser", "isVerified", "createdAt", "updatedAt"';

// ---------------------------------------------------------------------------------------------- SQLite

/** The ways Prisma's SQLite adapter can write a DateTime (its timestampFormat option). */
const SQLITE_DATE_WRITERS: { name: string; write: (date: Date) => string | number }[] = [
  {
    name: 'TEXT, ISO 8601 with "+00:00" (the adapter\'s timestampFormat "iso8601": toISOString() with Z replaced)',
    write: (date) => date.toISOString().replace('Z', '+00:00'),
  },
  { name: 'TEXT, ISO 8601 with "Z"', write: (date) => date.toISOString() },
  {
    name: 'INTEGER, milliseconds since 1970 (the adapter\'s timestampFormat "unixepoch-ms")',
    write: (date) => date.getTime(),
  },
];

function sqliteDate(value: unknown): Date {
  return new Date(typeof value === 'string' ? value : Number(value));
}

export function openSqliteTables(file: string, sample: { postId: string; createdAt: string }): Tables {
  let db = new Database(file);
  // Only for the fill, on this connection: the server is stopped, and a crash would just fail the bench.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -131072'); // 128 MB, so the random-uuid primary key index stays in memory
  const stored = db.prepare('SELECT "createdAt" AS value FROM "Post" WHERE "id" = ?').get(sample.postId) as
    | { value: unknown }
    | undefined;
  if (!stored) throw new Error(`the app's post ${sample.postId} is not in the database`);
  const writer = SQLITE_DATE_WRITERS.find(({ write }) => write(new Date(sample.createdAt)) === stored.value);
  if (!writer) {
    throw new Error(
      `the app stored createdAt ${sample.createdAt} as ${JSON.stringify(stored.value)}, which this bench cannot write`,
    );
  }
  const write = writer.write;
  const dateStorage = `${writer.name}; the app wrote ${JSON.stringify(stored.value)} for ${sample.createdAt}`;
  const byAuthor = (authorId?: string) => (authorId === undefined ? '' : 'AND "authorId" = ?');
  const authorArg = (authorId?: string) => (authorId === undefined ? [] : [authorId]);

  return {
    dateStorage,

    async insertAuthors({ count, hashedPassword, createdAt }) {
      const insert = db.prepare(`INSERT INTO "User" (${USER_COLUMNS}) VALUES (?, ?, ?, ?, 1, 0, 0, ?, ?)`);
      const ids = Array.from({ length: count }, () => randomUUID());
      db.transaction(() => {
        ids.forEach((id, i) => {
          insert.run(id, `author_${i}@example.com`, `author_${i}`, hashedPassword, write(createdAt), write(createdAt));
        });
      })();
      return ids;
    },

    async insertFollows(follows, createdAt) {
      const insert = db.prepare(
        'INSERT INTO "Follow" ("id", "followerId", "followeeId", "createdAt") VALUES (?, ?, ?, ?)',
      );
      db.transaction(() => {
        for (const { followerId, followeeId } of follows)
          insert.run(randomUUID(), followerId, followeeId, write(createdAt));
      })();
    },

    async idsOf(usernames) {
      const find = db.prepare('SELECT "id" FROM "User" WHERE "username" = ?');
      return usernames.map((username) => {
        const row = find.get(username) as { id: string } | undefined;
        if (!row) throw new Error(`no user ${username}`);
        return row.id;
      });
    },

    async insertPosts(plan) {
      // The table's own indexes (the migrations' CREATE INDEX statements, read back) are dropped for the
      // fill and built again after it: sorting once is much faster than a million random index inserts.
      const indexes = db
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Post' AND sql IS NOT NULL`)
        .all() as { name: string; sql: string }[];
      for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
      const insert = db.prepare(
        `INSERT INTO "Post" (${POST_COLUMNS}) VALUES (?, ?, ?, 'IMAGE', 'photo.jpg', 'image/jpeg', 1000, 'local', ?, ?)`,
      );
      // Oldest first, as the app would have written them; 100,000 to a transaction.
      const batch = db.transaction((from: number, to: number) => {
        for (let i = from; i > to; i -= 1) {
          const id = randomUUID();
          const authorId = plan.authors[authorIndexOf(plan, i)]!;
          insert.run(id, authorId, `post ${i}`, `${authorId}/${id}.jpg`, write(createdAtOf(plan, i)));
        }
      });
      for (let from = plan.posts - 1; from >= 0; from -= 100_000) batch(from, Math.max(-1, from - 100_000));
      for (const { sql } of indexes) db.exec(sql);
      db.pragma('wal_checkpoint(TRUNCATE)');
      // From here on only reads, with the settings the app's connection has too (EXPLAIN times a statement).
      db.close();
      db = new Database(file, { readonly: true });
    },

    async maintain() {
      // Nothing: the app never runs ANALYZE or PRAGMA optimize on SQLite, so neither does the bench.
    },

    async samplePositions(count, authorId) {
      const rows = db
        .prepare(
          `SELECT "createdAt" AS createdAt, "id" AS id FROM "Post"
           WHERE "createdAt" > (SELECT "createdAt" FROM "Post" WHERE 1 ${byAuthor(authorId)}
                                ORDER BY "createdAt" ASC, "id" ASC LIMIT 1 OFFSET 20)
             ${byAuthor(authorId)}
           ORDER BY random() LIMIT ?`,
        )
        .all(...authorArg(authorId), ...authorArg(authorId), count) as { createdAt: unknown; id: string }[];
      return rows.map((row) => ({ createdAt: sqliteDate(row.createdAt), id: row.id }));
    },

    async samplePositionsNewerThan(count, newerThan) {
      const rows = db
        .prepare(
          `SELECT "createdAt" AS createdAt, "id" AS id FROM "Post" WHERE "createdAt" > ? ORDER BY random() LIMIT ?`,
        )
        .all(write(newerThan), count) as { createdAt: unknown; id: string }[];
      return rows.map((row) => ({ createdAt: sqliteDate(row.createdAt), id: row.id }));
    },

    async homePageAfter(position, take, viewerId) {
      const rows = db
        .prepare(
          `SELECT "createdAt" AS createdAt, "id" AS id FROM "Post"
           WHERE ("createdAt", "id") < (?, ?)
             AND ("authorId" = ? OR "authorId" IN (SELECT "followeeId" FROM "Follow" WHERE "followerId" = ?))
           ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`,
        )
        .all(write(position.createdAt), position.id, viewerId, viewerId, take) as { createdAt: unknown; id: string }[];
      return rows.map((row) => ({ createdAt: sqliteDate(row.createdAt), id: row.id }));
    },

    async pageAfter(position, take, authorId) {
      const rows = db
        .prepare(
          `SELECT "createdAt" AS createdAt, "id" AS id FROM "Post"
           WHERE ("createdAt", "id") < (?, ?) ${byAuthor(authorId)}
           ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`,
        )
        .all(write(position.createdAt), position.id, ...authorArg(authorId), take) as {
        createdAt: unknown;
        id: string;
      }[];
      return rows.map((row) => ({ createdAt: sqliteDate(row.createdAt), id: row.id }));
    },

    async explain({ sql, values }) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as {
        id: number;
        parent: number;
        detail: string;
      }[];
      const depth = new Map<number, number>([[0, 0]]);
      const lines = plan.map(({ id, parent, detail }) => {
        const d = (depth.get(parent) ?? 0) + 1;
        depth.set(id, d);
        return `${'  '.repeat(d)}${detail}`;
      });
      // The statement alone, on this connection, as the server's would run it: the median of 3.
      const statement = db.prepare(sql);
      const times: number[] = [];
      for (let n = 0; n < 3; n += 1) {
        const started = performance.now();
        statement.all(...values);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return ['QUERY PLAN', ...lines, `statement alone: ${times[1]!.toFixed(1)} ms (median of 3 runs)`];
    },

    async close() {
      db.close();
    },
  };
}

// ------------------------------------------------------------------------------------------ PostgreSQL

/** node-postgres would read a timestamp without time zone as local time: this reads it as the UTC it is. */
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
/** A Date as the PostgreSQL adapter sends it for a timestamp column: UTC, without a zone. */
const pgTimestamp = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

export async function openPostgresTables(url: string, sample: { postId: string; createdAt: string }): Promise<Tables> {
  const schema = new URL(url).searchParams.get('schema') ?? 'public';
  const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
  await client.connect();
  const column = await client.query<{ data_type: string; datetime_precision: number }>(
    `SELECT data_type, datetime_precision FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = 'Post' AND column_name = 'createdAt'`,
    [schema],
  );
  const stored = await client.query<{ utc: string }>(
    `SELECT to_char("createdAt", ${ISO_UTC}) AS utc FROM "Post" WHERE "id" = $1`,
    [sample.postId],
  );
  const type = column.rows[0];
  if (type?.data_type !== 'timestamp without time zone' || stored.rows[0]?.utc !== sample.createdAt) {
    await client.end();
    throw new Error(
      `the app stored createdAt ${sample.createdAt} as ${JSON.stringify(stored.rows[0])} in a ${JSON.stringify(type)} column, which this bench does not write`,
    );
  }
  const dateStorage = `timestamp(${type.datetime_precision}) without time zone, holding UTC; the app wrote ${stored.rows[0].utc.replace('T', ' ').replace('Z', '')} for ${sample.createdAt}`;
  const byAuthor = (authorId: string | undefined, n: number) =>
    authorId === undefined ? '' : `AND "authorId" = $${n}`;
  const toPosition = (row: { createdAt: string; id: string }) => ({ createdAt: new Date(row.createdAt), id: row.id });

  return {
    dateStorage,

    async insertAuthors({ count, hashedPassword, createdAt }) {
      const ids = Array.from({ length: count }, () => randomUUID());
      await client.query(
        `INSERT INTO "User" (${USER_COLUMNS})
         SELECT ($1::text[])[i + 1], 'author_' || i || '@example.com', 'author_' || i, $2, true, false, false, $3::timestamp(3), $3::timestamp(3)
         FROM generate_series(0, $4::int - 1) AS i`,
        [ids, hashedPassword, pgTimestamp(createdAt), count],
      );
      return ids;
    },

    async insertFollows(follows, createdAt) {
      await client.query(
        `INSERT INTO "Follow" ("id", "followerId", "followeeId", "createdAt")
         SELECT gen_random_uuid()::text, f, e, $3::timestamp(3) FROM unnest($1::text[], $2::text[]) AS pairs(f, e)`,
        [follows.map((f) => f.followerId), follows.map((f) => f.followeeId), pgTimestamp(createdAt)],
      );
    },

    async idsOf(usernames) {
      const result = await client.query<{ id: string; username: string }>(
        'SELECT "id", "username" FROM "User" WHERE "username" = ANY($1::text[])',
        [usernames],
      );
      const byName = new Map(result.rows.map((row) => [row.username, row.id]));
      return usernames.map((username) => {
        const id = byName.get(username);
        if (!id) throw new Error(`no user ${username}`);
        return id;
      });
    },

    async insertPosts(plan) {
      // The table's own constraints and indexes (the migrations' definitions, read back) are dropped for
      // the fill and made again after it: building an index by sorting once, and checking the foreign key
      // with one join, is much faster than a million random index inserts and trigger lookups.
      const constraints = await client.query<{ name: string; definition: string }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
         WHERE conrelid = '"Post"'::regclass ORDER BY contype = 'f'`,
      );
      const indexes = await client.query<{ name: string; definition: string }>(
        `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         WHERE x.indrelid = '"Post"'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)`,
      );
      // Other tables' foreign keys to Post (Like, Comment) depend on its primary key: they go first
      // and come back last (their tables are empty: the check is free).
      const references = await client.query<{ name: string; table: string; definition: string }>(
        `SELECT conname AS name, conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint WHERE confrelid = '"Post"'::regclass AND conrelid <> '"Post"'::regclass`,
      );
      for (const { name, table } of references.rows)
        await client.query(`ALTER TABLE ${table} DROP CONSTRAINT "${name}"`);
      for (const { name } of [...constraints.rows].reverse())
        await client.query(`ALTER TABLE "Post" DROP CONSTRAINT "${name}"`);
      for (const { name } of indexes.rows) await client.query(`DROP INDEX "${name}"`);
      // The count triggers (User.postCount) would update an author's row once per post: a million
      // updates of a thousand rows. Off for the fill; the counts are then set once, as the migration
      // that made them did.
      await client.query('ALTER TABLE "Post" DISABLE TRIGGER USER');
      // The same rows as authorIndexOf and createdAtOf, in SQL (arrays count from 1); oldest first.
      await client.query(
        `INSERT INTO "Post" (${POST_COLUMNS})
         SELECT id, "authorId", 'post ' || i, 'IMAGE'::"FileType", 'photo.jpg', 'image/jpeg', 1000, 'local', "authorId" || '/' || id || '.jpg',
                $2::timestamp(3) - (i / 3) * interval '1 second'
         FROM (
           SELECT i, gen_random_uuid()::text AS id,
                  ($1::text[])[CASE WHEN i % $3 = 0 THEN 1 ELSE 2 + i % ($4::int - 1) END] AS "authorId"
           FROM generate_series($5::int - 1, 0, -1) AS i
         ) AS planned`,
        [plan.authors, pgTimestamp(plan.newest), plan.prolificEvery, plan.authors.length, plan.posts],
      );
      await client.query('ALTER TABLE "Post" ENABLE TRIGGER USER');
      await client.query(
        `UPDATE "User" u SET "postCount" = counted.n
         FROM (SELECT "authorId", COUNT(*)::int AS n FROM "Post" GROUP BY "authorId") AS counted
         WHERE u."id" = counted."authorId"`,
      );
      await client.query(`SET maintenance_work_mem = '256MB'`);
      for (const { name, definition } of constraints.rows)
        await client.query(`ALTER TABLE "Post" ADD CONSTRAINT "${name}" ${definition}`);
      for (const { definition } of indexes.rows) await client.query(definition);
      for (const { name, table, definition } of references.rows)
        await client.query(`ALTER TABLE ${table} ADD CONSTRAINT "${name}" ${definition}`);
      await client.query('RESET maintenance_work_mem');
    },

    async maintain() {
      // What autovacuum does on its own soon after a bulk insert; done now, so the plans do not
      // change halfway through the measurements.
      await client.query('VACUUM (ANALYZE) "Post", "User", "Follow"');
    },

    async samplePositions(count, authorId) {
      const result = await client.query<{ createdAt: string; id: string }>(
        `SELECT to_char("createdAt", ${ISO_UTC}) AS "createdAt", "id" FROM "Post"
         WHERE "createdAt" > (SELECT "createdAt" FROM "Post" WHERE true ${byAuthor(authorId, 2)}
                              ORDER BY "createdAt" ASC, "id" ASC LIMIT 1 OFFSET 20)
           ${byAuthor(authorId, 2)}
         ORDER BY random() LIMIT $1`,
        [count, ...(authorId === undefined ? [] : [authorId])],
      );
      return result.rows.map(toPosition);
    },

    async samplePositionsNewerThan(count, newerThan) {
      const result = await client.query<{ createdAt: string; id: string }>(
        `SELECT to_char("createdAt", ${ISO_UTC}) AS "createdAt", "id" FROM "Post"
         WHERE "createdAt" > $2::timestamp(3) ORDER BY random() LIMIT $1`,
        [count, pgTimestamp(newerThan)],
      );
      return result.rows.map(toPosition);
    },

    async homePageAfter(position, take, viewerId) {
      const result = await client.query<{ createdAt: string; id: string }>(
        `SELECT to_char("createdAt", ${ISO_UTC}) AS "createdAt", "id" FROM "Post"
         WHERE ("createdAt", "id") < ($1::timestamp(3), $2)
           AND ("authorId" = $4 OR "authorId" IN (SELECT "followeeId" FROM "Follow" WHERE "followerId" = $4))
         ORDER BY "createdAt" DESC, "id" DESC LIMIT $3`,
        [pgTimestamp(position.createdAt), position.id, take, viewerId],
      );
      return result.rows.map(toPosition);
    },

    async pageAfter(position, take, authorId) {
      const result = await client.query<{ createdAt: string; id: string }>(
        `SELECT to_char("createdAt", ${ISO_UTC}) AS "createdAt", "id" FROM "Post"
         WHERE ("createdAt", "id") < ($1::timestamp(3), $2) ${byAuthor(authorId, 4)}
         ORDER BY "createdAt" DESC, "id" DESC LIMIT $3`,
        [pgTimestamp(position.createdAt), position.id, take, ...(authorId === undefined ? [] : [authorId])],
      );
      return result.rows.map(toPosition);
    },

    async explain({ sql, values }) {
      const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values);
      return ['QUERY PLAN', ...result.rows.map((row) => `  ${row['QUERY PLAN']}`)];
    },

    async close() {
      await client.end();
    },
  };
}
