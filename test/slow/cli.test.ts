// The command-line tools, run as processes the way operators run them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOGIN, type LoginData } from '../support/accounts.ts';
import { runScript } from '../support/process.ts';
import { newTempDir, startTestServer } from '../support/server.ts';

const USERS = '{ users { edges { node { username } } } }';
type UsersData = { users: { edges: { node: { username: string } }[] } };

describe('npm run user:create', () => {
  it('creates the first superuser, and reports duplicates and bad input clearly', async () => {
    const dir = await newTempDir();
    const env = {
      ...process.env,
      DATABASE_URL: `file:${path.join(dir, 'cli.db')}`,
      DATA_DIR: dir,
      JWT_SECRET: 'x'.repeat(40),
      BCRYPT_COST: '4',
    };
    const cli = (...args: string[]) => runScript('scripts/user-create.ts', args, env);
    const created = await cli(
      '--email',
      'Root@Example.com',
      '--username',
      'root',
      '--password',
      'a long root password',
      '--superuser',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created superuser root <root@example.com>/);

    const duplicate = await cli(
      '--email',
      'root@example.com',
      '--username',
      'root2',
      '--password',
      'a long root password',
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/REGISTER_USER_ALREADY_EXISTS/);
    const weak = await cli('--email', 'weak@example.com', '--username', 'weak', '--password', 'short');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/REGISTER_INVALID_PASSWORD: Password should be at least 8 characters/);
    const missing = await cli('--email', 'x@example.com');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing --username, --password/);

    // The superuser can sign in to a server on that database and use superuser operations.
    const server2 = await startTestServer({ DATABASE_URL: env.DATABASE_URL }, { dir });
    try {
      const login = await server2.gql<LoginData>(LOGIN, {
        email: 'root@example.com',
        password: 'a long root password',
      });
      const users = await server2.gql<UsersData>(USERS, {}, login.body.data!.login.token);
      expect(users.body.data!.users.edges.map((e) => e.node.username)).toEqual(['root']);
    } finally {
      await server2.close();
    }
  });
});
