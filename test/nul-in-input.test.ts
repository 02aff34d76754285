// U+0000 in what a client sends. PostgreSQL text cannot hold it, so a query carrying one fails there
// (an INTERNAL error) where SQLite simply finds nothing: each input that reaches SQL refuses it first,
// with the same answer on both databases (the PostgreSQL pass runs this file against PostgreSQL).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTER, signUp, type TestUser } from './support/accounts.ts';
import { globalIdOf } from './support/ids.ts';
import { errorCode, FIXTURES, startTestServer, type TestServer } from './support/server.ts';
import { UPLOAD_POST, type UploadPostData, uploadPost } from './support/upload.ts';

let server: TestServer;
let admin: TestUser;
let alice: TestUser;
let postId: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUp(server, { superuser: true, name: 'nul_admin' });
  alice = await signUp(server, { name: 'nul_alice' });
  postId = (await uploadPost(server.url, { token: alice.token })).body.data!.uploadPost.id;
});
afterAll(() => server?.close());

const NUL = '\u0000';

/** The answer's first error code and field, and whether the server logged anything above info. */
async function outcome(query: string, variables: Record<string, unknown>, token: string | null) {
  const before = server.logs.length;
  const res = await server.gql(query, variables, token);
  const error = res.body.errors?.[0];
  const loud = server.logs.slice(before).filter((line) => /"level":"(error|warn)"/.test(line));
  return { code: errorCode(res), field: error?.extensions?.field, loud };
}

describe('an id holding U+0000', () => {
  // A real post's and user's id with U+0000 added, and one made only of it.
  const ids = () => ({
    post: globalIdOf('Post', `${alice.dbId.slice(0, 8)}${NUL}`),
    user: globalIdOf('User', `${alice.dbId}${NUL}`),
    bare: globalIdOf('Post', NUL),
  });

  it.each([
    ['post', 'query($id: ID!) { post(id: $id) { id } }', 'post'],
    ['post, an id of U+0000 alone', 'query($id: ID!) { post(id: $id) { id } }', 'bare'],
    ['node', 'query($id: ID!) { node(id: $id) { id } }', 'post'],
    ['deletePost', 'mutation($id: ID!) { deletePost(id: $id) }', 'post'],
    ['user', 'query($id: ID!) { user(id: $id) { id } }', 'user'],
    ['updateUser', 'mutation($id: ID!) { updateUser(id: $id, input: { isActive: true }) { id } }', 'user'],
    ['deleteUser', 'mutation($id: ID!) { deleteUser(id: $id) }', 'user'],
  ] as const)('is NOT_FOUND in %s, as an id that is no id', async (_label, query, which) => {
    expect(await outcome(query, { id: ids()[which] }, admin.token)).toEqual({
      code: 'NOT_FOUND',
      field: undefined,
      loud: [],
    });
  });

  it('leaves the real post there', async () => {
    const res = await server.gql<{ post: { id: string } | null }>(
      'query($id: ID!) { post(id: $id) { id } }',
      { id: postId },
      alice.token,
    );
    expect(res.body.data?.post?.id).toBe(postId);
  });
});

describe('a string argument holding U+0000', () => {
  it.each([
    ['users(search:)', 'query($s: String) { users(search: $s) { edges { cursor } } }', { s: `alice${NUL}` }, 'search'],
    [
      'register, in the email',
      REGISTER,
      { input: { email: `nul${NUL}@example.com`, username: 'nul_user', password: 'correct horse battery' } },
      'email',
    ],
    [
      'register, in the username',
      REGISTER,
      { input: { email: 'nul@example.com', username: `nul${NUL}user`, password: 'correct horse battery' } },
      'username',
    ],
    [
      'login, in the email',
      'mutation($e: String!) { login(email: $e, password: "whatever1") { token } }',
      { e: `nul_alice${NUL}@example.com` },
      'email',
    ],
    [
      'updateUser, in the new email',
      'mutation($id: ID!, $e: String) { updateUser(id: $id, input: { email: $e }) { id } }',
      { e: `x${NUL}@example.com` },
      'email',
    ],
    [
      'updateUser, in the new username',
      'mutation($id: ID!, $u: String) { updateUser(id: $id, input: { username: $u }) { id } }',
      { u: `x${NUL}y` },
      'username',
    ],
    [
      'feed(after:), in the cursor',
      'query($after: String) { feed(after: $after) { edges { cursor } } }',
      { after: Buffer.from(`2026-01-01T00:00:00.000Z|${NUL}`).toString('base64url') },
      'cursor',
    ],
  ])('is BAD_USER_INPUT naming the field: %s', async (_label, query, variables, field) => {
    const withUser = { id: alice.id, ...variables };
    expect(await outcome(query, withUser, admin.token)).toEqual({ code: 'BAD_USER_INPUT', field, loud: [] });
  });

  it('is BAD_USER_INPUT in a caption, and nothing is stored', async () => {
    const before = await server.db.post.count();
    const res = await uploadPost(server.url, { token: alice.token, caption: `a${NUL}b` });
    expect({ code: errorCode(res), field: res.body.errors?.[0]?.extensions?.field }).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'caption',
    });
    expect(await server.db.post.count()).toBe(before);
  });

  it('is left out of a file name, which is display data', async () => {
    // A part header cannot carry U+0000 itself (busboy refuses it); RFC 5987's filename* can, escaped.
    const boundary = 'nul-boundary';
    const photo = await readFile(path.join(FIXTURES, 'photo.jpg'));
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n` +
          `${JSON.stringify({ query: UPLOAD_POST, variables: { file: null } })}\r\n` +
          `--${boundary}\r\ncontent-disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
          `--${boundary}\r\ncontent-disposition: form-data; name="0"; filename*=utf-8''sun%00set.jpg\r\n` +
          'content-type: image/jpeg\r\n\r\n',
      ),
      photo,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${alice.token}`,
      },
      body,
    });
    const answer = (await res.json()) as { data?: UploadPostData };
    expect(answer.data?.uploadPost.fileName).toBe('sunset.jpg');
  });
});
