// Comments and caption edits (src/services/social/comments.ts, src/schema/comments.ts, updatePost): the
// text rules shared with captions, who may delete a comment, comments oldest first, commentCount exact
// under concurrency, and COMMENT_MAX_PER_HOUR on top of SOCIAL_ACTIONS_MAX_PER_HOUR.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE_POST, UPDATE_CAPTION } from './operations/posts.ts';
import { COMMENT_BODY, COMMENTS } from './operations/social.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import {
  ADD_COMMENT,
  allAtOnce,
  codeIn,
  commentRows,
  DELETE_COMMENT,
  LIKE,
  newPost,
  parallelGql,
  seedUsers,
  signUpMany,
} from './support/social.ts';
import { gqlTyped, onType } from './support/typed.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer({ REGISTER_MAX_PER_IP: '0' });
  alice = await signUp(server);
  bob = await signUp(server);
  carol = await signUp(server);
  admin = await signUp(server, { superuser: true });
});
afterAll(() => server?.close());

const comment = async (post: string, user: TestUser, body = 'Nice one') => {
  const res = await gqlTyped(server, ADD_COMMENT, { postId: post, body }, user.token);
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.addComment;
};

const commentsOf = async (post: string, viewer: TestUser, first?: number, after?: string | null) =>
  onType((await gqlTyped(server, COMMENTS, { id: post, first, after }, viewer.token)).body.data!.node);

