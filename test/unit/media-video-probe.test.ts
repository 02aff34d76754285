// What src/infra/media/video.ts measures of a video (display size after rotation, duration, codecs)
// and what it refuses: truncated files, files without a video stream, files that are no video.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FfmpegTools, locateFfmpeg } from '../../src/infra/media/ffmpeg.ts';
import { probeVideo, stripVideo } from '../../src/infra/media/video.ts';
import { ffprobeJson, run, tempFolder } from '../support/media-files.ts';

const folder = await tempFolder('media-video-probe');
const { file } = folder;
const located = await locateFfmpeg();
if (!located) throw new Error('No ffmpeg and ffprobe: neither on PATH nor from @ffmpeg-installer/@ffprobe-installer.');
const tools: FfmpegTools = located;

// Two seconds of a test pattern at 10 fps with a tone.
const FILM = [
  ...['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000'],
  ...['-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
];

// Fixtures are made, and results checked, with the npm package's static ffmpeg where it is installed:
// it starts in a fifth of the time of Debian's (which loads some 200 shared libraries). What is
// tested is `tools`.
const fast = await locateFfmpeg({ searchPath: '' });
const ffmpeg = (...args: string[]) => run(fast?.ffmpeg ?? tools.ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...args]);
const checker = fast?.ffprobe ?? tools.ffprobe;

const refused = (reason: string) =>
  expect.objectContaining({ name: 'AppError', code: 'UNSUPPORTED_MEDIA_TYPE', extensions: { reason } });

beforeAll(async () => {
  await Promise.all([
    ffmpeg(...FILM, file('android.mp4')),
    ffmpeg(...FILM, '-movflags', '+faststart', file('faststart.mp4')),
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-t', '1', '-c:a', 'aac', file('audio.mp4')),
  ]);
  // Filmed holding the phone upright: stored 64x48, shown 48x64.
  await ffmpeg('-i', file('android.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', file('rotated.mp4'));
  for (const name of ['android.mp4', 'faststart.mp4']) {
    const whole = await readFile(file(name));
    await writeFile(file(`half-${name}`), whole.subarray(0, whole.length / 2));
  }
});

afterAll(() => folder.remove());

describe('sizes and durations', () => {
  it('of a rotated video are as displayed, and the rotation survives stripping', async () => {
    expect(await probeVideo(tools, file('rotated.mp4'))).toMatchObject({ width: 48, height: 64, rotation: 90 });
    expect(await stripVideo(tools, file('rotated.mp4'), file('rotated-out.mp4'))).toMatchObject({
      width: 48,
      height: 64,
      rotation: 90,
    });
    const { streams } = await ffprobeJson(checker, file('rotated-out.mp4'));
    expect([streams[0]?.width, streams[0]?.height]).toEqual([64, 48]);
  });

  it.each([
    ['test/fixtures/clip.webm', { container: 'webm', mimeType: 'video/webm', videoCodec: 'vp8' }],
    ['test/fixtures/clip.mov', { container: 'mov', mimeType: 'video/quicktime', videoCodec: 'h264' }],
    ['test/fixtures/clip.mp4', { container: 'mp4', mimeType: 'video/mp4', videoCodec: 'h264' }],
  ])('of %s: 32x24, 0.5 s, %j', async (path, expected) => {
    // stripVideo answers what it probed of the input.
    const stored = await stripVideo(tools, path, file(`clip-out.${path.split('.').pop()}`));
    expect(stored).toMatchObject({ ...expected, width: 32, height: 24, audioCodec: null });
    expect(stored.duration).toBeCloseTo(0.5, 1);
  });
});

describe('refused videos', () => {
  it.each([
    ['the first half of an MP4 whose index is at the end', 'half-android.mp4'],
    ['the first half of an MP4 whose index is first (the headers are whole, the media stops)', 'half-faststart.mp4'],
  ])('%s is UNSUPPORTED_MEDIA_TYPE, and nothing is written', async (_label, name) => {
    await expect(stripVideo(tools, file(name), file(`${name}.out`))).rejects.toEqual(refused('UNREADABLE_VIDEO'));
    expect(existsSync(file(`${name}.out`))).toBe(false);
  });

  it('an MP4 with only sound has no video', async () => {
    await expect(probeVideo(tools, file('audio.mp4'))).rejects.toEqual(refused('NO_VIDEO_STREAM'));
  });

  it.each([
    ['a text file', 'test/fixtures/not-media.txt'],
    ['an MP3', 'test/fixtures/sound.mp3'],
  ])('%s is no video', async (_label, path) => {
    await expect(probeVideo(tools, path)).rejects.toEqual(refused('UNREADABLE_VIDEO'));
  });
});
