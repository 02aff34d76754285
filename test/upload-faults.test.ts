// Uploads that fail half-way: nothing may be left behind, neither rows nor files.
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { FIXTURES, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { UPLOAD_POST } from './support/upload.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** Sends a multipart upload by hand, pausing after the file's first bytes until `midway` has run. */
function slowUpload(token: string, file: Buffer, midway: () => Promise<void>, { abort = false } = {}) {
  const boundary = 'slow-upload-boundary';
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
    `${JSON.stringify({ query: UPLOAD_POST, variables: { file: null } })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="slow.mp4"\r\nContent-Type: video/mp4\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const url = new URL(`${server.url}/graphql`);
  return new Promise<{ status: number; body: any } | 'aborted'>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          authorization: `Bearer ${token}`,
          'apollo-require-preflight': '1',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    req.on('error', (error) => (abort ? resolve('aborted') : reject(error)));
    req.write(head);
    req.write(file.subarray(0, 1024));
    // Let the server receive and spool the first part before the fault happens.
    setTimeout(async () => {
      await midway();
      if (abort) {
        req.destroy();
        setTimeout(() => resolve('aborted'), 200);
        return;
      }
      req.end(Buffer.concat([file.subarray(1024), Buffer.from(tail)]));
    }, 300);
  });
}

describe('upload faults', () => {
  it('answers UNAUTHENTICATED and takes the stored file back when the account is deleted mid-upload', async () => {
    const user = await signUp(server);
    const clip = await readFile(path.join(FIXTURES, 'clip.mp4'));
    // The author disappears while the file is in flight, so the post insert fails its foreign key.
    const res = await slowUpload(user.token, clip, async () => {
      await server.db.user.delete({ where: { id: user.dbId } });
    });
    expect(res).not.toBe('aborted');
    const { body } = res as { body: { data: unknown; errors: { extensions: { code: string } }[] } };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeNull();
    expect(await server.db.post.count({ where: { authorId: user.dbId } })).toBe(0);
    expect(await server.db.fileRemoval.count()).toBe(0);
    expect(await filesUnder(server.config.uploadDir)).toEqual([]);
    expect(server.logs.filter((line) => line.includes('unexpected error'))).toEqual([]);
  });

  it('leaves no partial file when the client disconnects mid-upload', async () => {
    const user = await signUp(server);
    const clip = await readFile(path.join(FIXTURES, 'clip.mp4'));
    expect(await slowUpload(user.token, clip, async () => {}, { abort: true })).toBe('aborted');
    // The server notices the disconnect asynchronously.
    for (let i = 0; i < 20 && (await filesUnder(server.config.uploadDir)).length > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await filesUnder(server.config.uploadDir)).toEqual([]);
    expect(await server.db.post.count()).toBe(0);
    // And it keeps serving.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
