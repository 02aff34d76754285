import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE_POST as DELETE, POST_ID } from './operations/posts.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { globalIdOf } from './support/ids.ts';
import { errorCode, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
  bob = await signUp(server);
  admin = await signUp(server, { superuser: true });
});
afterAll(() => server?.close());

async function postBy(user: TestUser) {
  const res = await uploadPost(server.url, { token: user.token, fixture: 'photo.png' });
  return res.body.data!.uploadPost;
}

describe('deletePost', () => {
  it('lets the owner delete a post, removing its row and file', async () => {
    const post = await postBy(alice);
    expect((await fetch(post.url)).status).toBe(200);
    const res = await gqlTyped(server, DELETE, { id: post.id }, alice.token);
    expect(res.body).toEqual({ data: { deletePost: post.id } });
    expect(await server.db.post.count({ where: { authorId: alice.dbId } })).toBe(0);
    expect((await fetch(post.url)).status).toBe(404);
    expect(await filesUnder(server.config.uploadDir)).toEqual([]);
  });

  it('refuses anyone else with FORBIDDEN and changes nothing', async () => {
    const post = await postBy(alice);
    const res = await gqlTyped(server, DELETE, { id: post.id }, bob.token);
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect((await gqlTyped(server, POST_ID, { id: post.id }, bob.token)).body.data!.post!.id).toBe(post.id);
    expect((await fetch(post.url)).status).toBe(200);
  });

  it('lets a superuser delete anyone’s post', async () => {
    const post = await postBy(bob);
    const res = await gqlTyped(server, DELETE, { id: post.id }, admin.token);
    expect(res.body.data!.deletePost).toBe(post.id);
    expect((await fetch(post.url)).status).toBe(404);
  });

  it.each([
    ['an unknown post', () => globalIdOf('Post', randomUUID())],
    ['a malformed id', () => 'definitely not an id'],
    ['the id of a user', () => alice.id],
  ])('answers NOT_FOUND for %s', async (_label, id) => {
    const before = await server.db.post.count();
    const res = await gqlTyped(server, DELETE, { id: id() }, alice.token);
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(await server.db.post.count()).toBe(before);
  });
});
