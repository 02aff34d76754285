// The rate limits in Redis (src/infra/rate-limits/redis-store.ts): while Redis is unreachable they refuse
// instead of letting requests through, and count again once it is back.
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LOGIN, REGISTER, signUp } from '../support/accounts.ts';
import { codeOf, firstError, rawGql } from '../support/http.ts';
import { errorCode, startTestServer, TEST_REDIS_URL } from '../support/server.ts';

describe('limits in Redis while Redis is unreachable', () => {
  it('refuse at once with SERVICE_UNAVAILABLE, let nothing through, and count again once Redis is back', async () => {
    const proxy = await startRedisProxy();
    const server = await startTestServer(
      { REDIS_URL: proxy.url, REGISTER_MAX_PER_IP: '5' },
      { redisKeyPrefix: `test:${randomUUID()}:` },
    );
    try {
      const user = await signUp(server);
      await proxy.cut();
      const down = await rawGql(server.url, LOGIN, { email: user.email, password: user.password });
      expect(codeOf(down)).toBe('SERVICE_UNAVAILABLE');
      expect(firstError(down)?.extensions).toMatchObject({
        dependency: 'Redis',
        retryAfterSeconds: expect.any(Number),
      });
      expect(down.ms).toBeLessThan(1500);
      const registering = await rawGql(server.url, REGISTER, {
        input: { email: 'while_down@example.com', username: 'while_down', password: 'long enough password' },
      });
      expect(codeOf(registering)).toBe('SERVICE_UNAVAILABLE');
      expect(await server.db.user.count({ where: { username: 'while_down' } })).toBe(0);

      await proxy.restore();
      let back: string | undefined = 'SERVICE_UNAVAILABLE';
      for (let tries = 0; back === 'SERVICE_UNAVAILABLE' && tries < 50; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        back = errorCode(await server.gql(LOGIN, { email: user.email, password: user.password }));
      }
      expect(back).toBeUndefined();
      // Said once each way in the log, not once a request.
      expect(server.logs.filter((line) => line.includes('Redis is unreachable'))).toHaveLength(1);
      expect(server.logs.filter((line) => line.includes('Redis is reachable again'))).toHaveLength(1);

      // Connected but not answering: refused once the command times out (1 s), not held.
      proxy.stall();
      const hung = await rawGql(server.url, LOGIN, { email: user.email, password: user.password });
      expect(codeOf(hung)).toBe('SERVICE_UNAVAILABLE');
      expect(hung.ms).toBeGreaterThan(900);
      expect(hung.ms).toBeLessThan(2500);
      proxy.resume();
      expect(errorCode(await server.gql(LOGIN, { email: user.email, password: user.password }))).toBeUndefined();
    } finally {
      await server.close();
      await proxy.close();
    }
  });
});

/**
 * A TCP proxy in front of Redis that the test can cut and restore, as a network outage would, or
 * stall: connections stay open and Redis's answers are held back, as from a hung server.
 */
async function startRedisProxy() {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<Socket>();
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let server: Server;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 6379), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
        const pair = { client, upstream };
        pairs.add(pair);
        client.on('close', () => pairs.delete(pair));
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const port = await listen(0);
  return {
    url: `redis://127.0.0.1:${port}`,
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    restore: () => listen(port),
    stall() {
      for (const { client, upstream } of pairs) upstream.unpipe(client);
    },
    resume() {
      for (const { client, upstream } of pairs) upstream.pipe(client);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
