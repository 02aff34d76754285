// The processing step every stored file goes through, whichever backend gets it: images re-encoded
// without their metadata and turned upright (HEIC becomes JPEG), videos remuxed without theirs with a
// poster frame beside them, and each measured (displayed size, duration, BlurHash). It works in
// UPLOAD_DIR/.processing, on the upload's filesystem, so local storage links the result into place;
// the caller discards what is left once the file is stored. A crash leaves files there that the
// maintenance sweep removes after an hour (src/infra/jobs/maintenance.ts).
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isFilesystemError, storageUnavailable } from '../../errors.ts';
import type { FfmpegTools } from '../../infra/media/ffmpeg.ts';
import { processImage, processSquare } from '../../infra/media/image.ts';
import { processVideo } from '../../infra/media/video.ts';
import { PROCESSING_FOLDER } from '../../infra/storage/local-keys.ts';
import type { Logger } from '../../logger.ts';
import { type DetectedMedia, unsupported, validateMedia } from './media.ts';

export interface ProcessedMedia extends DetectedMedia {
  /** The file to store: the processed one, or the upload itself when nothing could process it. */
  path: string;
  /** Bytes of that file. */
  size: number;
  width: number | null;
  height: number | null;
  duration: number | null;
  blurhash: string | null;
  /** A video's JPEG poster frame, at the video's size; null for images and without ffmpeg. */
  poster: string | null;
  /** Removes what processing wrote (the stored copies are links or uploads of their own). */
  discard(): Promise<void>;
}

export interface MediaProcessorDeps {
  uploadDir: string;
  imageMaxPixels: number;
  heicMaxPixels: number;
  /** ffmpeg and ffprobe, or null: videos are then stored as uploaded, and that is logged once. */
  ffmpeg: Promise<FfmpegTools | null>;
  logger: Logger;
}

/** The largest side of an avatar: a square, cropped from the centre of the uploaded image. */
export const AVATAR_MAX_SIDE = 1024;

export function createMediaProcessor({ uploadDir, imageMaxPixels, heicMaxPixels, ffmpeg, logger }: MediaProcessorDeps) {
  const folder = path.join(uploadDir, PROCESSING_FOLDER);
  const limits = { maxPixels: imageMaxPixels, heicMaxPixels };

  // Said once per process start, not once per video.
  void ffmpeg.then((tools) => {
    if (!tools) {
      logger.warn(
        'ffmpeg/ffprobe not found (neither on PATH nor from @ffmpeg-installer): videos are stored as uploaded, with no poster, no duration from ffprobe and no metadata removal',
      );
    }
  });

  /** Fresh paths in the processing folder, and the removal of all of them. */
  async function workspace() {
    await mkdir(folder, { recursive: true }).catch((error: unknown) => {
      throw diskOrFile(error);
    });
    const id = randomUUID();
    const made: string[] = [];
    return {
      file(ext: string) {
        const file = path.join(folder, `${id}.${made.length}.${ext}`);
        made.push(file);
        return file;
      },
      discard: () => Promise.all(made.map((file) => rm(file, { force: true }))).then(() => undefined),
    };
  }

  async function processed(
    work: Awaited<ReturnType<typeof workspace>>,
    run: () => Promise<Omit<ProcessedMedia, 'discard'>>,
  ): Promise<ProcessedMedia> {
    try {
      return { ...(await run()), discard: work.discard };
    } catch (error) {
      await work.discard();
      throw diskOrFile(error);
    }
  }

  /** A failing disk (the processing folder unwritable, full) is the server's: STORAGE_UNAVAILABLE. */
  function diskOrFile(error: unknown): unknown {
    if (!isFilesystemError(error)) return error;
    logger.error({ error }, 'could not store an upload: processing could not write in UPLOAD_DIR');
    return storageUnavailable();
  }

  return {
    /**
     * Processes an upload whose type was sniffed as `media`. UNSUPPORTED_MEDIA_TYPE for anything that
     * does not decode as that type (with extensions.reason), STORAGE_UNAVAILABLE when the disk fails.
     */
    async process(input: string, media: DetectedMedia): Promise<ProcessedMedia> {
      const work = await workspace();
      if (media.kind === 'IMAGE') {
        return processed(work, async () => {
          const output = work.file('img');
          const image = await processImage(input, output, limits);
          return {
            kind: 'IMAGE',
            mimeType: image.mimeType,
            ext: image.ext,
            path: output,
            size: image.size,
            width: image.width,
            height: image.height,
            duration: null,
            blurhash: image.blurhash,
            poster: null,
          };
        });
      }
      const tools = await ffmpeg;
      if (!tools) {
        // Checked as before processing existed: a container with a track, measured by music-metadata.
        const dimensions = await validateMedia(input, media);
        const { size } = await stat(input);
        return { ...media, ...dimensions, path: input, size, blurhash: null, poster: null, discard: work.discard };
      }
      return processed(work, async () => {
        const paths = { output: work.file('video'), poster: work.file('jpg') };
        const video = await processVideo(tools, input, paths);
        return {
          kind: 'VIDEO',
          mimeType: video.mimeType,
          ext: video.ext,
          path: paths.output,
          size: video.size,
          width: video.width,
          height: video.height,
          duration: video.duration,
          blurhash: video.poster.blurhash,
          poster: paths.poster,
        };
      });
    },

    /** An avatar: images only, stored as a square of at most AVATAR_MAX_SIDE pixels. */
    async square(input: string, media: DetectedMedia): Promise<ProcessedMedia> {
      if (media.kind !== 'IMAGE') throw unsupported('Only an image can be an avatar.');
      const work = await workspace();
      return processed(work, async () => {
        const output = work.file('img');
        const image = await processSquare(input, output, AVATAR_MAX_SIDE, limits);
        return {
          kind: 'IMAGE',
          mimeType: image.mimeType,
          ext: image.ext,
          path: output,
          size: image.size,
          width: image.width,
          height: image.height,
          duration: null,
          blurhash: image.blurhash,
          poster: null,
        };
      });
    },
  };
}

export type MediaProcessor = ReturnType<typeof createMediaProcessor>;