describe('addComment', () => {
  it('answers the comment with its author and the post’s fresh count; others see it, not as theirs', async () => {
    const post = await newPost(server, bob);
    const added = await comment(post, alice, '  Lovely\r\nlight  ');
    expect(added).toMatchObject({
      body: 'Lovely\nlight',
      isOwner: true,
      author: { id: alice.id, username: alice.username },
      post: { id: post, commentCount: 1 },
    });
    const seen = await commentsOf(post, bob);
    expect(seen.commentCount).toBe(1);
    expect(seen.comments.edges.map((edge) => edge.node)).toEqual([
      {
        id: added.id,
        body: 'Lovely\nlight',
        isOwner: false,
        author: { id: alice.id, username: alice.username },
        post: { id: post },
      },
    ]);
    const byNode = await gqlTyped(server, COMMENT_BODY, { id: added.id }, carol.token);
    expect(byNode.body.data!.node).toEqual({ body: 'Lovely\nlight' });
  });

  it('refuses an empty or whitespace body with BAD_USER_INPUT on the field body', async () => {
    const post = await newPost(server, bob);
    for (const body of ['', '   ', '\n\t \r\n']) {
      const res = await gqlTyped(server, ADD_COMMENT, { postId: post, body }, alice.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.extensions).toMatchObject({ field: 'body' });
    }
    expect(await commentRows(server, post)).toEqual({ rows: 0, stored: 0 });
  });

  it('holds 2,200 characters counted in code points, and refuses 2,201 or a control character', async () => {
    const post = await newPost(server, bob);
    const emoji = '🌊'.repeat(2200);
    expect((await comment(post, alice, emoji)).body).toBe(emoji);
    expect((await comment(post, alice, 'a'.repeat(2200))).body).toHaveLength(2200);
    expect((await comment(post, alice, 'tab\tand\nnewline')).body).toBe('tab\tand\nnewline');
    for (const body of [`${emoji}x`, 'a'.repeat(2201), 'nul\u0000', 'bell\u0007', 'delete\u007f', 'c1\u009b31m']) {
      const res = await gqlTyped(server, ADD_COMMENT, { postId: post, body }, alice.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.extensions).toMatchObject({ field: 'body' });
    }
    expect(await commentRows(server, post)).toEqual({ rows: 3, stored: 3 });
  });

  it('answers NOT_FOUND for a post that never was or is gone, BAD_USER_INPUT for an id of another type', async () => {
    const gone = await newPost(server, bob);
    await gqlTyped(server, DELETE_POST, { id: gone }, bob.token);
    for (const postId of [globalIdOf('Post', randomUUID()), gone, 'not an id', globalIdOf('Post', 'a\u0000b')]) {
      expect(errorCode(await gqlTyped(server, ADD_COMMENT, { postId, body: 'hi' }, alice.token))).toBe('NOT_FOUND');
    }
    const wrongType = await gqlTyped(server, ADD_COMMENT, { postId: bob.id, body: 'hi' }, alice.token);
    expect(errorCode(wrongType)).toBe('BAD_USER_INPUT');
    expect(wrongType.body.errors![0]!.extensions).toMatchObject({ field: 'postId' });
    expect(errorCode(await gqlTyped(server, ADD_COMMENT, { postId: await newPost(server, bob), body: 'hi' }))).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('deleteComment', () => {
  it("is allowed to the comment's author, the post's author and a superuser, and FORBIDDEN to anyone else", async () => {
    const post = await newPost(server, bob);
    const mine = await comment(post, alice);
    const onBobsPost = await comment(post, alice);
    const forAdmin = await comment(post, alice);
    for (const outsider of [carol]) {
      const res = await gqlTyped(server, DELETE_COMMENT, { id: mine.id }, outsider.token);
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    expect(await commentRows(server, post)).toEqual({ rows: 3, stored: 3 });
    for (const [id, who] of [
      [mine.id, alice],
      [onBobsPost.id, bob],
      [forAdmin.id, admin],
    ] as const) {
      const res = await gqlTyped(server, DELETE_COMMENT, { id }, who.token);
      expect(res.body).toEqual({ data: { deleteComment: id } });
    }
    expect(await commentRows(server, post)).toEqual({ rows: 0, stored: 0 });
    expect((await commentsOf(post, carol)).commentCount).toBe(0);
  });

  it('answers NOT_FOUND for a comment that never was or is gone, BAD_USER_INPUT for an id of another type', async () => {
    const post = await newPost(server, bob);
    const gone = await comment(post, alice);
    await gqlTyped(server, DELETE_COMMENT, { id: gone.id }, alice.token);
    for (const id of [gone.id, globalIdOf('Comment', randomUUID()), 'not an id', globalIdOf('Comment', 'a\u0000b')]) {
      expect(errorCode(await gqlTyped(server, DELETE_COMMENT, { id }, alice.token))).toBe('NOT_FOUND');
    }
    const wrongType = await gqlTyped(server, DELETE_COMMENT, { id: post }, alice.token);
    expect(errorCode(wrongType)).toBe('BAD_USER_INPUT');
    expect(wrongType.body.errors![0]!.extensions).toMatchObject({ field: 'id' });
    expect(errorCode(await gqlTyped(server, DELETE_COMMENT, { id: (await comment(post, alice)).id }))).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('comments', () => {
  it('page oldest first, with no duplicates or gaps among comments sharing a timestamp', async () => {
    const post = await newPost(server, carol);
    const authors = await seedUsers(server, 4, 'commenter');
    const tie = new Date('2026-03-01T00:00:00.000Z');
    await server.db.comment.createMany({
      data: Array.from({ length: 26 }, (_, i) => ({
        postId: dbIdOf(post),
        authorId: authors[i % authors.length]!,
        body: `comment ${i}`,
        createdAt: i < 14 ? tie : new Date(tie.getTime() - i * 3),
      })),
    });
    const expected = await server.db.comment.findMany({
      where: { postId: dbIdOf(post) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: { author: true },
    });
    for (const first of [1, 6, 50]) {
      const seen: { id: string; body: string; author: { username: string } }[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await commentsOf(post, alice, first, after);
        const { edges, pageInfo } = page.comments;
        seen.push(...edges.map((edge) => edge.node));
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
      expect(seen.map((node) => [dbIdOf(node.id), node.body, node.author.username])).toEqual(
        expected.map((row) => [row.id, row.body, row.author.username]),
      );
    }
    const capped = await commentsOf(post, alice, 80);
    expect(capped.comments.edges).toHaveLength(26);
    expect(capped.commentCount).toBe(26);
  });

  it('caps a page at 50', async () => {
    const post = await newPost(server, carol);
    await server.db.comment.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({ postId: dbIdOf(post), authorId: alice.dbId, body: `c${i}` })),
    });
    const page = await commentsOf(post, bob, 70);
    expect(page.comments.edges).toHaveLength(50);
    expect(page.comments.pageInfo.hasNextPage).toBe(true);
    expect(page.commentCount).toBe(60);
  });
});

describe('comments sent at once', () => {
  let crowd: TestUser[];
  beforeAll(async () => {
    crowd = await signUpMany(server, 30, signUp);
  });

  it('counts 30 users and one user’s 20 comments sent at once exactly', async () => {
    const post = await newPost(server, bob);
    const answers = await allAtOnce([...crowd, ...Array.from({ length: 20 }, () => alice)], (user, i) =>
      parallelGql(server, ADD_COMMENT, { postId: post, body: `comment ${i}` }, user.token),
    );
    expect(answers.map(codeIn).filter(Boolean)).toEqual([]);
    expect(await commentRows(server, post)).toEqual({ rows: 50, stored: 50 });
    expect((await commentsOf(post, carol)).commentCount).toBe(50);
  });

  it('ends with the count equal to the rows when comments are added and deleted at once', async () => {
    const post = await newPost(server, bob);
    const existing = await Promise.all(crowd.slice(0, 15).map((user) => comment(post, user)));
    const answers = await allAtOnce(
      [
        ...existing.map((c, i) => ({ query: DELETE_COMMENT, variables: { id: c.id }, user: crowd[i]! })),
        // The post's author deletes the same comments at the same moment: one of each pair finds it gone.
        ...existing.map((c) => ({ query: DELETE_COMMENT, variables: { id: c.id }, user: bob })),
        ...crowd.slice(15).map((user) => ({ query: ADD_COMMENT, variables: { postId: post, body: 'late' }, user })),
      ],
      ({ query, variables, user }) => parallelGql(server, query, variables, user.token),
    );
    expect(answers.map(codeIn).filter((code) => code && code !== 'NOT_FOUND')).toEqual([]);
    expect(answers.filter((answer) => codeIn(answer) === 'NOT_FOUND')).toHaveLength(15);
    expect(await commentRows(server, post)).toEqual({ rows: 15, stored: 15 });
  });
});

describe('comment limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ COMMENT_MAX_PER_HOUR: '5', SOCIAL_ACTIONS_MAX_PER_HOUR: '8' });
  });
  afterAll(() => limited?.close());

  it('lets exactly 5 of 20 comments sent at once through (COMMENT_MAX_PER_HOUR), counting them as social actions too', async () => {
    const user = await signUp(limited);
    const post = await newPost(limited, user);
    const answers = await allAtOnce(Array.from({ length: 20 }), (_, i) =>
      parallelGql(limited, ADD_COMMENT, { postId: post, body: `c${i}` }, user.token),
    );
    expect(answers.filter((answer) => answer.data?.addComment)).toHaveLength(5);
    const refused = answers.filter((answer) => codeIn(answer) === 'RATE_LIMITED');
    expect(refused).toHaveLength(15);
    expect(refused[0]!.errors![0]!.message).toMatch(/At most 5 comments an hour/);
    expect(await commentRows(limited, post)).toEqual({ rows: 5, stored: 5 });
    // 5 of the 8 social actions are spent: three likes pass, the fourth does not.
    const others = await Promise.all(Array.from({ length: 4 }, () => newPost(limited, user)));
    for (const other of others.slice(0, 3)) {
      expect((await gqlTyped(limited, LIKE, { postId: other }, user.token)).body.errors).toBeUndefined();
    }
    expect(errorCode(await gqlTyped(limited, LIKE, { postId: others[3]! }, user.token))).toBe('RATE_LIMITED');
  });

  it('refuses comments once SOCIAL_ACTIONS_MAX_PER_HOUR is spent, even under COMMENT_MAX_PER_HOUR', async () => {
    const user = await signUp(limited);
    const posts = await Promise.all(Array.from({ length: 8 }, () => newPost(limited, user)));
    for (const post of posts)
      expect((await gqlTyped(limited, LIKE, { postId: post }, user.token)).body.errors).toBeUndefined();
    const res = await gqlTyped(limited, ADD_COMMENT, { postId: posts[0]!, body: 'one more' }, user.token);
    expect(errorCode(res)).toBe('RATE_LIMITED');
    expect(res.body.errors![0]!.message).toMatch(/At most 8 follows, likes and comments an hour/);
    expect(await limited.db.comment.count({ where: { authorId: user.dbId } })).toBe(0);
  });
});

describe('updatePost', () => {
  it('changes the caption, by the author only: FORBIDDEN to anyone else, a superuser included', async () => {
    const post = await newPost(server, bob);
    const res = await gqlTyped(server, UPDATE_CAPTION, { id: post, caption: '  Sunset\r\nat sea ' }, bob.token);
    expect(res.body).toEqual({ data: { updatePost: { id: post, caption: 'Sunset\nat sea' } } });
    for (const other of [alice, admin]) {
      expect(errorCode(await gqlTyped(server, UPDATE_CAPTION, { id: post, caption: 'mine now' }, other.token))).toBe(
        'FORBIDDEN',
      );
    }
    expect((await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post) } })).caption).toBe('Sunset\nat sea');
    for (const caption of [null, '', '  ']) {
      await gqlTyped(server, UPDATE_CAPTION, { id: post, caption: 'again' }, bob.token);
      const cleared = await gqlTyped(server, UPDATE_CAPTION, { id: post, caption }, bob.token);
      expect(cleared.body.data!.updatePost.caption).toBeNull();
    }
  });

  it('holds the caption rules: 2,200 code points, no control characters', async () => {
    const post = await newPost(server, bob);
    const emoji = '🌅'.repeat(2200);
    expect(
      (await gqlTyped(server, UPDATE_CAPTION, { id: post, caption: emoji }, bob.token)).body.data!.updatePost.caption,
    ).toBe(emoji);
    for (const caption of [`${emoji}x`, 'bell\u0007', 'nul\u0000']) {
      const res = await gqlTyped(server, UPDATE_CAPTION, { id: post, caption }, bob.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.extensions).toMatchObject({ field: 'caption' });
    }
    expect((await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post) } })).caption).toBe(emoji);
  });

  it('answers NOT_FOUND for a post that never was or is gone, BAD_USER_INPUT for an id of another type', async () => {
    const gone = await newPost(server, bob);
    await gqlTyped(server, DELETE_POST, { id: gone }, bob.token);
    for (const id of [gone, globalIdOf('Post', randomUUID()), 'not an id', globalIdOf('Post', 'a\u0000b')]) {
      expect(errorCode(await gqlTyped(server, UPDATE_CAPTION, { id, caption: 'x' }, bob.token))).toBe('NOT_FOUND');
    }
    const wrongType = await gqlTyped(server, UPDATE_CAPTION, { id: bob.id, caption: 'x' }, bob.token);
    expect(errorCode(wrongType)).toBe('BAD_USER_INPUT');
    expect(wrongType.body.errors![0]!.extensions).toMatchObject({ field: 'id' });
  });
});
