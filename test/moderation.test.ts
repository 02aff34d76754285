// Moderation (src/services/safety/moderation.ts, src/schema/moderation.ts): the queue of open reports,
// oldest first, one item per target; DISMISS, REMOVE and DEACTIVATE_AUTHOR through the services that
// already delete posts (media included) and comments and deactivate accounts (signing them out
// everywhere); every decision in moderationLog; superusers only; reporters never named.
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import {
  LOG,
  type LogData,
  MODERATE,
  type ModerateData,
  QUEUE,
  type QueueData,
  REPORT_COMMENT,
  REPORT_POST,
  REPORT_USER,
} from './support/safety.ts';
import { errorCode, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { ADD_COMMENT, type AddCommentData, newPost, parallelGql, signUpMany } from './support/social.ts';
import { uploadPost } from './support/upload.ts';

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
const report = (mutation: string, variables: Record<string, unknown>, user: TestUser, reason = 'SPAM') =>
  data(mutation, { reason, ...variables }, user);
const queue = async () =>
  (await data<QueueData>(QUEUE, { first: 100 }, admin)).moderationQueue.edges.map((e) => e.node);
const itemFor = async (id: string) => (await queue()).find((item) => item.target.id === id);
const moderate = (targetId: string, action: string, note?: string) =>
  data<ModerateData>(MODERATE, { targetId, action, note }, admin);
const log = async () => (await data<LogData>(LOG, { first: 100 }, admin)).moderationLog.edges.map((e) => e.node);
const canSee = async (user: TestUser, postId: string) =>
  (await data<{ post: unknown }>('query($id: ID!) { post(id: $id) { id } }', { id: postId }, user)).post !== null;

describe('access', () => {
  it('is for superusers: FORBIDDEN for anyone else, UNAUTHENTICATED without a token', async () => {
    const user = await signUp(server);
    const post = await newPost(server, admin);
    for (const [query, variables] of [
      [QUEUE, {}],
      [LOG, {}],
      [MODERATE, { targetId: post, action: 'DISMISS' }],
    ] as const) {
      expect(errorCode(await server.gql(query, variables, user.token))).toBe('FORBIDDEN');
      expect(errorCode(await server.gql(query, variables))).toBe('UNAUTHENTICATED');
    }
  });
});

describe('moderationQueue', () => {
  it('one item per open target, oldest first report first, with the count, the reasons once each, and whether hidden', async () => {
    await server.db.moderationCase.deleteMany();
    const author = await signUp(server);
    const reporters = await signUpMany(server, 4, signUp);
    const post = await newPost(server, author);
    const note = (await data<AddCommentData>(ADD_COMMENT, { postId: post, body: 'rude' }, author)).addComment.id;
    await report(REPORT_POST, { postId: post }, reporters[0]!, 'SPAM');
    await report(REPORT_COMMENT, { commentId: note }, reporters[0]!, 'HARASSMENT');
    await report(REPORT_POST, { postId: post }, reporters[1]!, 'HATE');
    await report(REPORT_POST, { postId: post }, reporters[2]!, 'SPAM');
    await report(REPORT_USER, { userId: author.id }, reporters[3]!, 'OTHER');
    const items = await queue();
    expect(items.map((item) => [item.target.__typename, item.target.id])).toEqual([
      ['Post', post],
      ['Comment', note],
      ['User', author.id],
    ]);
    expect(items[0]).toMatchObject({ reportCount: 3, reasons: ['SPAM', 'HATE'], hidden: true });
    expect(items[1]).toMatchObject({ reportCount: 1, reasons: ['HARASSMENT'], hidden: false });
    expect(items[2]).toMatchObject({ reportCount: 1, reasons: ['OTHER'], hidden: false });
    expect(Date.parse(items[0]!.firstReportedAt)).toBeLessThanOrEqual(Date.parse(items[1]!.firstReportedAt));
    // Pages without gaps.
    const first = (await data<QueueData>(QUEUE, { first: 2 }, admin)).moderationQueue;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await data<QueueData>(QUEUE, { first: 2, after: first.pageInfo.endCursor }, admin)).moderationQueue;
    expect([...first.edges, ...rest.edges].map((edge) => edge.node.target.id)).toEqual([post, note, author.id]);
    // Nothing in the schema names a reporter.
    const fields = await server.gql<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "ModerationItem") { fields { name } } }',
      {},
      admin.token,
    );
    expect(fields.body.data!.__type.fields.map((field) => field.name).sort()).toEqual(
      ['firstReportedAt', 'hidden', 'reasons', 'reportCount', 'target'].sort(),
    );
  });
});

