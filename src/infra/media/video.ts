// Videos as they are stored: the same audio and video streams, copied bit for bit into a fresh
// container that carries none of the camera's metadata (location, device, creation tool), with a
// JPEG poster frame beside them. ffmpeg works file to file, so a 300 MB video is never in memory.
import { rm, stat } from 'node:fs/promises';
import { writeAtomically } from './atomic.ts';
import type { FfmpegTools } from './ffmpeg.ts';
import { computeBlurhash, probeImage } from './image.ts';
import { mediaJobs } from './jobs.ts';
import { diskFailure, refuse } from './refusals.ts';
import { runTool, ToolFailure } from './tool-process.ts';

export type VideoContainer = 'mp4' | 'mov' | 'webm';

const CONTAINERS: Record<VideoContainer, { mimeType: string; ext: string }> = {
  mp4: { mimeType: 'video/mp4', ext: 'mp4' },
  mov: { mimeType: 'video/quicktime', ext: 'mov' },
  webm: { mimeType: 'video/webm', ext: 'webm' },
};

export interface VideoProbe {
  container: VideoContainer;
  mimeType: string;
  ext: string;
  /** As displayed: after the rotation in the display matrix and the pixel aspect ratio. */
  width: number;
  height: number;
  /** Seconds; null when the container does not say (a WebM straight from MediaRecorder). */
  duration: number | null;
  /** Degrees the player turns the picture (0, 90, 180 or 270, clockwise). */
  rotation: number;
  videoCodec: string;
  audioCodec: string | null;
}

export interface VideoTimeouts {
  /** ffprobe, per call; 30 s by default. */
  probeMs?: number;
  /** The metadata-stripping remux; 120 s by default (a 300 MB file takes a few seconds). */
  stripMs?: number;
  /** The poster frame; 60 s by default. */
  posterMs?: number;
}

export interface VideoPoster {
  width: number;
  height: number;
  /** Bytes of the JPEG. */
  size: number;
}

export interface ProcessedVideo extends VideoProbe {
  /** Bytes of the stored video. */
  size: number;
  poster: VideoPoster & { blurhash: string };
}

const DEFAULT_TIMEOUTS: Required<VideoTimeouts> = { probeMs: 30_000, stripMs: 120_000, posterMs: 60_000 };

// Inputs are read as local files only: no URLs, no protocols a crafted playlist or reference could name.
const INPUT = (path: string) => ['-protocol_whitelist', 'file', '-i', `file:${path}`];
// No stdin (ffmpeg would read keys from it), no banner, errors only.
const QUIET = ['-nostdin', '-hide_banner', '-v', 'error'];

const unreadable = (cause?: unknown) =>
  refuse('The file is not a readable MP4, MOV or WebM video.', 'UNREADABLE_VIDEO', cause);

/** A failed ffmpeg or ffprobe run as the error the caller should see. */
function toolFailure(error: unknown): unknown {
  if (!(error instanceof ToolFailure) || error.kind === 'spawn') return error;
  if (error.kind === 'timeout') return refuse('The video took too long to process.', 'VIDEO_TIMEOUT', error);
  return diskFailure(error.stderr, error) ?? unreadable(error);
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  tags?: { rotate?: string };
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; tags?: { major_brand?: string } };
}

function containerOf(format: FfprobeOutput['format']): VideoContainer | null {
  const names = format?.format_name?.split(',') ?? [];
  if (names.includes('mov')) return format?.tags?.major_brand?.trim() === 'qt' ? 'mov' : 'mp4';
  if (names.includes('webm')) return 'webm';
  return null;
}

/** Clockwise degrees, 0-359: ffprobe's display-matrix rotation (newer) or the rotate tag (older builds). */
function rotationOf(stream: FfprobeStream): number {
  const matrix = stream.side_data_list?.find((data) => typeof data.rotation === 'number')?.rotation;
  const degrees = matrix ?? Number(stream.tags?.rotate ?? 0);
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}

/** Width times the sample aspect ratio: an anamorphic 1440x1080 at 4:3 is shown 1920 wide. */
function displayWidth(stream: FfprobeStream, width: number): number {
  const [num, den] = (stream.sample_aspect_ratio ?? '1:1').split(':').map(Number);
  if (!num || !den || num === den) return width;
  return Math.round((width * num) / den / 2) * 2;
}

