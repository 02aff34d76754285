import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf } from './support/ids.ts';
import { errorCode, FIXTURES, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { uploadPost } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer({ MAX_UPLOAD_BYTES: '3000' });
  alice = await signUp(server);
});
afterAll(async () => {
  if (process.env.SHOW_LOGS) console.log(server.logs.join('\n'));
  await server?.close();
});

const uploads = () => filesUnder(server.config.uploadDir);

describe('uploadPost', () => {
  it.each([
    ['photo.jpg', 'IMAGE', 'image/jpeg'],
    ['photo.png', 'IMAGE', 'image/png'],
    ['anim.gif', 'IMAGE', 'image/gif'],
    ['photo.webp', 'IMAGE', 'image/webp'],
    ['photo.avif', 'IMAGE', 'image/avif'],
    // Browsers cannot show HEIC: it is stored as a JPEG.
    ['photo.heic', 'IMAGE', 'image/jpeg'],
    ['clip.mp4', 'VIDEO', 'video/mp4'],
    ['clip.webm', 'VIDEO', 'video/webm'],
    ['clip.mov', 'VIDEO', 'video/quicktime'],
  ])('stores %s as %s (%s), decided from its bytes', async (fixture, fileType, mimeType) => {
    // The client lies about the type and the name; neither is trusted.
    const res = await uploadPost(server.url, {
      token: alice.token,
      fixture,
      filename: 'holiday.txt',
      contentType: 'text/plain',
      caption: '  Sunset ',
    });
    expect(res.body.errors).toBeUndefined();
    const post = res.body.data!.uploadPost;
    expect(post).toMatchObject({
      fileType,
      mimeType,
      caption: 'Sunset',
      fileName: 'holiday.txt',
      isOwner: true,
      author: { id: alice.id },
    });
    // What is stored is the processed file (re-encoded or remuxed without metadata), and size is its size.
    const row = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post.id) } });
    const stored = await readFile(path.join(server.config.uploadDir, row.storageKey));
    expect(post.size).toBe(stored.length);

    const served = await fetch(post.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe(mimeType);
    expect(Buffer.from(await served.arrayBuffer()).equals(stored)).toBe(true);
  });

  it('stores files readable by a web server serving UPLOAD_DIR as another user (0644)', async () => {
    const res = await uploadPost(server.url, { token: alice.token });
    expect(res.body.errors).toBeUndefined();
    const stored = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(res.body.data!.uploadPost.id) } });
    const { mode } = await stat(path.join(server.config.uploadDir, stored.storageKey));
    expect((mode & 0o777).toString(8)).toBe('644');
  });

  it('serves byte ranges with 206 so videos can seek', async () => {
    {
      const res = await uploadPost(server.url, { token: alice.token, fixture: 'clip.mp4' });
      expect(res.body.data!.uploadPost).toMatchObject({ fileType: 'VIDEO', mimeType: 'video/mp4' });
      const original = Buffer.from(await (await fetch(res.body.data!.uploadPost.url)).arrayBuffer());
      const partial = await fetch(res.body.data!.uploadPost.url, { headers: { range: 'bytes=100-199' } });
      expect(partial.status).toBe(206);
      expect(partial.headers.get('content-range')).toBe(`bytes 100-199/${original.length}`);
      expect(partial.headers.get('content-type')).toBe('video/mp4');
      expect(Buffer.from(await partial.arrayBuffer()).equals(original.subarray(100, 200))).toBe(true);

      const tail = await fetch(res.body.data!.uploadPost.url, { headers: { range: 'bytes=-10' } });
      expect(tail.status).toBe(206);
      expect(Buffer.from(await tail.arrayBuffer()).equals(original.subarray(original.length - 10))).toBe(true);

      const beyond = await fetch(res.body.data!.uploadPost.url, { headers: { range: `bytes=${original.length}-` } });
      expect(beyond.status).toBe(416);
    }
  });

  it.each(['not-media.txt', 'fake.jpg', 'document.pdf', 'sound.mp3', 'sound.wav'])(
    'refuses %s as UNSUPPORTED_MEDIA_TYPE and keeps nothing',
    async (fixture) => {
      const before = await server.db.post.count();
      const res = await uploadPost(server.url, { token: alice.token, fixture, contentType: 'image/jpeg' });
      expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await server.db.post.count()).toBe(before);
      expect((await uploads()).filter((f) => f.startsWith('.incoming'))).toEqual([]);
    },
  );

  it('refuses a file over MAX_UPLOAD_BYTES as PAYLOAD_TOO_LARGE, leaving no row and no partial file', async () => {
    const before = { rows: await server.db.post.count(), files: await uploads() };
    // A real JPEG head, so only the size is wrong: 3500 bytes against a 3000 byte limit.
    const jpeg = await readFile(path.join(FIXTURES, 'photo.jpg'));
    const bytes = Buffer.concat([jpeg, Buffer.alloc(3500 - jpeg.length)]);
    const res = await uploadPost(server.url, { token: alice.token, bytes, filename: 'big.jpg' });
    expect(errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    expect(await server.db.post.count()).toBe(before.rows);
    expect(await uploads()).toEqual(before.files);
  });

  it('refuses a request whose declared length is far over the limit with HTTP 413 before reading it', async () => {
    const res = await uploadPost(server.url, {
      token: alice.token,
      bytes: new Uint8Array(3_000_000),
      filename: 'big.jpg',
    });
    expect(res.status).toBe(413);
    expect(errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('needs a signed-in user, and stores nothing otherwise', async () => {
    const before = await uploads();
    const res = await uploadPost(server.url, { token: null });
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(await uploads()).toEqual(before);
  });

  it('refuses a caption over 2200 characters', async () => {
    const res = await uploadPost(server.url, { token: alice.token, caption: 'x'.repeat(2201) });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
  });

  // Embeddings, overrides and isolates make text display other than it reads ("Trojan Source").
  it.each([
    ['a right-to-left override (U+202E)', 'great \u202Egnippohs'],
    ['a left-to-right embedding (U+202A)', '\u202Aa\u202C'],
    ['a pop directional formatting (U+202C) alone', 'end\u202C'],
    ['a right-to-left isolate (U+2067)', 'see \u2067abc\u2069'],
    ['a pop directional isolate (U+2069) alone', 'x\u2069'],
  ])('refuses a caption with %s as BAD_USER_INPUT, and stores nothing', async (_label, caption) => {
    const before = { rows: await server.db.post.count(), files: await uploads() };
    const res = await uploadPost(server.url, { token: alice.token, caption });
    expect({ code: errorCode(res), field: res.body.errors?.[0]?.extensions?.field }).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'caption',
    });
    expect({ rows: await server.db.post.count(), files: await uploads() }).toEqual(before);
  });

  it('takes the right-to-left and left-to-right marks (U+200F, U+200E) mixed right-to-left text needs', async () => {
    const caption = 'שלום\u200F (hello)\u200E!';
    const res = await uploadPost(server.url, { token: alice.token, caption });
    expect(res.body.data?.uploadPost.caption).toBe(caption);
  });

  it('drops bidi overrides and isolates from a file name: "photo<RLO>gpj.exe" displays as what it is', async () => {
    const res = await uploadPost(server.url, { token: alice.token, filename: 'photo\u202Egpj.exe\u2066.jpg\u2069' });
    expect(res.body.data?.uploadPost.fileName).toBe('photogpj.exe.jpg');
  });
});

