// Reporting (src/services/safety/reports.ts, src/schema/safety.ts): reportPost, reportComment and
// reportUser, idempotent per reporter and target, never your own; the note's rules; the target hidden
// from its reporter at once, and from everyone but its author and superusers at REPORTS_TO_HIDE distinct
// reporters; REPORT_MAX_PER_HOUR counted atomically.
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import { REPORT_COMMENT, REPORT_POST, REPORT_USER } from './support/safety.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { ADD_COMMENT, type AddCommentData, codeIn, newPost, parallelGql, signUpMany } from './support/social.ts';

const FEED = '{ feed(first: 100) { edges { node { id } } } }';
const POST = /* GraphQL */ `
  query($id: ID!) { post(id: $id) { id } node(id: $id) { id ... on Post {
    comments(first: 50) { edges { node { id } } } author { posts(first: 50) { edges { node { id } } } } } } }
`;
const PERSON = 'query($username: String!) { userByUsername(username: $username) { id } }';

let server: TestServer;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer({ REGISTER_MAX_PER_IP: '0', REPORT_MAX_PER_HOUR: '0' });
  admin = await signUp(server, { superuser: true });
});
afterAll(() => server?.close());

async function data<T>(query: string | DocumentNode, variables: Record<string, unknown>, user: TestUser): Promise<T> {
  const res = await server.gql<T>(query, variables, user.token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}
const feedIds = async (user: TestUser) =>
  (await data<{ feed: { edges: { node: { id: string } }[] } }>(FEED, {}, user)).feed.edges.map((edge) => edge.node.id);
type PostData = {
  post: { id: string } | null;
  node: {
    id: string;
    comments: { edges: { node: { id: string } }[] };
    author: { posts: { edges: { node: { id: string } }[] } };
  } | null;
};
const postAs = (user: TestUser, id: string) => data<PostData>(POST, { id }, user);
const seesPost = async (user: TestUser, id: string) => {
  const seen = await postAs(user, id);
  const inFeed = (await feedIds(user)).includes(id);
  return { post: seen.post !== null, node: seen.node !== null, inFeed };
};
const SEEN = { post: true, node: true, inFeed: true };
const UNSEEN = { post: false, node: false, inFeed: false };
const comment = async (user: TestUser, postId: string) =>
  (await data<AddCommentData>(ADD_COMMENT, { postId, body: 'a comment' }, user)).addComment.id;
const commentsSeen = async (user: TestUser, postId: string) =>
  (await postAs(user, postId)).node!.comments.edges.map((edge) => edge.node.id);
const report = (mutation: string, variables: Record<string, unknown>, user: TestUser) =>
  data<Record<string, boolean>>(mutation, { reason: 'SPAM', ...variables }, user);

describe('reporting', () => {
  it('reportPost answers true, and again true without a second report', async () => {
    const [author, reporter] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    expect(await report(REPORT_POST, { postId: post, note: '  Looks like a scam \r\n' }, reporter)).toEqual({
      reportPost: true,
    });
    expect(await report(REPORT_POST, { postId: post, reason: 'HATE' }, reporter)).toEqual({ reportPost: true });
    const cases = await server.db.moderationCase.findMany({
      where: { targetId: dbIdOf(post) },
      include: { reports: true },
    });
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ targetType: 'POST', reportCount: 1, hidden: false, authorId: author.dbId });
    expect(cases[0]!.reports).toMatchObject([{ reporterId: reporter.dbId, reason: 'SPAM', note: 'Looks like a scam' }]);
  });

  it('refuses your own content and yourself with BAD_USER_INPUT, naming the argument', async () => {
    const author = await signUp(server);
    const post = await newPost(server, author);
    const own = await comment(author, post);
    for (const [mutation, variables, field] of [
      [REPORT_POST, { postId: post }, 'postId'],
      [REPORT_COMMENT, { commentId: own }, 'commentId'],
      [REPORT_USER, { userId: author.id }, 'userId'],
    ] as const) {
      const res = await server.gql(mutation, { ...variables, reason: 'SPAM' }, author.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.extensions).toMatchObject({ field });
    }
    expect(await server.db.report.count({ where: { reporterId: author.dbId } })).toBe(0);
  });

  it('answers hostile input with stable codes: a wrong id type, no such target, a bad reason, a bad note', async () => {
    const [author, reporter] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    const nobody = '00000000-0000-4000-8000-000000000000';
    const cases: [string, Record<string, unknown>, string][] = [
      [REPORT_POST, { postId: author.id }, 'BAD_USER_INPUT'],
      [REPORT_COMMENT, { commentId: post }, 'BAD_USER_INPUT'],
      [REPORT_USER, { userId: post }, 'BAD_USER_INPUT'],
      [REPORT_POST, { postId: globalIdOf('Post', nobody) }, 'NOT_FOUND'],
      [REPORT_COMMENT, { commentId: globalIdOf('Comment', nobody) }, 'NOT_FOUND'],
      [REPORT_USER, { userId: globalIdOf('User', nobody) }, 'NOT_FOUND'],
      [REPORT_POST, { postId: 'garbage' }, 'NOT_FOUND'],
      [REPORT_POST, { postId: post, reason: 'BORING' }, 'BAD_USER_INPUT'],
      [REPORT_POST, { postId: post, note: 'x'.repeat(1001) }, 'BAD_USER_INPUT'],
      [REPORT_POST, { postId: post, note: 'null\u0000byte' }, 'BAD_USER_INPUT'],
      [REPORT_POST, { postId: post, note: 'flip\u202Etxt' }, 'BAD_USER_INPUT'],
    ];
    for (const [mutation, variables, code] of cases) {
      const res = await server.gql(mutation, { reason: 'SPAM', ...variables }, reporter.token);
      expect([res.status, errorCode(res)]).toEqual([expect.any(Number), code]);
      expect(res.status).toBeLessThan(500);
    }
    expect(await server.db.report.count({ where: { reporterId: reporter.dbId } })).toBe(0);
    // A note of exactly 1,000 characters (code points) is fine.
    expect(await report(REPORT_POST, { postId: post, note: '😀'.repeat(1000) }, reporter)).toEqual({
      reportPost: true,
    });
    expect(errorCode(await server.gql(REPORT_POST, { postId: post, reason: 'SPAM' }))).toBe('UNAUTHENTICATED');
  });

  it('hides a reported post from its reporter at once, and from nobody else', async () => {
    const [author, reporter, other] = [await signUp(server), await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    for (const user of [author, reporter, other]) expect(await seesPost(user, post)).toEqual(SEEN);
    await report(REPORT_POST, { postId: post }, reporter);
    expect(await seesPost(reporter, post)).toEqual(UNSEEN);
    // Not on the author's page either (User.posts), for the reporter.
    const byAuthor = (await postAs(other, post)).node!.author.posts.edges.map((edge) => edge.node.id);
    expect(byAuthor).toContain(post);
    const postsOf = async (user: TestUser) =>
      (
        await data<{ userByUsername: { posts: { edges: { node: { id: string } }[] } } }>(
          'query($username: String!) { userByUsername(username: $username) { posts { edges { node { id } } } } }',
          { username: author.username },
          user,
        )
      ).userByUsername.posts.edges.map((edge) => edge.node.id);
    expect(await postsOf(reporter)).not.toContain(post);
    expect(await postsOf(other)).toContain(post);
    for (const user of [author, other, admin]) expect(await seesPost(user, post)).toEqual(SEEN);
  });

  it('hides a reported comment from its reporter at once', async () => {
    const [author, writer, reporter] = [await signUp(server), await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    const theirs = await comment(writer, post);
    const mine = await comment(reporter, post);
    await report(REPORT_COMMENT, { commentId: theirs }, reporter);
    expect(await commentsSeen(reporter, post)).toEqual([mine]);
    expect(await commentsSeen(author, post)).toEqual([theirs, mine]);
    const node = await data<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id: theirs }, reporter);
    expect(node.node).toBeNull();
  });

  it('hides a reported account from its reporter at once, with its posts and comments', async () => {
    const [author, reporter, other] = [await signUp(server), await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    const theirs = await comment(author, post);
    const otherPost = await newPost(server, other);
    const onOther = await comment(author, otherPost);
    await report(REPORT_USER, { userId: author.id }, reporter);
    expect(
      (await data<{ userByUsername: unknown }>(PERSON, { username: author.username }, reporter)).userByUsername,
    ).toBeNull();
    expect(await seesPost(reporter, post)).toEqual(UNSEEN);
    expect(await commentsSeen(reporter, otherPost)).not.toContain(onOther);
    expect(await commentsSeen(other, otherPost)).toEqual([onOther]);
    expect(
      (await data<{ userByUsername: unknown }>(PERSON, { username: author.username }, other)).userByUsername,
    ).toEqual({
      id: author.id,
    });
    expect(theirs).toBeTruthy();
  });
});

