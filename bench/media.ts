// Media processing costs, in one run:   npm run bench:media
//   1. processing one 12-MP phone JPEG (strip, orient, BlurHash): median of 20, in this process;
//   2. the feed's p99 (4 connections) with 4 such uploads in flight at all times, against its p99
//      without them (target: at most 2x);
//   3. server RSS growth (VmHWM over idle, Node's process; ffmpeg runs as a child of its own) for a
//      100-MP JPEG (target: 256 MB) and a 300 MB MP4 (target: 64 MB), each on a fresh server;
//   4. a cached 640-pixel rendition against the original file, in req/s (target: at least 0.5x).
// Parts can be picked: npm run bench:media -- feed renditions (processing, feed, memory, renditions).
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { locateFfmpeg } from '../src/infra/media/ffmpeg.ts';
import { processImage } from '../src/infra/media/image.ts';
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import { checkFeed, gql } from './support/graphql.ts';
import { feedLoad } from './support/load.ts';
import { startServer } from './support/server.ts';
import { sqliteUrl, startApp, tempDir } from './support/targets.ts';

const MB = 1024 * 1024;
const UPLOAD = 'mutation($file: Upload!) { uploadPost(file: $file) { id url } }';
const NO_LIMITS = { UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: '0', MAX_UPLOAD_BYTES: String(400 * MB) };
const PARTS = ['processing', 'feed', 'memory', 'renditions'] as const;
const picked = process.argv.slice(2);
const runs = (part: (typeof PARTS)[number]) => picked.length === 0 || picked.includes(part);
const dir = await tempDir('bench-media-');
const file = (name: string) => path.join(dir, name);

