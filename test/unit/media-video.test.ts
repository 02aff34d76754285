// Videos as stored by src/infra/media/video.ts: the camera's metadata gone from the container (checked
// in its boxes and bytes, not only in ffprobe's tags), the streams copied untouched. Fixtures are made
// here with ffmpeg.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FfmpegTools, locateFfmpeg } from '../../src/infra/media/ffmpeg.ts';
import { stripVideo } from '../../src/infra/media/video.ts';
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

// Fixtures are made with the npm package's static ffmpeg where it is installed: it starts in a fifth
// of the time of Debian's (which loads some 200 shared libraries), and what is tested is `tools`.
const maker = (await locateFfmpeg({ searchPath: '' }))?.ffmpeg ?? tools.ffmpeg;
const ffmpeg = (...args: string[]) => run(maker, ['-hide_banner', '-v', 'error', '-y', ...args]);
// The same goes for checking what was written.
const checker = (await locateFfmpeg({ searchPath: '' }))?.ffprobe ?? tools.ffprobe;

beforeAll(async () => {
  await Promise.all([
    // QuickTime's udta atoms (©xyz, ©mak, ©mod) under an MP4 brand: what Android phones write.
    ffmpeg(...FILM, ...CAMERA_TAGS, '-f', 'mov', '-brand', 'mp42', file('android.mp4')),
    // The location as an mdta key (Apple's com.apple.quicktime.* style metadata).
    ffmpeg(...FILM, ...CAMERA_TAGS, '-movflags', '+use_metadata_tags', '-f', 'mp4', file('keys.mp4')),
    ffmpeg(...FILM, ...CAMERA_TAGS, '-f', 'mov', file('phone.mov')),
  ]);
});

afterAll(() => folder.remove());

describe('an MP4 with a ©xyz location, make and model', () => {
  it('has them before stripping (so the checks below can fail)', async () => {
    const input = await readFile(file('android.mp4'));
    expect(mp4Boxes(input)).toEqual(expect.arrayContaining(['udta', '©xyz', '©mak', '©mod']));
    expect(input.includes(Buffer.from(`\u00a9xyz`, 'latin1'))).toBe(true);
    const { format } = await ffprobeJson(checker, file('android.mp4'));
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
    // Two seconds of film; the AAC track may run a few frames longer (encoder priming).
    expect(stored.duration).toBeGreaterThanOrEqual(1.95);
    expect(stored.duration).toBeLessThan(2.2);

    const output = await readFile(file('android-out.mp4'));
    expect(stored.size).toBe(output.length);
    const boxes = mp4Boxes(output);
    expect(boxes.filter((type) => type.startsWith('©'))).toEqual([]);
    for (const text of ['xyz', LOCATION, 'Acme', 'Phone 9', 'Lavf']) expect(output.includes(text)).toBe(false);
    // faststart: the index before the media data.
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));

    const before = await ffprobeJson(checker, file('android.mp4'));
    const after = await ffprobeJson(checker, file('android-out.mp4'));
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
    expect((await ffprobeJson(checker, file('keys.mp4'))).format.tags).toMatchObject({ location: LOCATION });
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