describe('hidden for everyone at REPORTS_TO_HIDE (3) distinct reporters', () => {
  it('a post: seen by all after 2 reports, by its author and superusers only after the 3rd', async () => {
    const author = await signUp(server);
    const [r1, r2, r3, other] = (await signUpMany(server, 4, signUp)) as [TestUser, TestUser, TestUser, TestUser];
    const post = await newPost(server, author);
    // The cached feed page holds the post for everyone first.
    for (const user of [author, other, admin]) expect(await seesPost(user, post)).toEqual(SEEN);
    await report(REPORT_POST, { postId: post }, r1);
    await report(REPORT_POST, { postId: post }, r1);
    await report(REPORT_POST, { postId: post }, r2);
    expect(await seesPost(other, post)).toEqual(SEEN);
    await report(REPORT_POST, { postId: post }, r3);
    expect(await seesPost(other, post)).toEqual(UNSEEN);
    for (const user of [author, admin]) expect(await seesPost(user, post)).toEqual(SEEN);
    // The author's own page keeps it for the author.
    const own = (await postAs(author, post)).node!.author.posts.edges.map((edge) => edge.node.id);
    expect(own).toContain(post);
    const row = await server.db.moderationCase.findUniqueOrThrow({ where: { targetId: dbIdOf(post) } });
    expect(row).toMatchObject({ reportCount: 3, hidden: true });
  });

  it('a comment: hidden from all but its author and superusers at the 3rd reporter', async () => {
    const [author, writer, other] = [await signUp(server), await signUp(server), await signUp(server)];
    const reporters = await signUpMany(server, 3, signUp);
    const post = await newPost(server, author);
    const theirs = await comment(writer, post);
    for (const reporter of reporters) await report(REPORT_COMMENT, { commentId: theirs }, reporter);
    expect(await commentsSeen(other, post)).toEqual([]);
    expect(await commentsSeen(author, post)).toEqual([]);
    expect(await commentsSeen(writer, post)).toEqual([theirs]);
    expect(await commentsSeen(admin, post)).toEqual([theirs]);
  });

  it('an account: null to everyone else by username, still itself to itself', async () => {
    const [target, other] = [await signUp(server), await signUp(server)];
    const reporters = await signUpMany(server, 3, signUp);
    for (const reporter of reporters) await report(REPORT_USER, { userId: target.id }, reporter);
    const person = (user: TestUser) => data<{ userByUsername: unknown }>(PERSON, { username: target.username }, user);
    expect((await person(other)).userByUsername).toBeNull();
    expect((await person(target)).userByUsername).toEqual({ id: target.id });
    expect((await person(admin)).userByUsername).toEqual({ id: target.id });
  });

  it('6 reporters at once: one case, 6 reports counted, hidden', async () => {
    const author = await signUp(server);
    const reporters = await signUpMany(server, 6, signUp);
    const post = await newPost(server, author);
    const answers = await Promise.all(
      reporters.map((reporter) => parallelGql(server, REPORT_POST, { postId: post, reason: 'SPAM' }, reporter.token)),
    );
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const row = await server.db.moderationCase.findUniqueOrThrow({
      where: { targetId: dbIdOf(post) },
      include: { _count: { select: { reports: true } } },
    });
    expect(row).toMatchObject({ reportCount: 6, hidden: true, _count: { reports: 6 } });
  });
});

describe('REPORT_MAX_PER_HOUR', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ REPORT_MAX_PER_HOUR: '3' });
  });
  afterAll(() => limited?.close());

  it('lets exactly 3 of 8 reports sent at once through, and writes nothing for the others', async () => {
    const reporter = await signUp(limited);
    const author = await signUp(limited);
    const posts = await Promise.all(Array.from({ length: 8 }, () => newPost(limited, author)));
    const answers = await Promise.all(
      posts.map((postId) => parallelGql(limited, REPORT_POST, { postId, reason: 'SPAM' }, reporter.token)),
    );
    const codes = answers.map(codeIn);
    expect(codes.filter((code) => code === undefined)).toHaveLength(3);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(5);
    const limitedAnswer = answers.find((answer) => codeIn(answer) === 'RATE_LIMITED')!;
    expect(limitedAnswer.errors![0]!.extensions).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect(await limited.db.report.count({ where: { reporterId: reporter.dbId } })).toBe(3);
  });
});