/** A photo-like image (a gradient under noise, so it compresses like a photo), as a JPEG. */
async function photo(width: number, height: number, orientation?: number): Promise<Buffer> {
  const noise = await sharp({
    create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  const image = sharp(noise).withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2959/100' } });
  return (orientation ? image.withMetadata({ orientation }) : image).jpeg({ quality: 85 }).toBuffer();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function upload(url: string, token: string, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: UPLOAD, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    body: form,
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.uploadPost as { id: string; url: string };
}

/** kB of VmRSS and VmHWM from /proc/<pid>/status. */
async function memory(pid: number) {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)![1]);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Peak RSS growth of a fresh server (MB) while it takes one upload. */
async function peakGrowth(bytes: Uint8Array, name: string) {
  const serverDir = await tempDir('bench-media-memory-');
  const server = await startServer('src/server.ts', {
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    DATABASE_URL: sqliteUrl(serverDir),
    DATA_DIR: serverDir,
    UPLOAD_DIR: path.join(serverDir, 'uploads'),
    BCRYPT_COST: '4',
    LOG_LEVEL: 'error',
    ...NO_LIMITS,
  });
  await gql(server.url, 'mutation($i: RegisterInput!) { register(input: $i) { id } }', {
    i: { email: 'm@example.com', username: 'memory', password: 'correct horse battery' },
  });
  const { login } = await gql(
    server.url,
    'mutation { login(email: "m@example.com", password: "correct horse battery") { token } }',
  );
  // Warm: one small upload first, so module loading and the first sharp and ffmpeg runs are not counted.
  await upload(server.url, login.token, await readFile('test/fixtures/photo.jpg'), 'warm.jpg');
  await upload(server.url, login.token, await readFile('test/fixtures/clip.mp4'), 'warm.mp4');
  const idle = await memory(server.pid);
  const started = performance.now();
  await upload(server.url, login.token, bytes, name);
  const seconds = (performance.now() - started) / 1000;
  const peak = await memory(server.pid);
  await server.stop();
  return { growthMb: (peak.hwm - idle.rss) / 1024, seconds };
}

const rows: string[][] = [];

try {
  console.log(machine());
  console.log('The machine is shared (2 cores, other work running): figures are from one run and noisy.\n');
  const twelve = await photo(4032, 3024, 6);

  if (runs('processing')) {
    // 1. Processing a 12-MP JPEG, in this process.
    await sharp(twelve).toFile(file('12mp.jpg'));
    const times: number[] = [];
    await processImage(file('12mp.jpg'), file('warm.jpg'));
    for (let i = 0; i < 20; i += 1) {
      const t = performance.now();
      await processImage(file('12mp.jpg'), file(`out-${i}.jpg`));
      times.push(performance.now() - t);
    }
    console.log(
      `1. 12-MP JPEG (${fixed(twelve.length / MB)} MB, orientation 6): processed in ${fixed(median(times), 0)} ms (median of 20; min ${fixed(Math.min(...times), 0)}, max ${fixed(Math.max(...times), 0)})`,
    );
    rows.push(['12-MP JPEG processing, median of 20', `${fixed(median(times), 0)} ms`, '-']);
  }

  if (runs('feed') || runs('renditions')) {
    const app = await startApp('app on SQLite', {
      dir,
      databaseUrl: sqliteUrl(dir),
      seed: { authors: 20, posts: 2000, viewers: 4 },
      env: NO_LIMITS,
    });
    const { url } = app.server;
    const token = app.tokens[0]!;
    await checkFeed(url, token);

    if (runs('feed')) {
      // 2. Feed p99 with and without 4 uploads in flight.
      await feedLoad(url, app.tokens, { connections: 4, seconds: 2 });
      const alone = await feedLoad(url, app.tokens, { connections: 4, seconds: 8 });
      let stop = false;
      let uploaded = 0;
      const uploaders = Array.from({ length: 4 }, async (_, i) => {
        while (!stop) {
          await upload(url, app.tokens[i % app.tokens.length]!, twelve, `in-flight-${i}.jpg`);
          uploaded += 1;
        }
      });
      const during = await feedLoad(url, app.tokens, { connections: 4, seconds: 8 });
      stop = true;
      await Promise.all(uploaders);
      const ratio = during.p99 / alone.p99;
      console.log(
        `2. feed p99 with 4 uploads in flight / without: ${fixed(ratio, 2)}x (${fixed(during.p99)} vs ${fixed(alone.p99)} ms; ${fixed(during.reqPerSec, 0)} vs ${fixed(alone.reqPerSec, 0)} req/s; ${uploaded} uploads done meanwhile)`,
      );
      rows.push(['feed p99 with 4 uploads / without', `${fixed(ratio, 2)}x`, '<= 2x']);
    }

    if (runs('renditions')) {
      // 4. Cached rendition against the original.
      const posted = await upload(url, token, twelve, 'served.jpg');
      const rendition = posted.url.replace(/\.jpg$/, '.w640.jpg');
      await fetch(rendition).then((res) => res.arrayBuffer());
      const serve = async (target: string) => {
        const result = await autocannon({ url: target, connections: 4, duration: 5 });
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`serving ${target} failed`);
        return result.requests.mean;
      };
      const originalRate = await serve(posted.url);
      const renditionRate = await serve(rendition);
      const sizes = await Promise.all(
        [posted.url, rendition].map(async (u) => (await (await fetch(u)).arrayBuffer()).byteLength),
      );
      const ratio = renditionRate / originalRate;
      console.log(
        `4. cached 640-px rendition / original: ${fixed(ratio, 2)}x req/s (${fixed(renditionRate, 0)} vs ${fixed(originalRate, 0)}; ${fixed(sizes[1]! / 1024, 0)} KB vs ${fixed(sizes[0]! / 1024, 0)} KB)`,
      );
      rows.push(['cached rendition req/s / original', `${fixed(ratio, 2)}x`, '>= 0.5x']);
    }
    await app.server.stop();
  }

  if (runs('memory')) {
    // 3. Memory, each on a fresh server.
    const hundred = await photo(10_000, 10_000);
    const tools = await locateFfmpeg();
    if (!tools) throw new Error('no ffmpeg');
    // About 300 MB of real video: 1080p MJPEG at the highest quality, cut at 300 MB.
    await new Promise<void>((resolve, reject) => {
      const child = spawn(tools.ffmpeg, [
        ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-t', '120'],
        ...['-c:v', 'mjpeg', '-q:v', '1', '-fs', String(300 * MB), '-f', 'mp4', file('300mb.mp4')],
      ]);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))));
    });
    const videoBytes = await readFile(file('300mb.mp4'));
    const image = await peakGrowth(hundred, 'hundred.jpg');
    const video = await peakGrowth(videoBytes, 'big.mp4');
    console.log(
      `3. RSS growth: 100-MP JPEG (${fixed(hundred.length / MB)} MB) ${fixed(image.growthMb, 0)} MB in ${fixed(image.seconds)} s (target 256); ` +
        `${fixed((await stat(file('300mb.mp4'))).size / MB, 0)} MB MP4 ${fixed(video.growthMb, 0)} MB in ${fixed(video.seconds)} s (target 64)`,
    );
    rows.push(['RSS growth, 100-MP JPEG', `${fixed(image.growthMb, 0)} MB`, '<= 256 MB']);
    rows.push(['RSS growth, 300 MB MP4', `${fixed(video.growthMb, 0)} MB`, '<= 64 MB']);
  }

  console.log(`\n${table(['measure', 'figure', 'target'], rows)}`);
} finally {
  await runCleanups();
}
