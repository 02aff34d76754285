// A login's answer shows what the one who just signed in may see of themself (isOwner on their posts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_POSTS } from './operations/accounts.ts';
import { signUp } from './support/accounts.ts';
import { seedPosts } from './support/seed.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('a login answer', () => {
  it("shows the user's own posts as theirs", async () => {
    const user = await signUp(server);
    await seedPosts(server, user, 2);
    const res = await gqlTyped(server, LOGIN_POSTS, { email: user.email, password: user.password });
    expect(res.body.data!.login.user.posts.edges).toEqual([{ node: { isOwner: true } }, { node: { isOwner: true } }]);
  });
});
