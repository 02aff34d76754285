// Direct browser uploads to ImageKit: signed parameters from the API, the upload to the (fake)
// ImageKit the way a browser sends it, then createPostFromImageKit, which checks the file itself.
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { type FakeImageKit, startFakeImageKit, uploadFromBrowser } from './support/fake-imagekit.ts';
import { codeOf, rawGql } from './support/http.ts';
import { dbIdOf } from './support/imagekit.ts';
import { errorCode, FIXTURES, startTestServer, type TestServer } from './support/server.ts';

const AUTH = 'query { imageKitUploadAuth { token expire signature publicKey urlEndpoint folder } }';
const CREATE = /* GraphQL */ `
  mutation($fileId: String!, $caption: String) {
    createPostFromImageKit(fileId: $fileId, caption: $caption) { id caption url thumbnailUrl fileType mimeType fileName size isOwner }
  }
`;

type AuthData = {
  imageKitUploadAuth: {
    token: string;
    expire: number;
    signature: string;
    publicKey: string;
    urlEndpoint: string;
    folder: string;
  };
};
type CreateData = {
  createPostFromImageKit: {
    id: string;
    caption: string | null;
    url: string;
    thumbnailUrl: string | null;
    fileType: 'IMAGE' | 'VIDEO';
    mimeType: string;
    fileName: string;
    size: number;
    isOwner: boolean;
  };
};

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
});

