// npm run media:backfill as operators run it: posts stored before uploads were measured (their facts
// wiped here, a local video's poster deleted) get them back from the files, on local disk and on
// ImageKit (through its HTTP fake), and a second run finds nothing to do.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts.ts';
import { blurhashRows, cameraJpeg, isBluish, isReddish, locatedMp4 } from '../support/camera-files.ts';
import { type FakeImageKit, startFakeImageKit } from '../support/fake-imagekit.ts';
import { CREATE_FROM_IMAGEKIT, type CreateFromImageKitData, dbIdOf } from '../support/imagekit.ts';
import { runScript } from '../support/process.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { uploadPost } from '../support/upload.ts';

let fake: FakeImageKit;
let local: TestServer;
let remote: TestServer;
const FACTS = {
  width: true,
  height: true,
  duration: true,
  blurhash: true,
  posterKey: true,
  storage: true,
  fileType: true,
};

beforeAll(async () => {
  fake = await startFakeImageKit();
  local = await startTestServer({ STORAGE: 'local', ...fake.env() }, { instances: true });
  // A second instance on the same database and folder, storing new uploads on ImageKit (on SQLite, the
  // two hear each other through Redis, as instances sharing a database must).
  remote = await startTestServer(fake.env(), { dir: local.dir, instances: true });
});
afterAll(async () => {
  await remote?.close();
  await local?.close();
  await fake?.close();
});

describe('npm run media:backfill', () => {
  it('fills the facts of old posts on both backends, makes local posters, and runs twice', async () => {
    const alice = await signUp(local);
    const [camera, video] = await Promise.all([cameraJpeg(), locatedMp4()]);
    const ids: string[] = [];
    for (const [server, bytes, filename] of [
      [local, camera, 'a.jpg'],
      [local, video, 'a.mp4'],
      [remote, camera, 'b.jpg'],
      [remote, video, 'b.mp4'],
    ] as const) {
      const res = await uploadPost(server.url, { token: alice.token, bytes, filename });
      expect(res.body.errors).toBeUndefined();
      ids.push(dbIdOf(res.body.data!.uploadPost.id));
    }
    // A direct upload: ImageKit holds the camera's own file, orientation 6 and all.
    const direct = await fake.addFile({ folder: `/uploads/users/${alice.dbId}/`, name: 'c.jpg', bytes: camera });
    const posted = await remote.gql<CreateFromImageKitData>(
      CREATE_FROM_IMAGEKIT,
      { fileId: direct.fileId },
      alice.token,
    );
    ids.push(dbIdOf(posted.body.data!.createPostFromImageKit.id));

    const measured = await local.db.post.findMany({ where: { id: { in: ids } }, select: { id: true, ...FACTS } });
    // As before this change: nothing measured, no poster.
    const localVideo = measured.find((post) => post.storage === 'local' && post.fileType === 'VIDEO')!;
    await rm(path.join(local.config.uploadDir, localVideo.posterKey!));
    await local.db.post.updateMany({
      data: { width: null, height: null, duration: null, blurhash: null, posterKey: null },
    });

    const env = {
      ...process.env,
      DATABASE_URL: local.config.databaseUrl,
      DATA_DIR: local.dir,
      UPLOAD_DIR: local.config.uploadDir,
      JWT_SECRET: 'x'.repeat(40),
      ...fake.env(),
    };
    const first = await runScript('scripts/media-backfill.ts', [], env, { timeoutMs: 120_000 });
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^5\/5 posts: 5 filled, 0 could not be read$/m);

    const filled = await local.db.post.findMany({ where: { id: { in: ids } }, select: { id: true, ...FACTS } });
    for (const post of filled) {
      const before = measured.find((candidate) => candidate.id === post.id)!;
      expect({ width: post.width, height: post.height }).toEqual({ width: before.width, height: before.height });
      if (post.fileType === 'VIDEO') expect(post.duration).toBeCloseTo(before.duration!, 1);
      else expect(post.duration).toBeNull();
      expect(post.blurhash).toMatch(/^.{28}$/);
      if (post.fileType === 'IMAGE') {
        const { top, bottom } = blurhashRows(post.blurhash!, 9, 12);
        expect([post.id, isReddish(top), isBluish(bottom)]).toEqual([post.id, true, true]);
      }
    }
    // The direct upload's size is as displayed (ImageKit reports it stored: 1200 x 900).
    expect(filled.find((post) => post.id === ids[4])).toMatchObject({ width: 900, height: 1200 });
    // The local video has its poster again, recorded nowhere as pending.
    const poster = filled.find((post) => post.id === localVideo.id)!.posterKey!;
    expect(poster).toBe(localVideo.posterKey);
    expect(await sharp(path.join(local.config.uploadDir, poster)).metadata()).toMatchObject({
      format: 'jpeg',
      width: 320,
      height: 240,
    });
    expect(await local.db.fileRemoval.count()).toBe(0);

    const second = await runScript('scripts/media-backfill.ts', [], env, { timeoutMs: 120_000 });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/nothing to fill/);
    expect(await local.db.post.findMany({ where: { id: { in: ids } }, select: { id: true, ...FACTS } })).toEqual(
      filled,
    );
    // Two CLI processes (tsx, migrations, ffmpeg) and five uploads: minutes on a loaded machine.
  }, 240_000);
});
