// Videos as stored by src/infra/media/video.ts: the camera's metadata gone from the container (checked
// in its boxes and bytes, not only in ffprobe's tags), the streams copied untouched, sizes as
// displayed, and truncated or stream-less files refused. Fixtures are made here with ffmpeg.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FfmpegTools, locateFfmpeg } from '../../src/infra/media/ffmpeg.ts';
import { probeVideo, stripVideo } from '../../src/infra/media/video.ts';
import { ffprobeJson, mp4Boxes, run, tempFolder } from '../support/media-files.ts';

const folder = await tempFolder('media-video');
const { file } = folder;
const located = await locateFfmpeg();
if (!located) throw new Error('No ffmpeg and ffprobe: neither on PATH nor from @ffmpeg-installer/@ffprobe-installer.');
const tools: FfmpegTools = located;

const LOCATION = '+48.8584+002.2945/';
// Two seconds of a test pattern at 10 fps (20 frames) with a tone, as a phone would record it.
const FILM = [
  ...['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000'],
  ...['-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
];
const CAMERA_TAGS = ['-metadata', `location=${LOCATION}`, '-metadata', 'make=Acme', '-metadata', 'model=Phone 9'];

const ffmpeg = (...args: string[]) => run(tools.ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...args]);

const refused = (reason: string) =>
  expect.objectContaining({ name: 'AppError', code: 'UNSUPPORTED_MEDIA_TYPE', extensions: { reason } });

beforeAll(async () => {
  // QuickTime's udta atoms (©xyz, ©mak, ©mod) under an MP4 brand: what Android phones write.
  await ffmpeg(...FILM, ...CAMERA_TAGS, '-f', 'mov', '-brand', 'mp42', file('android.mp4'));
  // The location as an mdta key (Apple's com.apple.quicktime.* style metadata).
  await ffmpeg(...FILM, ...CAMERA_TAGS, '-movflags', '+use_metadata_tags', '-f', 'mp4', file('keys.mp4'));
  await ffmpeg(...FILM, ...CAMERA_TAGS, '-f', 'mov', file('phone.mov'));
  // Filmed holding the phone upright: stored 64x48, shown 48x64.
  await ffmpeg('-i', file('android.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', file('rotated.mp4'));
  await ffmpeg(...FILM, '-movflags', '+faststart', file('faststart.mp4'));
  for (const name of ['android.mp4', 'faststart.mp4']) {
    const whole = await readFile(file(name));
    await writeFile(file(`half-${name}`), whole.subarray(0, whole.length / 2));
  }
  await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-t', '1', '-c:a', 'aac', file('audio.mp4'));
});

afterAll(() => folder.remove());

describe('an MP4 with a ©xyz location, make and model', () => {
  it('has them before stripping (so the checks below can fail)', async () => {
    const input = await readFile(file('android.mp4'));
    expect(mp4Boxes(input)).toEqual(expect.arrayContaining(['udta', '©xyz', '©mak', '©mod']));
    expect(input.includes(Buffer.from(`\u00a9xyz`, 'latin1'))).toBe(true);
    const { format } = await ffprobeJson(tools.ffprobe, file('android.mp4'));
    expect(format.tags).toMatchObject({ location: LOCATION, make: 'Acme', model: 'Phone 9' });
  });

  it('is stored with the same streams and none of them', async () => {
    const stored = await stripVideo(tools, file('android.mp4'), file('android-out.mp4'));
    expect(stored).toMatchObject({
      container: 'mp4',
      mimeType: 'video/mp4',
      ext: 'mp4',
      width: 64,
      height: 48,
      rotation: 0,
      videoCodec: 'h264',
      audioCodec: 'aac',
    });
    expect(stored.duration).toBeCloseTo(2, 1);

    const output = await readFile(file('android-out.mp4'));
    expect(stored.size).toBe(output.length);
    const boxes = mp4Boxes(output);
    expect(boxes.filter((type) => type.startsWith('©'))).toEqual([]);
    for (const text of ['xyz', LOCATION, 'Acme', 'Phone 9', 'Lavf']) expect(output.includes(text)).toBe(false);
    // faststart: the index before the media data.
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));

    const before = await ffprobeJson(tools.ffprobe, file('android.mp4'));
    const after = await ffprobeJson(tools.ffprobe, file('android-out.mp4'));
    expect(Object.keys(after.format.tags ?? {}).sort()).toEqual(['compatible_brands', 'major_brand', 'minor_version']);
    for (const stream of after.streams) {
      expect(
        Object.keys(stream.tags ?? {}).filter((tag) => !['language', 'handler_name', 'vendor_id'].includes(tag)),
      ).toEqual([]);
    }
    // Copied, not re-encoded: the same codecs and the same number of packets in each stream.
    const shape = (probe: typeof before) =>
      probe.streams.map((stream) => [stream.codec_type, stream.codec_name, stream.nb_read_packets]);
    expect(shape(after)).toEqual(shape(before));
    expect(shape(after)[0]).toEqual(['video', 'h264', '20']);
  });

  it('keeps no location given as an mdta key either', async () => {
    const input = await readFile(file('keys.mp4'));
    expect(input.includes(LOCATION)).toBe(true);
    expect((await ffprobeJson(tools.ffprobe, file('keys.mp4'))).format.tags).toMatchObject({ location: LOCATION });
    await stripVideo(tools, file('keys.mp4'), file('keys-out.mp4'));
    const output = await readFile(file('keys-out.mp4'));
    for (const text of [LOCATION, 'location', 'Acme', 'Phone 9']) expect(output.includes(text)).toBe(false);
  });

  it('stays a QuickTime file when it was one, without its ©xyz', async () => {
    expect(mp4Boxes(await readFile(file('phone.mov')))).toContain('©xyz');
    const stored = await stripVideo(tools, file('phone.mov'), file('phone-out.mov'));
    expect(stored).toMatchObject({ container: 'mov', mimeType: 'video/quicktime', ext: 'mov' });
    const output = await readFile(file('phone-out.mov'));
    expect(mp4Boxes(output).filter((type) => type.startsWith('©'))).toEqual([]);
    expect(output.includes(LOCATION)).toBe(false);
  });
});