describe('CSRF protection for multipart requests', () => {
  it('answers 403 without a preflight header, and stores nothing', async () => {
    const before = { rows: await server.db.post.count(), files: await uploads() };
    const res = await uploadPost(server.url, { token: alice.token, headers: { 'apollo-require-preflight': '' } });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('CSRF_HEADER_REQUIRED');
    expect(await server.db.post.count()).toBe(before.rows);
    expect(await uploads()).toEqual(before.files);
  });

  it.each(['x-apollo-operation-name', 'graphql-require-preflight'])('accepts the %s header', async (header) => {
    const res = await uploadPost(server.url, {
      token: alice.token,
      headers: { 'apollo-require-preflight': '', [header]: 'Upload' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data!.uploadPost.fileType).toBe('IMAGE');
  });
});

describe('malformed multipart', () => {
  it('answers 400 with a message and keeps serving', async () => {
    const form = new FormData();
    form.append('operations', '{not json');
    form.append('map', '{}');
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'apollo-require-preflight': '1' },
      body: form,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toMatch(/Invalid JSON in the ‘operations’ multipart field/);

    const truncated = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'apollo-require-preflight': '1', 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ me { id } }"}',
    });
    expect(truncated.status).toBe(400);

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });
});

describe('one file mapped to two variables (the multipart spec allows it)', () => {
  /** A multipart request of `query` whose one file (photo.jpg) `map` puts at each of `paths`. */
  async function upload(query: string, variables: Record<string, unknown>, paths: string[]) {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query, variables }));
    form.append('map', JSON.stringify({ 0: paths }));
    form.append('0', new Blob([await readFile(path.join(FIXTURES, 'photo.jpg'))]), 'twice.jpg');
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${alice.token}` },
      body: form,
    });
    return { status: res.status, body: await res.json() };
  }

  it('gives both variables the file: two uploadPost fields store it twice', async () => {
    const before = await server.db.post.count();
    const res = await upload(
      'mutation($a: Upload!, $b: Upload!) { a: uploadPost(file: $a) { id size fileName } b: uploadPost(file: $b) { id size fileName } }',
      { a: null, b: null },
      ['variables.a', 'variables.b'],
    );
    // Both are the same re-encoded JPEG.
    const size = res.body.data?.a?.size;
    expect(res).toEqual({
      status: 200,
      body: {
        data: {
          a: { id: expect.any(String), size, fileName: 'twice.jpg' },
          b: { id: expect.any(String), size, fileName: 'twice.jpg' },
        },
      },
    });
    expect(res.body.data.a.id).not.toBe(res.body.data.b.id);
    expect(await server.db.post.count()).toBe(before + 2);
    for (const post of [res.body.data.a, res.body.data.b]) {
      const stored = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post.id) } });
      expect((await stat(path.join(server.config.uploadDir, stored.storageKey))).size).toBe(size);
    }
  });

  it('answers a file given for a String as the bad input it is, naming no internals', async () => {
    const res = await upload(
      'mutation($file: Upload!, $caption: String) { uploadPost(file: $file, caption: $caption) { id } }',
      { file: null, caption: null },
      ['variables.file', 'variables.caption'],
    );
    expect(res.status).toBe(200);
    expect(res.body.errors[0]).toMatchObject({
      message:
        'Variable "$caption" got invalid value an uploaded file; String cannot represent a non string value: an uploaded file',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
