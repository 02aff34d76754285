// `npm run media:backfill`: width, height, duration and BlurHash (and a local video's poster) for posts
// stored before uploads were measured. Each post is read from where its file is: local files from
// disk (header reads, a 32-pixel decode, ffprobe), ImageKit files through its API (the file's details,
// a 32-pixel rendition). Only what is missing is written, so running it twice changes nothing, and a
// run stopped halfway is resumed by running it again: it walks the posts still missing something, in
// id order, once each.
import path from 'node:path';
import type { Db, Post, Prisma } from '../../db/index.ts';
import type { FileRemovals, UploadRecord } from '../../infra/jobs/file-removals.ts';
import type { FfmpegTools } from '../../infra/media/ffmpeg.ts';
import { blurhashOf, probeImage } from '../../infra/media/image.ts';
import { probeVideo, videoPoster } from '../../infra/media/video.ts';
import type { Storage } from '../../infra/storage/index.ts';
import type { Logger } from '../../logger.ts';
import { displayedSize, placeholderOf } from './imagekit-placeholder.ts';

export interface MediaBackfillDeps {
  db: Db;
  storage: Storage;
  fileRemovals: FileRemovals;
  uploadDir: string;
  ffmpeg: Promise<FfmpegTools | null>;
  limits: { maxPixels: number; heicMaxPixels: number };
  logger: Logger;
}

export interface BackfillProgress {
  /** Posts looked at so far, of `total` missing something when the run started. */
  done: number;
  total: number;
  filled: number;
  /** Posts whose file could not be read (gone, unreadable, ImageKit down or not configured, no ffmpeg). */
  failed: number;
}

type Facts = Pick<Prisma.PostUpdateInput, 'width' | 'height' | 'duration' | 'blurhash' | 'posterKey'>;

/** Posts some fact is missing from. */
const MISSING: Prisma.PostWhereInput = {
  OR: [
    { blurhash: null },
    { width: null },
    { height: null },
    { fileType: 'VIDEO', duration: null },
    { fileType: 'VIDEO', storage: 'local', posterKey: null },
  ],
};

export function createMediaBackfill({
  db,
  storage,
  fileRemovals,
  uploadDir,
  ffmpeg,
  limits,
  logger,
}: MediaBackfillDeps) {
  async function localFacts(post: Post): Promise<{ facts: Facts; poster: UploadRecord | null }> {
    const file = path.join(uploadDir, post.storageKey);
    if (post.fileType === 'IMAGE') {
      const { width, height } = await probeImage(file, limits);
      return { facts: { width, height, blurhash: await blurhashOf(file, limits) }, poster: null };
    }
    const tools = await ffmpeg;
    if (!tools) throw new Error('no ffmpeg/ffprobe: a video cannot be measured');
    const video = await probeVideo(tools, file);
    let posterKey = post.posterKey;
    let poster: UploadRecord | null = null;
    if (!posterKey) {
      // Beside the video, as uploads store it; recorded first, so a crash leaves no orphan.
      posterKey = post.storageKey.replace(/\.[a-z0-9]+$/, '.poster.jpg');
      poster = await fileRemovals.recordUpload({ storage: 'local', storageKey: posterKey, fileId: null });
      try {
        await videoPoster(tools, file, path.join(uploadDir, posterKey));
      } catch (error) {
        await fileRemovals.abandonUpload(poster);
        throw error;
      }
    }
    const blurhash = await blurhashOf(path.join(uploadDir, posterKey), limits);
    return {
      facts: { width: video.width, height: video.height, duration: video.duration, blurhash, posterKey },
      poster,
    };
  }

  async function imageKitFacts(post: Post): Promise<Facts> {
    const imagekit = storage.imagekit;
    if (!imagekit) throw new Error('ImageKit is not configured: its posts cannot be measured');
    if (!post.fileId) throw new Error('no ImageKit fileId');
    const file = await imagekit.describe(post.fileId);
    if (!file) throw new Error('ImageKit has no such file');
    const placeholder = await placeholderOf(imagekit, { storageKey: post.storageKey, fileType: post.fileType }, logger);
    return { ...displayedSize(file, placeholder), duration: file.duration, blurhash: placeholder?.blurhash ?? null };
  }

  /** Writes the facts the post lacks; false when it is gone (its new poster is then removed). */
  async function fill(post: Post, facts: Facts, poster: UploadRecord | null): Promise<boolean> {
    const data: Facts = {};
    for (const key of Object.keys(facts) as (keyof Facts)[]) {
      if (post[key] == null && facts[key] != null) Object.assign(data, { [key]: facts[key] });
    }
    const update = db.post.updateMany({ where: { id: post.id }, data });
    const [{ count }] = poster ? await db.$transaction([update, fileRemovals.uploadDone(poster)]) : [await update];
    if (count === 0 && poster) await fileRemovals.remove(poster.media);
    return count > 0;
  }

  return {
    /** Fills every post missing a fact, `batchSize` at a time, telling `onProgress` after each post. */
    async run({
      batchSize = 50,
      onProgress = () => {},
    }: {
      batchSize?: number;
      onProgress?: (progress: BackfillProgress) => void;
    } = {}): Promise<BackfillProgress> {
      const progress: BackfillProgress = {
        done: 0,
        total: await db.post.count({ where: MISSING }),
        filled: 0,
        failed: 0,
      };
      let after = '';
      for (;;) {
        const posts = await db.post.findMany({
          where: { AND: [MISSING, { id: { gt: after } }] },
          orderBy: { id: 'asc' },
          take: batchSize,
        });
        if (posts.length === 0) return progress;
        for (const post of posts) {
          after = post.id;
          try {
            const { facts, poster } =
              post.storage === 'local' ? await localFacts(post) : { facts: await imageKitFacts(post), poster: null };
            if (await fill(post, facts, poster)) progress.filled += 1;
          } catch (error) {
            progress.failed += 1;
            logger.warn(
              { postId: post.id, storage: post.storage, storageKey: post.storageKey, error },
              'could not backfill a post',
            );
          }
          progress.done += 1;
          onProgress({ ...progress, total: Math.max(progress.total, progress.done) });
        }
      }
    },
  };
}

export type MediaBackfill = ReturnType<typeof createMediaBackfill>;