async function authFor(user: TestUser) {
  const res = await server.gql<AuthData>(AUTH, {}, user.token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.imageKitUploadAuth;
}

/** Uploads a fixture straight to ImageKit with `user`'s parameters, into `folder` (theirs by default). */
async function browserUpload(user: TestUser, fixture: string, folder?: string) {
  const auth = await authFor(user);
  const res = await uploadFromBrowser(fake, auth, {
    bytes: await readFile(path.join(FIXTURES, fixture)),
    fileName: fixture,
    folder: folder ?? auth.folder,
  });
  expect(res.status).toBe(200);
  return res.body as { fileId: string; filePath: string };
}

const postCount = () => server.db.post.count();

describe('imageKitUploadAuth', () => {
  it("signs uploads into the viewer's own folder with ImageKit's scheme", async () => {
    const auth = await authFor(alice);
    expect(auth).toMatchObject({
      publicKey: fake.publicKey,
      urlEndpoint: fake.urlEndpoint,
      folder: `/uploads/users/${alice.dbId}/`,
    });
    expect(auth.signature).toBe(
      createHmac('sha1', fake.privateKey).update(`${auth.token}${auth.expire}`).digest('hex'),
    );
    expect(auth.expire - Date.now() / 1000).toBeGreaterThan(25 * 60);
    expect(auth.expire - Date.now() / 1000).toBeLessThanOrEqual(30 * 60);
    // Each call is a fresh single-use token.
    expect((await authFor(alice)).token).not.toBe(auth.token);
  });

  it('needs a signed-in user', async () => {
    expect(errorCode(await server.gql(AUTH, {}, null))).toBe('UNAUTHENTICATED');
  });
});

describe('createPostFromImageKit', () => {
  it('creates the post from what ImageKit reports about the file', async () => {
    const uploaded = await browserUpload(alice, 'clip.mp4');
    const res = await server.gql<CreateData>(CREATE, { fileId: uploaded.fileId, caption: ' Big video ' }, alice.token);
    expect(res.body.errors).toBeUndefined();
    const post = res.body.data!.createPostFromImageKit;
    const stored = fake.files.get(uploaded.fileId)!;
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
    expect(fake.requests.at(-1)).toEqual({ method: 'GET', path: `/v1/files/${uploaded.fileId}/details`, status: 200 });
  });

  it("refuses a file in someone else's folder with FORBIDDEN, and leaves it alone", async () => {
    const intoBobs = await browserUpload(alice, 'photo.jpg', (await authFor(bob)).folder);
    const atRoot = await browserUpload(alice, 'photo.jpg', '/');
    const before = await postCount();
    for (const { fileId } of [intoBobs, atRoot]) {
      expect(errorCode(await server.gql(CREATE, { fileId }, alice.token))).toBe('FORBIDDEN');
      expect(fake.files.has(fileId)).toBe(true);
    }
    // Bob may post what is in his folder, whoever uploaded it there.
    expect(
      (await server.gql<CreateData>(CREATE, { fileId: intoBobs.fileId }, bob.token)).body.data!.createPostFromImageKit
        .fileType,
    ).toBe('IMAGE');
    expect(await postCount()).toBe(before + 1);
  });

  it.each([
    ['an unknown fileId', 'abcdef0123456789abcdef01'],
    ['a malformed fileId', '../../v1/files'],
  ])('refuses %s with FORBIDDEN', async (_label, fileId) => {
    const before = await postCount();
    expect(errorCode(await server.gql(CREATE, { fileId }, alice.token))).toBe('FORBIDDEN');
    expect(await postCount()).toBe(before);
  });

  it.each(['not-media.txt', 'document.pdf', 'sound.mp3'])(
    'refuses %s as UNSUPPORTED_MEDIA_TYPE and deletes it from the upload folder',
    async (fixture) => {
      const uploaded = await browserUpload(alice, fixture);
      const before = await postCount();
      expect(errorCode(await server.gql(CREATE, { fileId: uploaded.fileId }, alice.token))).toBe(
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expect(await postCount()).toBe(before);
      expect(fake.files.has(uploaded.fileId)).toBe(false);
    },
  );

  it('posts a file once only', async () => {
    const { fileId } = await browserUpload(alice, 'photo.png');
    expect((await server.gql(CREATE, { fileId }, alice.token)).body.errors).toBeUndefined();
    const again = await server.gql(CREATE, { fileId }, alice.token);
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(again.body.errors![0]!.message).toMatch(/already posted/);
    expect(await server.db.post.count({ where: { fileId } })).toBe(1);
  });

  it('answers STORAGE_UNAVAILABLE when ImageKit cannot be asked, creating nothing', async () => {
    const { fileId } = await browserUpload(alice, 'photo.jpg');
    fake.faults.details = 'error';
    const before = await postCount();
    expect(errorCode(await server.gql(CREATE, { fileId }, alice.token))).toBe('STORAGE_UNAVAILABLE');
    expect(await postCount()).toBe(before);
  });

  it('answers UNAUTHENTICATED and removes the file when the account is deleted while ImageKit is asked', async () => {
    const user = await signUp(server);
    const { fileId } = await browserUpload(user, 'photo.jpg');
    fake.onDetails = async () => {
      await server.db.user.delete({ where: { id: user.dbId } });
    };
    const res = await server.gql(CREATE, { fileId }, user.token);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(await server.db.post.count({ where: { authorId: user.dbId } })).toBe(0);
    expect(fake.files.has(fileId)).toBe(false);
    expect(await server.db.fileRemoval.count()).toBe(0);
  });

  it('refuses a caption over 2200 characters before asking ImageKit', async () => {
    const requests = fake.requests.length;
    expect(
      errorCode(
        await server.gql(CREATE, { fileId: 'abcdef0123456789abcdef01', caption: 'x'.repeat(2201) }, alice.token),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(fake.requests.length).toBe(requests);
  });

  it('needs a signed-in user', async () => {
    expect(errorCode(await server.gql(CREATE, { fileId: 'abcdef0123456789abcdef01' }, null))).toBe('UNAUTHENTICATED');
  });

  it('counts against the same upload limits as uploadPost, keeping a refused file for later', async () => {
    const limited = await startTestServer({ ...fake.env(), UPLOAD_MAX_PER_HOUR: '1' });
    try {
      const carol = await signUp(limited);
      const upload = async () => {
        const auth = (await limited.gql<AuthData>(AUTH, {}, carol.token)).body.data!.imageKitUploadAuth;
        const res = await uploadFromBrowser(fake, auth, {
          bytes: await readFile(path.join(FIXTURES, 'photo.jpg')),
          fileName: 'photo.jpg',
          folder: auth.folder,
        });
        return (res.body as { fileId: string }).fileId;
      };
      const [first, second] = [await upload(), await upload()];
      expect(errorCode(await limited.gql(CREATE, { fileId: first }, carol.token))).toBeUndefined();
      const refused = await limited.gql(CREATE, { fileId: second }, carol.token);
      expect(errorCode(refused)).toBe('RATE_LIMITED');
      expect(fake.files.has(second)).toBe(true);
      expect(await limited.db.post.count()).toBe(1);
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
      for (let i = 0; i < 6; i += 1) {
        const auth = (await limited.gql<AuthData>(AUTH, {}, dave.token)).body.data!.imageKitUploadAuth;
        const res = await uploadFromBrowser(fake, auth, {
          bytes: await readFile(path.join(FIXTURES, 'clip.mp4')),
          fileName: 'clip.mp4',
          folder: auth.folder,
        });
        fileIds.push((res.body as { fileId: string }).fileId);
      }
      // Each on a connection of its own: every one is past its checks before any is written.
      const answers = await Promise.all(
        fileIds.map((fileId) => rawGql(limited.url, CREATE, { fileId }, { authorization: `Bearer ${dave.token}` })),
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
        await local.gql(AUTH, {}, user.token),
        await local.gql(CREATE, { fileId: 'abcdef0123456789abcdef01' }, user.token),
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
