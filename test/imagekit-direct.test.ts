// Direct browser uploads to ImageKit: a token from the API that signs every upload parameter, the
// upload to the (fake) ImageKit's v2 API the way a browser sends it, then createPostFromImageKit,
// which checks the file itself. The fake enforces what ImageKit does (test/support/fake-imagekit-rules.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCEPTED_MIME_TYPES } from '../src/services/posts/media.ts';
import { UPLOAD_AUTH as AUTH, CREATE_FROM_IMAGEKIT as CREATE } from './operations/media.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { type FakeImageKit, postUploadForm, startFakeImageKit, uploadFromBrowser } from './support/fake-imagekit.ts';
import { codeOf, rawRequest } from './support/http.ts';
import { dbIdOf, type UploadAuthAnswer, type UploadAuthData } from './support/imagekit.ts';
import { errorCode, FIXTURES, type GqlResponse, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped, rawGqlTyped, textOf } from './support/typed.ts';

let fake: FakeImageKit;
let server: TestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  fake = await startFakeImageKit();
  server = await startTestServer(fake.env());
  alice = await signUp(server);
  bob = await signUp(server);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});
afterEach(() => {
  fake.faults = {};
  fake.onDetails = null;
  vi.useRealTimers();
});

const fixture = (name: string) => readFile(path.join(FIXTURES, name));
const HOUR = 60 * 60_000;