describe('moderate', () => {
  it('DISMISS closes the reports and shows the target again, to everyone and to its reporters', async () => {
    const [author, other] = [await signUp(server), await signUp(server)];
    const reporters = await signUpMany(server, 3, signUp);
    const post = await newPost(server, author);
    for (const reporter of reporters) await report(REPORT_POST, { postId: post }, reporter);
    expect(await canSee(other, post)).toBe(false);
    expect(await canSee(reporters[0]!, post)).toBe(false);
    const answer = await moderate(post, 'DISMISS', 'Not spam');
    expect(answer.moderate).toMatchObject({ target: { id: post }, reportCount: 3, hidden: false });
    expect(await itemFor(post)).toBeUndefined();
    for (const user of [other, ...reporters]) expect(await canSee(user, post)).toBe(true);
    expect(await server.db.report.count({ where: { case: { targetId: dbIdOf(post) } } })).toBe(0);
    // Deciding again: there is nothing open.
    expect(errorCode(await server.gql(MODERATE, { targetId: post, action: 'DISMISS' }, admin.token))).toBe('NOT_FOUND');
    // A new report opens a new case.
    await report(REPORT_POST, { postId: post }, reporters[0]!);
    expect(await itemFor(post)).toMatchObject({ reportCount: 1 });
  });

  it('REMOVE deletes a post with its media', async () => {
    const [author, reporter] = [await signUp(server), await signUp(server)];
    const uploaded = (await uploadPost(server.url, { token: author.token, fixture: 'photo.png' })).body.data!
      .uploadPost;
    expect((await fetch(uploaded.url)).status).toBe(200);
    await report(REPORT_POST, { postId: uploaded.id }, reporter);
    const answer = await moderate(uploaded.id, 'REMOVE');
    expect(answer.moderate).toMatchObject({ target: { __typename: 'Post', id: uploaded.id }, reportCount: 1 });
    expect(await server.db.post.count({ where: { id: dbIdOf(uploaded.id) } })).toBe(0);
    expect((await fetch(uploaded.url)).status).toBe(404);
    expect((await filesUnder(server.config.uploadDir)).filter((file) => file.includes(author.dbId))).toEqual([]);
  });

  it('REMOVE deletes a comment', async () => {
    const [author, writer, reporter] = [await signUp(server), await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    const comment = (await data<AddCommentData>(ADD_COMMENT, { postId: post, body: 'x' }, writer)).addComment.id;
    await report(REPORT_COMMENT, { commentId: comment }, reporter);
    await moderate(comment, 'REMOVE');
    expect(await server.db.comment.count({ where: { id: dbIdOf(comment) } })).toBe(0);
    expect(await server.db.post.count({ where: { id: dbIdOf(post) } })).toBe(1);
  });

  it('REMOVE deactivates a reported account and signs it out', async () => {
    const [target, reporter] = [await signUp(server), await signUp(server)];
    await report(REPORT_USER, { userId: target.id }, reporter);
    await moderate(target.id, 'REMOVE');
    const row = await server.db.user.findUniqueOrThrow({ where: { id: target.dbId } });
    expect(row.isActive).toBe(false);
    expect(errorCode(await server.gql('{ feed { edges { node { id } } } }', {}, target.token))).toBe('UNAUTHENTICATED');
  });

  it('DEACTIVATE_AUTHOR deactivates the author, signs them out everywhere, and keeps the post hidden', async () => {
    const [author, reporter, other] = [await signUp(server), await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    await report(REPORT_POST, { postId: post }, reporter);
    expect(await canSee(other, post)).toBe(true);
    const answer = await moderate(post, 'DEACTIVATE_AUTHOR', 'Repeat offender');
    expect(answer.moderate).toMatchObject({ hidden: true });
    expect((await server.db.user.findUniqueOrThrow({ where: { id: author.dbId } })).isActive).toBe(false);
    expect(await server.db.session.count({ where: { userId: author.dbId } })).toBe(0);
    expect(errorCode(await server.gql('{ me { id } feed { edges { node { id } } } }', {}, author.token))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await canSee(other, post)).toBe(false);
    expect(await canSee(admin, post)).toBe(true);
  });

  it('two moderators deciding at once: one decision, the other NOT_FOUND', async () => {
    const second = await signUp(server, { superuser: true });
    const [author, reporter] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    await report(REPORT_POST, { postId: post }, reporter);
    const answers = await Promise.all(
      [admin, second].map((moderator) =>
        parallelGql(server, MODERATE, { targetId: post, action: 'DISMISS' }, moderator.token),
      ),
    );
    expect(answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'ok').sort()).toEqual(['NOT_FOUND', 'ok']);
    expect(await server.db.moderationDecision.count({ where: { targetId: dbIdOf(post) } })).toBe(1);
  });

  it('refuses hostile input with stable codes', async () => {
    const [author, reporter] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    await report(REPORT_POST, { postId: post }, reporter);
    const cases: [Record<string, unknown>, string][] = [
      [{ targetId: post, action: 'BAN' }, 'BAD_USER_INPUT'],
      [{ targetId: post, action: 'DISMISS', note: 'x'.repeat(1001) }, 'BAD_USER_INPUT'],
      [{ targetId: post, action: 'DISMISS', note: 'a\u0000b' }, 'BAD_USER_INPUT'],
      [{ targetId: globalIdOf('Session', dbIdOf(post)), action: 'DISMISS' }, 'BAD_USER_INPUT'],
      [{ targetId: 'garbage', action: 'DISMISS' }, 'NOT_FOUND'],
      [{ targetId: globalIdOf('Post', '00000000-0000-4000-8000-000000000000'), action: 'DISMISS' }, 'NOT_FOUND'],
    ];
    for (const [variables, code] of cases) {
      const res = await server.gql(MODERATE, variables, admin.token);
      expect(errorCode(res)).toBe(code);
      expect(res.status).toBeLessThan(500);
    }
    expect(await itemFor(post)).toMatchObject({ reportCount: 1 });
  });
});

describe('moderationLog', () => {
  it('keeps every decision, newest first: who, what, when, which target, which note', async () => {
    const [author, reporter] = [await signUp(server), await signUp(server)];
    const posts = [await newPost(server, author), await newPost(server, author)];
    for (const post of posts) await report(REPORT_POST, { postId: post }, reporter, 'VIOLENCE');
    const before = Date.now();
    await moderate(posts[0]!, 'DISMISS', 'Fine');
    await moderate(posts[1]!, 'REMOVE');
    const entries = await log();
    expect(entries.slice(0, 2)).toMatchObject([
      {
        moderator: { id: admin.id },
        action: 'REMOVE',
        targetId: posts[1],
        reasons: ['VIOLENCE'],
        reportCount: 1,
        note: null,
      },
      {
        moderator: { id: admin.id },
        action: 'DISMISS',
        targetId: posts[0],
        reasons: ['VIOLENCE'],
        reportCount: 1,
        note: 'Fine',
      },
    ]);
    expect(Date.parse(entries[0]!.createdAt)).toBeGreaterThanOrEqual(before - 1000);
  });
});