const seconds = (value: string | undefined) => {
  const parsed = Number.parseFloat(value ?? '');
  return Number.isFinite(parsed) && parsed > 0 ? parsed : null;
};

async function probe(tools: FfmpegTools, path: string, timeoutMs: number): Promise<VideoProbe> {
  let output: FfprobeOutput;
  try {
    const { stdout } = await runTool(
      tools.ffprobe,
      ['-hide_banner', '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...INPUT(path)],
      { timeoutMs },
    );
    output = JSON.parse(stdout) as FfprobeOutput;
  } catch (error) {
    throw toolFailure(error);
  }
  const container = containerOf(output.format);
  if (!container) throw unreadable();
  const streams = output.streams ?? [];
  // A cover image in an MP4 is a "video" stream too; the film is the first that is not one.
  const video = streams.find((stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic);
  if (!video?.width || !video.height || !video.codec_name) {
    throw refuse('The file has no video in it.', 'NO_VIDEO_STREAM');
  }
  const rotation = rotationOf(video);
  const width = displayWidth(video, video.width);
  const sideways = rotation === 90 || rotation === 270;
  return {
    container,
    ...CONTAINERS[container],
    width: sideways ? video.height : width,
    height: sideways ? width : video.height,
    duration: seconds(output.format?.duration) ?? seconds(video.duration),
    rotation,
    videoCodec: video.codec_name,
    audioCodec: streams.find((stream) => stream.codec_type === 'audio')?.codec_name ?? null,
  };
}

/**
 * The remux: every video stream that is a film (not a cover image) and every audio stream, copied
 * without re-encoding. Left behind: global metadata (location ©xyz or mdta keys, make, model,
 * creation time, encoder), per-stream metadata, chapters, and data tracks (an iPhone's timed
 * location and timecode tracks, which MP4 could not hold anyway). bitexact keeps ffmpeg from writing
 * its own name in. -xerror makes a truncated file (a stream running past the end) an error instead of
 * a shorter video. faststart puts the index first, so browsers start playing before the end arrives.
 */
async function strip(tools: FfmpegTools, input: string, output: string, video: VideoProbe, timeoutMs: number) {
  const muxer = video.container === 'webm' ? ['-f', 'webm'] : ['-movflags', '+faststart', '-f', video.container];
  await writeAtomically(output, async (temporary) => {
    try {
      await runTool(
        tools.ffmpeg,
        [
          ...QUIET,
          '-xerror',
          ...INPUT(input),
          ...['-map', '0:V', '-map', '0:a?', '-c', 'copy'],
          ...['-map_metadata', '-1', '-map_chapters', '-1', '-fflags', '+bitexact'],
          ...['-max_muxing_queue_size', '1024'],
          ...muxer,
          '-y',
          `file:${temporary}`,
        ],
        { timeoutMs },
      );
    } catch (error) {
      throw toolFailure(error);
    }
  });
}

/**
 * One frame as a JPEG (quality ~90: -q:v 2) at the video's display size: ffmpeg turns it upright
 * itself (autorotate), and the scale undoes a non-square pixel aspect ratio.
 */
async function grabFrame(
  tools: FfmpegTools,
  input: string,
  output: string,
  at: number,
  video: VideoProbe,
  timeoutMs: number,
): Promise<boolean> {
  return writeAtomically(output, async (temporary) => {
    try {
      await runTool(
        tools.ffmpeg,
        [
          ...QUIET,
          ...['-ss', at.toFixed(3)],
          ...INPUT(input),
          ...['-map', '0:V:0', '-frames:v', '1'],
          ...['-vf', `scale=${video.width}:${video.height},setsar=1`],
          ...['-c:v', 'mjpeg', '-q:v', '2', '-fflags', '+bitexact', '-flags:v', '+bitexact'],
          ...['-update', '1', '-f', 'image2', '-y', `file:${temporary}`],
        ],
        { timeoutMs },
      );
    } catch (error) {
      throw toolFailure(error);
    }
    // Seeking past the last frame encodes nothing, and ffmpeg still exits with 0.
    if ((await stat(temporary)).size === 0) throw new NoFrame();
    return true;
  }).catch((error: unknown) => {
    if (error instanceof NoFrame) return false;
    throw error;
  });
}

class NoFrame extends Error {}

async function poster(
  tools: FfmpegTools,
  input: string,
  output: string,
  video: VideoProbe,
  timeoutMs: number,
): Promise<VideoPoster> {
  // About a second in (past a fade from black), or the first frame of a shorter clip.
  const grabbed =
    ((video.duration ?? 0) > 1 && (await grabFrame(tools, input, output, 1, video, timeoutMs))) ||
    (await grabFrame(tools, input, output, 0, video, timeoutMs));
  if (!grabbed) throw refuse('The video has no frame that decodes.', 'UNREADABLE_VIDEO');
  const { width, height } = await probeImage(output);
  return { width, height, size: (await stat(output)).size };
}

const timeoutsOf = (timeouts: VideoTimeouts = {}) => ({ ...DEFAULT_TIMEOUTS, ...timeouts });

/**
 * What the video is, from ffprobe (its headers; nothing decoded): container, display size, duration,
 * codecs. UNSUPPORTED_MEDIA_TYPE for anything that is not MP4, MOV or WebM with a video stream.
 */
export function probeVideo(tools: FfmpegTools, path: string, timeouts?: VideoTimeouts): Promise<VideoProbe> {
  return mediaJobs.run(() => probe(tools, path, timeoutsOf(timeouts).probeMs));
}

/**
 * Writes `input`'s streams to `output` (atomically) in the same container with no metadata (see
 * strip above). UNSUPPORTED_MEDIA_TYPE for a truncated or corrupt file; STORAGE_UNAVAILABLE when
 * the disk fails.
 */
export function stripVideo(
  tools: FfmpegTools,
  input: string,
  output: string,
  timeouts?: VideoTimeouts,
): Promise<VideoProbe & { size: number }> {
  const limits = timeoutsOf(timeouts);
  return mediaJobs.run(async () => {
    const video = await probe(tools, input, limits.probeMs);
    await strip(tools, input, output, video, limits.stripMs);
    return { ...video, size: (await stat(output)).size };
  });
}

/**
 * Writes a JPEG poster of `input` to `output` (atomically): the frame at 1 s (the first frame of a
 * clip of a second or less), at the video's display size. UNSUPPORTED_MEDIA_TYPE when no frame decodes.
 */
export function videoPoster(
  tools: FfmpegTools,
  input: string,
  output: string,
  timeouts?: VideoTimeouts,
): Promise<VideoPoster> {
  const limits = timeoutsOf(timeouts);
  return mediaJobs.run(async () => {
    const video = await probe(tools, input, limits.probeMs);
    return poster(tools, input, output, video, limits.posterMs);
  });
}

/**
 * The whole job for an uploaded video: probe, strip into `output`, and write its poster to `poster`
 * with the poster's BlurHash. A video whose container gave no duration (a WebM from MediaRecorder)
 * is probed again once stored, where ffmpeg has written one. Refuses a file without a decodable video,
 * truncated or corrupt, with UNSUPPORTED_MEDIA_TYPE; on failure neither file is left behind.
 */
export function processVideo(
  tools: FfmpegTools,
  input: string,
  paths: { output: string; poster: string },
  timeouts?: VideoTimeouts,
): Promise<ProcessedVideo> {
  const limits = timeoutsOf(timeouts);
  return mediaJobs.run(async () => {
    const uploaded = await probe(tools, input, limits.probeMs);
    await strip(tools, input, paths.output, uploaded, limits.stripMs);
    try {
      // Each ffprobe costs a process start (a quarter of a second for Debian's, with its 200 libraries).
      const stored = uploaded.duration === null ? await probe(tools, paths.output, limits.probeMs) : uploaded;
      const frame = await poster(tools, paths.output, paths.poster, stored, limits.posterMs);
      const blurhash = await computeBlurhash(paths.poster);
      return { ...stored, size: (await stat(paths.output)).size, poster: { ...frame, blurhash } };
    } catch (error) {
      await Promise.all([rm(paths.output, { force: true }), rm(paths.poster, { force: true })]);
      throw error;
    }
  });
}