async function authFor(user: TestUser, fileName?: string, target = server): Promise<UploadAuthAnswer> {
  const res = await gqlTyped(target, AUTH, { fileName }, user.token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.imageKitUploadAuth;
}

/** Uploads a fixture straight to ImageKit with a token `user` asked for, as a browser does. */
async function browserUpload(user: TestUser, name: string, target = server) {
  const res = await uploadFromBrowser(await authFor(user, name, target), { bytes: await fixture(name) });
  expect(res.status).toBe(200);
  return res.body as { fileId: string; filePath: string; name: string };
}

const postCount = () => server.db.post.count();

describe('imageKitUploadAuth', () => {
  it("signs every upload parameter into a JWT for ImageKit's upload API v2", async () => {
    const auth = await authFor(alice, 'C:\\Users\\ada\\My holiday (1).MP4');
    expect(auth).toMatchObject({
      uploadUrl: `${fake.url}/api/v2/files/upload`,
      publicKey: fake.publicKey,
      urlEndpoint: fake.urlEndpoint,
      folder: `/uploads/users/${alice.dbId}/`,
      fileName: expect.stringMatching(/^My_holiday_1_-[0-9a-f]{8}\.MP4$/),
      maxBytes: 1024 * 1024 * 1024,
    });
    const { header, payload } = jwt.verify(auth.token, fake.privateKey, { algorithms: ['HS256'], complete: true });
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: fake.publicKey });
    const { iat, exp, ...signed } = payload as jwt.JwtPayload;
    expect(signed).toEqual({
      fileName: auth.fileName,
      folder: auth.folder,
      useUniqueFileName: 'true',
      overwriteFile: 'false',
      checks: `"file.size" <= ${1024 * 1024 * 1024} AND "file.mime" IN [${ACCEPTED_MIME_TYPES.map((type) => `"${type}"`).join(', ')}]`,
    });
    expect(exp! - iat!).toBe(30 * 60);
    expect(auth.expire).toBe(exp);
    expect(Math.abs(iat! - Date.now() / 1000)).toBeLessThan(60);
    // Exactly the signed parameters and the token: what the browser sends, nothing to choose.
    expect(auth.fields).toEqual(
      [...Object.entries(signed), ['token', auth.token]].map(([name, value]) => ({ name, value })),
    );
    // Each call is a fresh single-use token, even for the same name within the same second.
    const again = await authFor(alice, 'C:\\Users\\ada\\My holiday (1).MP4');
    expect(again.token).not.toBe(auth.token);
    expect(again.fileName).not.toBe(auth.fileName);
  });

  it('names the upload "upload-<random>" without a fileName', async () => {
    expect((await authFor(alice)).fileName).toMatch(/^upload-[0-9a-f]{8}$/);
  });

  it('needs a signed-in user', async () => {
    expect(errorCode(await gqlTyped(server, AUTH, {}, null))).toBe('UNAUTHENTICATED');
  });

  it('counts each token against UPLOAD_MAX_PER_HOUR: of parallel requests exactly that many get one', async () => {
    const limited = await startTestServer({ ...fake.env(), UPLOAD_MAX_PER_HOUR: '3', UPLOAD_MAX_BYTES_PER_DAY: '0' });
    try {
      const carol = await signUp(limited);
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          rawRequest(limited.url, {
            headers: { 'content-type': 'application/json', authorization: `Bearer ${carol.token}` },
            body: JSON.stringify({ query: textOf(AUTH) }),
          }),
        ),
      );
      const bodies = answers.map((answer) => answer.json as GqlResponse<UploadAuthData>['body']);
      expect(bodies.filter((body) => body.data?.imageKitUploadAuth.token)).toHaveLength(3);
      const refused = bodies.filter((body) => body.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
      expect(refused).toHaveLength(9);
      expect(refused[0]!.errors![0]).toMatchObject({
        message: expect.stringMatching(/At most 3 uploads an hour/),
        extensions: { retryAfterSeconds: expect.any(Number) },
      });
      // Nobody else's tokens are counted.
      expect((await authFor(await signUp(limited), 'x.jpg', limited)).token).toEqual(expect.any(String));
    } finally {
      await limited.close();
    }
  });

  it('counts a posted file once: posting it does not count another upload', async () => {
    const limited = await startTestServer({ ...fake.env(), UPLOAD_MAX_PER_HOUR: '2' });
    try {
      const carol = await signUp(limited);
      for (const name of ['photo.jpg', 'photo.png']) {
        const { fileId } = await browserUpload(carol, name, limited);
        expect(errorCode(await gqlTyped(limited, CREATE, { fileId }, carol.token))).toBeUndefined();
      }
      expect(errorCode(await gqlTyped(limited, AUTH, {}, carol.token))).toBe('RATE_LIMITED');
      expect(await limited.db.post.count()).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('refuses a token once the daily byte quota is used up', async () => {
    const limited = await startTestServer({ ...fake.env(), UPLOAD_MAX_BYTES_PER_DAY: '100' });
    try {
      const carol = await signUp(limited);
      const { fileId } = await browserUpload(carol, 'photo.jpg', limited);
      expect(errorCode(await gqlTyped(limited, CREATE, { fileId }, carol.token))).toBeUndefined();
      const refused = await gqlTyped(limited, AUTH, {}, carol.token);
      expect(refused.body.errors![0]).toMatchObject({
        message: expect.stringMatching(/upload quota of 100 bytes is used up/),
        extensions: { code: 'RATE_LIMITED' },
      });
    } finally {
      await limited.close();
    }
  });
});

describe('uploading with the token', () => {
  it('posts a file uploaded with it', async () => {
    const uploaded = await browserUpload(alice, 'clip.mp4');
    expect(fake.requests.findLast((r) => r.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/v2/files/upload',
      status: 200,
    });
    const res = await gqlTyped(server, CREATE, { fileId: uploaded.fileId, caption: ' Big video ' }, alice.token);
    expect(res.body.errors).toBeUndefined();
    const post = res.body.data!.createPostFromImageKit;
    const stored = fake.files.get(uploaded.fileId)!;
    expect(stored.filePath).toMatch(new RegExp(`^/uploads/users/${alice.dbId}/clip-[0-9a-f]{8}_[0-9a-f]{10}\\.mp4$`));
    expect(post).toMatchObject({
      caption: 'Big video',
      fileType: 'VIDEO',
      mimeType: 'video/mp4',
      fileName: stored.name,
      size: stored.size,
      isOwner: true,
      url: `${fake.urlEndpoint}${stored.filePath}`,
      thumbnailUrl: `${fake.urlEndpoint}${stored.filePath}/ik-thumbnail.jpg?tr=w-480,h-480,c-at_max`,
    });
    const row = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post.id) } });
    expect(row).toMatchObject({
      authorId: alice.dbId,
      storage: 'imagekit',
      storageKey: stored.filePath,
      fileId: stored.fileId,
      width: stored.width,
      height: stored.height,
      duration: stored.duration,
    });
    // The details, then the 32-pixel rendition the BlurHash is computed from.
    expect(fake.requests.slice(-2)).toEqual([
      { method: 'GET', path: `/v1/files/${uploaded.fileId}/details`, status: 200 },
      { method: 'GET', path: expect.stringMatching(/\?tr=w-32$/), status: 200 },
    ]);
  });

  describe("cannot overwrite someone else's file", () => {
    let victim: { fileId: string; filePath: string; name: string; sha256: string };

    beforeAll(async () => {
      const { fileId } = await browserUpload(bob, 'photo.jpg');
      expect(errorCode(await gqlTyped(server, CREATE, { fileId }, bob.token))).toBeUndefined();
      const file = fake.files.get(fileId)!;
      victim = { fileId, filePath: file.filePath, name: file.name, sha256: file.sha256 };
    });

    const victimUntouched = () => {
      const file = fake.files.get(victim.fileId)!;
      expect(file).toMatchObject({ filePath: victim.filePath, sha256: victim.sha256, version: 1 });
      expect([...fake.files.values()].filter((other) => other.filePath === victim.filePath)).toHaveLength(1);
    };

    it("refuses the attack (victim's folder and file name, no unique name, overwriteFile=true)", async () => {
      const before = fake.files.size;
      const res = await uploadFromBrowser(
        await authFor(alice, victim.name),
        { bytes: await fixture('photo.png') },
        {
          folder: victim.filePath.slice(0, victim.filePath.lastIndexOf('/') + 1),
          fileName: victim.name,
          useUniqueFileName: 'false',
          overwriteFile: 'true',
        },
      );
      expect(res).toEqual({
        status: 400,
        body: { message: expect.stringMatching(/does not match/), help: expect.any(String) },
      });
      victimUntouched();
      expect(fake.files.size).toBe(before);
    });

    it.each([
      ['another folder', () => ({ folder: `/uploads/users/${bob.dbId}/` })],
      ['another file name', () => ({ fileName: victim.name })],
      ['useUniqueFileName=false', () => ({ useUniqueFileName: 'false' })],
      ['overwriteFile=true', () => ({ overwriteFile: 'true' })],
      ['no checks', () => ({ checks: null })],
      ['a field the token does not sign', () => ({ tags: 'x' })],
    ])('refuses a browser that changes one field: %s', async (_label, change) => {
      const before = fake.files.size;
      const res = await uploadFromBrowser(
        await authFor(alice, 'photo.png'),
        { bytes: await fixture('photo.png') },
        change(),
      );
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/does not match|not in the token/);
      victimUntouched();
      expect(fake.files.size).toBe(before);
    });

    it('refuses the same fields on the v1 endpoint, whose signature the API no longer hands out', async () => {
      const auth = await authFor(alice, victim.name);
      const fields = Object.fromEntries(auth.fields.map(({ name, value }) => [name, value]));
      const res = await postUploadForm(
        `${fake.url}/api/v1/files/upload`,
        {
          ...fields,
          folder: `/uploads/users/${bob.dbId}/`,
          fileName: victim.name,
          useUniqueFileName: 'false',
          overwriteFile: 'true',
          publicKey: auth.publicKey,
          expire: String(auth.expire),
          signature: auth.token,
        },
        { bytes: await fixture('photo.png') },
      );
      expect(res.status).toBe(403);
      victimUntouched();
    });

    it('refuses a token signed with another key, or naming another public key', async () => {
      const auth = await authFor(alice, 'photo.png');
      const { iat, exp, ...signed } = jwt.decode(auth.token) as jwt.JwtPayload;
      const forge = (key: string, kid: string) =>
        jwt.sign({ ...signed, iat, exp }, key, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'JWT', kid } });
      for (const token of [forge('private_not_ours', fake.publicKey), forge(fake.privateKey, 'public_not_ours')]) {
        const res = await uploadFromBrowser(auth, { bytes: await fixture('photo.png') }, { token });
        expect(res.status).toBe(403);
      }
    });
  });

  it('refuses a token used twice, and keeps only the first file', async () => {
    const auth = await authFor(alice, 'photo.webp');
    const bytes = await fixture('photo.webp');
    const first = await uploadFromBrowser(auth, { bytes });
    expect(first.status).toBe(200);
    const before = fake.files.size;
    const second = await uploadFromBrowser(auth, { bytes });
    expect(second).toEqual({
      status: 400,
      body: { message: expect.stringMatching(/used before/), help: expect.any(String) },
    });
    expect(fake.files.size).toBe(before);
  });

  it('refuses an expired token', async () => {
    const auth = await authFor(alice, 'photo.gif');
    vi.useFakeTimers({ toFake: ['Date'], now: (auth.expire + 1) * 1000 });
    const res = await uploadFromBrowser(auth, { bytes: await fixture('anim.gif') });
    expect(res).toEqual({ status: 403, body: { message: 'The token has expired.', help: expect.any(String) } });
  });

  it("refuses, by ImageKit's checks, a file of another type or over IMAGEKIT_DIRECT_UPLOAD_MAX_BYTES", async () => {
    const small = await startTestServer({ ...fake.env(), IMAGEKIT_DIRECT_UPLOAD_MAX_BYTES: '1000' });
    try {
      const carol = await signUp(small);
      const before = fake.files.size;
      for (const name of ['clip.mp4', 'not-media.txt', 'document.pdf', 'sound.mp3']) {
        const auth = await authFor(carol, name, small);
        expect(auth.maxBytes).toBe(1000);
        const res = await uploadFromBrowser(auth, { bytes: await fixture(name), contentType: 'image/jpeg' });
        expect(res.status, name).toBe(400);
        expect(res.body.message).toMatch(/does not pass the upload check/);
      }
      expect(fake.files.size).toBe(before);
      expect(
        (await uploadFromBrowser(await authFor(carol, 'photo.jpg', small), { bytes: await fixture('photo.jpg') }))
          .status,
      ).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('createPostFromImageKit', () => {
  it("refuses a file in someone else's folder with FORBIDDEN, and leaves it alone", async () => {
    // Files get into folders by other ways than our tokens (the dashboard, tokens of earlier versions).
    const intoBobs = await fake.addFile({
      folder: `/uploads/users/${bob.dbId}/`,
      name: 'a.jpg',
      bytes: await fixture('photo.jpg'),
    });
    const atRoot = await fake.addFile({ folder: '/', name: 'b.jpg', bytes: await fixture('photo.jpg') });
    const before = await postCount();
    for (const { fileId } of [intoBobs, atRoot]) {
      expect(errorCode(await gqlTyped(server, CREATE, { fileId }, alice.token))).toBe('FORBIDDEN');
      expect(fake.files.has(fileId)).toBe(true);
    }
    // Bob may post what is in his folder, however it got there.
    expect(
      (await gqlTyped(server, CREATE, { fileId: intoBobs.fileId }, bob.token)).body.data!.createPostFromImageKit
        .fileType,
    ).toBe('IMAGE');
    expect(await postCount()).toBe(before + 1);
  });

  it.each([
    ['an unknown fileId', 'abcdef0123456789abcdef01'],
    ['a malformed fileId', '../../v1/files'],
  ])('refuses %s with FORBIDDEN', async (_label, fileId) => {
    const before = await postCount();
    expect(errorCode(await gqlTyped(server, CREATE, { fileId }, alice.token))).toBe('FORBIDDEN');
    expect(await postCount()).toBe(before);
  });

  it.each(['not-media.txt', 'document.pdf', 'sound.mp3'])(
    'refuses %s as UNSUPPORTED_MEDIA_TYPE and deletes it from the upload folder',
    async (name) => {
      const file = await fake.addFile({ folder: `/uploads/users/${alice.dbId}/`, name, bytes: await fixture(name) });
      const before = await postCount();
      expect(errorCode(await gqlTyped(server, CREATE, { fileId: file.fileId }, alice.token))).toBe(
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expect(await postCount()).toBe(before);
      expect(fake.files.has(file.fileId)).toBe(false);
    },
  );

  it('refuses a file uploaded 23 hours ago or more as UPLOAD_EXPIRED and deletes it', async () => {
    const { fileId } = await browserUpload(alice, 'photo.jpg');
    fake.files.get(fileId)!.createdAt = new Date(Date.now() - 23 * HOUR - 1000).toISOString();
    const before = await postCount();
    const res = await gqlTyped(server, CREATE, { fileId }, alice.token);
    expect(res.body.errors![0]).toMatchObject({
      message: expect.stringMatching(/over 23 hours old/),
      extensions: { code: 'BAD_USER_INPUT', field: 'fileId', reason: 'UPLOAD_EXPIRED' },
    });
    expect(await postCount()).toBe(before);
    expect(fake.files.has(fileId)).toBe(false);
    // Younger than that, it posts.
    const young = await browserUpload(alice, 'photo.jpg');
    fake.files.get(young.fileId)!.createdAt = new Date(Date.now() - 22 * HOUR).toISOString();
    expect(errorCode(await gqlTyped(server, CREATE, { fileId: young.fileId }, alice.token))).toBeUndefined();
  });

  it('posts a file once only', async () => {
    const { fileId } = await browserUpload(alice, 'photo.png');
    expect((await gqlTyped(server, CREATE, { fileId }, alice.token)).body.errors).toBeUndefined();
    const again = await gqlTyped(server, CREATE, { fileId }, alice.token);
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(again.body.errors![0]!.message).toMatch(/already posted/);
    expect(await server.db.post.count({ where: { fileId } })).toBe(1);
  });

  it('answers STORAGE_UNAVAILABLE when ImageKit cannot be asked, creating nothing', async () => {
    const { fileId } = await browserUpload(alice, 'photo.jpg');
    fake.faults.details = 'error';
    const before = await postCount();
    expect(errorCode(await gqlTyped(server, CREATE, { fileId }, alice.token))).toBe('STORAGE_UNAVAILABLE');
    expect(await postCount()).toBe(before);
  });

  it('answers UNAUTHENTICATED and removes the file when the account is deleted while ImageKit is asked', async () => {
    const user = await signUp(server);
    const { fileId } = await browserUpload(user, 'photo.jpg');
    fake.onDetails = async () => {
      await server.db.user.delete({ where: { id: user.dbId } });
    };
    const res = await gqlTyped(server, CREATE, { fileId }, user.token);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(await server.db.post.count({ where: { authorId: user.dbId } })).toBe(0);
    expect(fake.files.has(fileId)).toBe(false);
    expect(await server.db.fileRemoval.count()).toBe(0);
  });

  it('refuses a caption over 2200 characters before asking ImageKit', async () => {
    const requests = fake.requests.length;
    expect(
      errorCode(
        await gqlTyped(server, CREATE, { fileId: 'abcdef0123456789abcdef01', caption: 'x'.repeat(2201) }, alice.token),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(fake.requests.length).toBe(requests);
  });

  it('needs a signed-in user', async () => {
    expect(errorCode(await gqlTyped(server, CREATE, { fileId: 'abcdef0123456789abcdef01' }, null))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('stops asking ImageKit after UPLOAD_MAX_PER_HOUR lookups that posted nothing', async () => {
    const limited = await startTestServer({ ...fake.env(), UPLOAD_MAX_PER_HOUR: '2' });
    try {
      const carol = await signUp(limited);
      const probe = (n: number) => gqlTyped(limited, CREATE, { fileId: `abcdef0123456789abcdef0${n}` }, carol.token);
      expect(errorCode(await probe(1))).toBe('FORBIDDEN');
      expect(errorCode(await probe(2))).toBe('FORBIDDEN');
      const lookups = fake.requests.length;
      const refused = await probe(3);
      expect(refused.body.errors![0]).toMatchObject({
        message: expect.stringMatching(/At most 2 attempts an hour/),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
      });
      expect(fake.requests.length).toBe(lookups);
      // A count of its own: tokens are still handed out (their own count), and other users post.
      expect((await authFor(carol, 'photo.jpg', limited)).token).toEqual(expect.any(String));
      const dave = await signUp(limited);
      const { fileId } = await browserUpload(dave, 'photo.jpg', limited);
      expect(errorCode(await gqlTyped(limited, CREATE, { fileId }, dave.token))).toBeUndefined();
    } finally {
      await limited.close();
    }
  });
});

describe('createPostFromImageKit, posts sent together', () => {
  it("store at most the day's byte quota plus one file, keeping refused files for later", async () => {
    const clipBytes = (await readFile(path.join(FIXTURES, 'clip.mp4'))).length;
    const quota = 3000;
    const limited = await startTestServer({
      ...fake.env(),
      UPLOAD_MAX_PER_HOUR: '0',
      UPLOAD_MAX_BYTES_PER_DAY: `${quota}`,
    });
    try {
      const dave = await signUp(limited);
      const fileIds: string[] = [];
      for (let i = 0; i < 6; i += 1) fileIds.push((await browserUpload(dave, 'clip.mp4', limited)).fileId);
      // Each on a connection of its own: every one is past its checks before any is written.
      const answers = await Promise.all(
        fileIds.map((fileId) =>
          rawGqlTyped(limited.url, CREATE, { fileId }, { authorization: `Bearer ${dave.token}` }),
        ),
      );
      const refused = fileIds.filter((_, i) => codeOf(answers[i]!) === 'RATE_LIMITED');
      expect(refused.length).toBeGreaterThan(0);
      expect(answers.filter((answer) => codeOf(answer) === undefined)).toHaveLength(6 - refused.length);
      const stored = await limited.db.post.aggregate({ _sum: { size: true }, _count: true });
      expect(stored._count).toBe(6 - refused.length);
      expect(stored._sum.size ?? 0).toBeLessThanOrEqual(quota + clipBytes);
      for (const fileId of refused) expect(fake.files.has(fileId)).toBe(true);
    } finally {
      await limited.close();
    }
  });
});

describe('without ImageKit', () => {
  it.each([
    ['with local storage', {}],
    ['with ImageKit keys but STORAGE=local', { STORAGE: 'local' }],
  ])('both answer BAD_USER_INPUT, reason IMAGEKIT_NOT_CONFIGURED, %s', async (_label, env) => {
    const local = await startTestServer({ ...(Object.keys(env).length > 0 ? fake.env() : {}), ...env });
    try {
      const user = await signUp(local);
      for (const res of [
        await gqlTyped(local, AUTH, {}, user.token),
        await gqlTyped(local, CREATE, { fileId: 'abcdef0123456789abcdef01' }, user.token),
      ]) {
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.body.errors![0]!.extensions!.reason).toBe('IMAGEKIT_NOT_CONFIGURED');
        expect(res.body.errors![0]!.message).toMatch(/ImageKit is not configured/);
      }
      expect(await local.db.post.count()).toBe(0);
    } finally {
      await local.close();
    }
  });
});
