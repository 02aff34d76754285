// Poster frames and the whole video job of src/infra/media/video.ts (processVideo), its deadlines,
// and how src/infra/media/ffmpeg.ts finds ffmpeg: on PATH, else the npm packages' builds, else none.
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decode } from 'blurhash';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FfmpegTools, ffmpegTools, locateFfmpeg } from '../../src/infra/media/ffmpeg.ts';
import { probeVideo, processVideo, stripVideo, videoPoster } from '../../src/infra/media/video.ts';
import { jpegSegments, mp4Boxes, run, tempFolder } from '../support/media-files.ts';

const folder = await tempFolder('media-poster');
const { file } = folder;
const located = await locateFfmpeg();
if (!located) throw new Error('No ffmpeg and ffprobe: neither on PATH nor from @ffmpeg-installer/@ffprobe-installer.');
const tools: FfmpegTools = located;

// Fixtures are made with the npm package's static ffmpeg where it is installed (it starts faster than
// Debian's); what is tested is `tools`.
const maker = (await locateFfmpeg({ searchPath: '' }))?.ffmpeg ?? tools.ffmpeg;
const ffmpeg = (...args: string[]) => run(maker, ['-hide_banner', '-v', 'error', '-y', ...args]);

/** `seconds` of red, then as long of blue, at 64x48 and 10 fps. */
const redThenBlue = (seconds: number) => [
  ...['-f', 'lavfi', '-i', `color=c=red:size=64x48:rate=10:duration=${seconds}`],
  ...['-f', 'lavfi', '-i', `color=c=blue:size=64x48:rate=10:duration=${seconds}`],
  ...['-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0', '-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
];

async function colourOf(jpeg: string): Promise<'red' | 'blue' | 'other'> {
  const { dominant } = await sharp(jpeg).stats();
  if (dominant.r > 200 && dominant.b < 60) return 'red';
  if (dominant.b > 200 && dominant.r < 60) return 'blue';
  return 'other';
}

beforeAll(async () => {
  await Promise.all([
    ffmpeg(
      ...redThenBlue(1),
      '-metadata',
      'location=+48.8584+002.2945/',
      '-f',
      'mov',
      '-brand',
      'mp42',
      file('two.mp4'),
    ),
    ffmpeg(...redThenBlue(0.3), file('short.mp4')),
    // A WebM written as a live stream has no duration in its header, like MediaRecorder's.
    ffmpeg(
      ...redThenBlue(1).slice(0, -4),
      '-c:v',
      'libvpx',
      '-b:v',
      '100k',
      '-f',
      'webm',
      '-live',
      '1',
      file('live.webm'),
    ),
  ]);
  await ffmpeg('-i', file('two.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', file('rotated.mp4'));
});

afterAll(() => folder.remove());

describe('the poster', () => {
  it('is a JPEG of the frame at 1 s, at the video’s size', async () => {
    expect(await videoPoster(tools, file('two.mp4'), file('two.jpg'))).toMatchObject({ width: 64, height: 48 });
    const jpeg = await readFile(file('two.jpg'));
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
    // The first second is red, the next blue: the poster is blue.
    expect(await colourOf(file('two.jpg'))).toBe('blue');
    // No EXIF, no comment naming the encoder.
    expect(jpegSegments(jpeg).filter((name) => name === 'APP1' || name === '0xfe')).toEqual([]);
    expect(jpeg.includes('Lavc')).toBe(false);
  });

  it('of a clip shorter than a second is its first frame', async () => {
    await videoPoster(tools, file('short.mp4'), file('short.jpg'));
    expect(await colourOf(file('short.jpg'))).toBe('red');
  });

  it('of a rotated video is upright, at the displayed size', async () => {
    expect(await videoPoster(tools, file('rotated.mp4'), file('rotated.jpg'))).toMatchObject({ width: 48, height: 64 });
    const { width, height } = await sharp(file('rotated.jpg')).metadata();
    expect([width, height]).toEqual([48, 64]);
  });
});

describe('processVideo', () => {
  it('stores the stripped video and its poster, with the poster’s BlurHash', async () => {
    const result = await processVideo(tools, file('two.mp4'), {
      output: file('two-out.mp4'),
      poster: file('two-poster.jpg'),
    });
    expect(result).toMatchObject({ container: 'mp4', width: 64, height: 48, poster: { width: 64, height: 48 } });
    expect(result.duration).toBeCloseTo(2, 1);
    expect(mp4Boxes(await readFile(file('two-out.mp4')))).not.toContain('©xyz');
    const [r, , b] = decode(result.poster.blurhash, 4, 3).subarray(0, 3);
    expect(b!).toBeGreaterThan(r! + 100);
  });

  it('gives a WebM without a duration in its header the duration of the stored file', async () => {
    expect((await probeVideo(tools, file('live.webm'))).duration).toBeNull();
    const result = await processVideo(tools, file('live.webm'), {
      output: file('live-out.webm'),
      poster: file('live.jpg'),
    });
    expect(result.container).toBe('webm');
    expect(result.duration).toBeCloseTo(2, 1);
  });

  it('leaves nothing behind when it refuses a truncated file', async () => {
    const whole = await readFile(file('two.mp4'));
    await writeFile(file('half.mp4'), whole.subarray(0, whole.length / 2));
    await expect(
      processVideo(tools, file('half.mp4'), { output: file('half-out.mp4'), poster: file('half.jpg') }),
    ).rejects.toEqual(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }));
    expect([existsSync(file('half-out.mp4')), existsSync(file('half.jpg'))]).toEqual([false, false]);
  });

  it('kills ffmpeg past its deadline and refuses the video', async () => {
    const started = Date.now();
    await expect(
      processVideo(tools, file('two.mp4'), { output: file('slow.mp4'), poster: file('slow.jpg') }, { stripMs: 1 }),
    ).rejects.toEqual(
      expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE', extensions: { reason: 'VIDEO_TIMEOUT' } }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(existsSync(file('slow.mp4'))).toBe(false);
  });
});

describe('locating ffmpeg', () => {
  it('takes the npm packages’ builds when PATH has none, and they do the job', async () => {
    const packaged = await locateFfmpeg({ searchPath: '' });
    expect(packaged?.sources).toEqual({ ffmpeg: 'npm', ffprobe: 'npm' });
    expect(packaged?.ffmpeg).toContain(`${path.sep}node_modules${path.sep}`);
    const stored = await stripVideo(packaged!, file('rotated.mp4'), file('npm-out.mp4'));
    expect(stored).toMatchObject({ width: 48, height: 64, rotation: 90, videoCodec: 'h264' });
    expect(mp4Boxes(await readFile(file('npm-out.mp4')))).not.toContain('©xyz');
  });

  it('skips a binary on PATH that is not executable or does not run', async () => {
    const bin = file('bin');
    await run('mkdir', ['-p', bin]);
    await writeFile(path.join(bin, 'ffmpeg'), '#!/bin/sh\nexit 1\n');
    await chmod(path.join(bin, 'ffmpeg'), 0o755);
    await writeFile(path.join(bin, 'ffprobe'), '#!/bin/sh\nexit 0\n');
    await chmod(path.join(bin, 'ffprobe'), 0o644);
    expect((await locateFfmpeg({ searchPath: bin }))?.sources).toEqual({ ffmpeg: 'npm', ffprobe: 'npm' });
  });

  it('reports none when neither PATH nor the npm packages have them', async () => {
    expect(await locateFfmpeg({ searchPath: file('nowhere'), npmPackages: false })).toBeNull();
  });

  it('looks once per process', async () => {
    const first = ffmpegTools();
    expect(ffmpegTools()).toBe(first);
    expect(await first).toEqual(await locateFfmpeg());
  });
});