describe('sizes and durations', () => {
  it('of a rotated video are as displayed, and the rotation survives stripping', async () => {
    expect(await probeVideo(tools, file('rotated.mp4'))).toMatchObject({ width: 48, height: 64, rotation: 90 });
    expect(await stripVideo(tools, file('rotated.mp4'), file('rotated-out.mp4'))).toMatchObject({
      width: 48,
      height: 64,
      rotation: 90,
    });
    const { streams } = await ffprobeJson(tools.ffprobe, file('rotated-out.mp4'));
    expect([streams[0]?.width, streams[0]?.height]).toEqual([64, 48]);
  });

  it.each([
    ['test/fixtures/clip.webm', { container: 'webm', mimeType: 'video/webm', videoCodec: 'vp8' }],
    ['test/fixtures/clip.mov', { container: 'mov', mimeType: 'video/quicktime', videoCodec: 'h264' }],
    ['test/fixtures/clip.mp4', { container: 'mp4', mimeType: 'video/mp4', videoCodec: 'h264' }],
  ])('of %s: 32x24, 0.5 s, %j', async (path, expected) => {
    const probe = await probeVideo(tools, path);
    expect(probe).toMatchObject({ ...expected, width: 32, height: 24, audioCodec: null });
    expect(probe.duration).toBeCloseTo(0.5, 1);
    const stored = await stripVideo(tools, path, file(`clip-out.${probe.ext}`));
    expect(stored).toMatchObject({ ...expected, width: 32, height: 24 });
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
    ['a JPEG', 'test/fixtures/photo.jpg'],
  ])('%s is no video', async (_label, path) => {
    await expect(probeVideo(tools, path)).rejects.toEqual(refused('UNREADABLE_VIDEO'));
  });
});
