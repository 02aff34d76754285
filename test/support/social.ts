// Follows, likes and comments as a client sends them, and the rows they leave, for the social tests
// (test/follows.test.ts, likes, comments, home-feed, social-*).
import { randomUUID } from 'node:crypto';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import type { TestUser } from './accounts.ts';
import { rawGql } from './http.ts';
import { dbIdOf, globalIdOf } from './ids.ts';
import type { GqlResponse, TestServer } from './server.ts';
import { type AnyDocument, textOf } from './typed.ts';

// The operations, typed (test/operations/social.ts): re-exported here beside the helpers that send them.
export { ADD_COMMENT, DELETE_COMMENT, FOLLOW, LIKE, UNFOLLOW, UNLIKE } from '../operations/social.ts';

import type { ADD_COMMENT } from '../operations/social.ts';

/** addComment's answer, as the typed document reads it. */
export type AddCommentData = ResultOf<typeof ADD_COMMENT>;

/** Sends the operation on a connection of its own (test/support/http.ts), so calls in a Promise.all really race. */
export async function parallelGql<D extends AnyDocument>(
  server: TestServer,
  document: D,
  variables: VariablesOf<D>,
  token: string,
): Promise<GqlResponse<ResultOf<D>>['body']>;
/** The same with the operation as text (a hostile or hand-built one). */
export async function parallelGql(
  server: TestServer,
  document: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<GqlResponse<any>['body']>;
export async function parallelGql(
  server: TestServer,
  document: AnyDocument | string,
  variables: any,
  token: string,
): Promise<GqlResponse<any>['body']> {
  const text = typeof document === 'string' ? document : textOf(document);
  const response = await rawGql(server.url, text, variables, { authorization: `Bearer ${token}` });
  if (response.json === undefined) throw new Error(`not JSON (${response.status}): ${response.text}`);
  return response.json as GqlResponse<unknown>['body'];
}

/** The code of the first error of an answer body, if any. */
export const codeIn = (body: GqlResponse['body']) => body.errors?.[0]?.extensions?.code;

/** Calls `fn` for every item at once and waits for all. */
export const allAtOnce = <T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>) =>
  Promise.all(items.map(fn));

/**
 * Signs up `count` users, two at a time: registration hashes a password, and one client may have at
 * most PASSWORD_CHECKS_IN_FLIGHT_PER_IP (2) of those running. The server needs REGISTER_MAX_PER_IP=0
 * for more than 20.
 */
export async function signUpMany(
  server: TestServer,
  count: number,
  signUp: (server: TestServer) => Promise<TestUser>,
): Promise<TestUser[]> {
  const users: TestUser[] = [];
  while (users.length < count) {
    const batch = Math.min(2, count - users.length);
    users.push(...(await Promise.all(Array.from({ length: batch }, () => signUp(server)))));
  }
  return users;
}

/** Inserts `count` users straight into the database (no password anyone knows), returning their ids. */
export async function seedUsers(server: TestServer, count: number, prefix = 'seeded'): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await server.db.user.createMany({
    data: ids.map((id, i) => ({
      id,
      email: `${prefix}_${i}_${id.slice(0, 8)}@example.com`,
      username: `${prefix}_${i}_${id.slice(0, 8)}`,
      hashedPassword: 'x',
    })),
  });
  await server.wroteBehindTheApp();
  return ids;
}

/** The Like, Comment and Follow rows as the database holds them, beside the stored counts. */
export async function likeRows(server: TestServer, postGlobalId: string) {
  const id = dbIdOf(postGlobalId);
  const [rows, post] = await Promise.all([
    server.db.like.count({ where: { postId: id } }),
    server.db.post.findUniqueOrThrow({ where: { id }, select: { likeCount: true } }),
  ]);
  return { rows, stored: post.likeCount };
}

export async function commentRows(server: TestServer, postGlobalId: string) {
  const id = dbIdOf(postGlobalId);
  const [rows, post] = await Promise.all([
    server.db.comment.count({ where: { postId: id } }),
    server.db.post.findUniqueOrThrow({ where: { id }, select: { commentCount: true } }),
  ]);
  return { rows, stored: post.commentCount };
}

export async function followRows(server: TestServer, userGlobalId: string) {
  const id = dbIdOf(userGlobalId);
  const [followers, following, user] = await Promise.all([
    server.db.follow.count({ where: { followeeId: id } }),
    server.db.follow.count({ where: { followerId: id } }),
    server.db.user.findUniqueOrThrow({ where: { id }, select: { followerCount: true, followingCount: true } }),
  ]);
  return { followers, following, storedFollowers: user.followerCount, storedFollowing: user.followingCount };
}

/** Inserts one image post by `author` straight into the database and returns its global id. */
export async function newPost(
  server: TestServer,
  author: Pick<TestUser, 'dbId'>,
  createdAt = new Date(),
): Promise<string> {
  const id = randomUUID();
  await server.db.post.create({
    data: {
      id,
      authorId: author.dbId,
      caption: 'a post',
      fileType: 'IMAGE',
      fileName: 'post.jpg',
      mimeType: 'image/jpeg',
      size: 1,
      storage: 'local',
      storageKey: `${author.dbId}/${id}.jpg`,
      createdAt,
    },
  });
  await server.wroteBehindTheApp();
  return globalIdOf('Post', id);
}

/**
 * Every stored count beside the rows it counts, for every user and post whose count differs: [] when
 * the database is consistent.
 */
export async function countMismatches(server: TestServer): Promise<string[]> {
  const [users, posts, follows, likes, comments, postRows] = await Promise.all([
    server.db.user.findMany({ select: { id: true, followerCount: true, followingCount: true, postCount: true } }),
    server.db.post.findMany({ select: { id: true, likeCount: true, commentCount: true } }),
    server.db.follow.findMany({ select: { followerId: true, followeeId: true } }),
    server.db.like.findMany({ select: { postId: true } }),
    server.db.comment.findMany({ select: { postId: true } }),
    server.db.post.findMany({ select: { authorId: true } }),
  ]);
  const tally = (ids: string[]) => {
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    return (id: string) => counts.get(id) ?? 0;
  };
  const followers = tally(follows.map((f) => f.followeeId));
  const following = tally(follows.map((f) => f.followerId));
  const postsBy = tally(postRows.map((p) => p.authorId));
  const likesOf = tally(likes.map((l) => l.postId));
  const commentsOf = tally(comments.map((c) => c.postId));
  return [
    ...users.flatMap((u) => [
      ...(u.followerCount === followers(u.id)
        ? []
        : [`user ${u.id} followerCount ${u.followerCount} != ${followers(u.id)}`]),
      ...(u.followingCount === following(u.id)
        ? []
        : [`user ${u.id} followingCount ${u.followingCount} != ${following(u.id)}`]),
      ...(u.postCount === postsBy(u.id) ? [] : [`user ${u.id} postCount ${u.postCount} != ${postsBy(u.id)}`]),
    ]),
    ...posts.flatMap((p) => [
      ...(p.likeCount === likesOf(p.id) ? [] : [`post ${p.id} likeCount ${p.likeCount} != ${likesOf(p.id)}`]),
      ...(p.commentCount === commentsOf(p.id)
        ? []
        : [`post ${p.id} commentCount ${p.commentCount} != ${commentsOf(p.id)}`]),
    ]),
  ];
}
