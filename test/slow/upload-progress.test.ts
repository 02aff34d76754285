// The README's upload-progress recipe in a real browser: Debian's Chromium (playwright-core) runs urql
// and Apollo Client, bundled here with esbuild, uploading a photo through the XMLHttpRequest-based
// fetch of test/clients/upload-progress.ts, with the upload throttled (Chrome's network emulation) so
// that progress comes in steps.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadRun } from '../clients/browser-uploads.ts';
import { signUp, type TestUser } from '../support/accounts.ts';
import { dbIdOf } from '../support/ids.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
// Bytes a second the browser may send: a 1.5 MB photo takes a few seconds, in many progress events.
const UPLOAD_THROUGHPUT = 512 * 1024;

let server: TestServer;
let alice: TestUser;
let page: Server;
let pageUrl: string;
let photo: Buffer;
let browser: Browser | undefined;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
  const [bundle, noise] = await Promise.all([
    build({
      entryPoints: [path.join(import.meta.dirname, '..', 'clients', 'browser-uploads.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      define: { 'process.env.NODE_ENV': '"production"' },
    }),
    sharp({
      create: {
        width: 1400,
        height: 1000,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality: 95 })
      .toBuffer(),
  ]);
  photo = noise;
  const script = bundle.outputFiles[0]!.contents;
  // The app's own origin, another than the API's (CORS allows any outside production).
  page = createServer((req, res) => {
    if (req.url === '/app.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (req.url === '/photo.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><script type="module" src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => page?.close(resolve));
  await server?.close();
});

async function uploadIn(client: 'urql' | 'apollo'): Promise<UploadRun> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does).`);
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: UPLOAD_THROUGHPUT,
    });
    await tab.goto(pageUrl);
    await tab.waitForFunction(() => typeof window.uploadWith === 'function');
    const run = await tab.evaluate(([name, url, token]) => window.uploadWith(name, url, token, '/photo.jpg'), [
      client,
      `${server.url}/graphql`,
      alice.token,
    ] as const);
    expect(errors).toEqual([]);
    return run;
  } finally {
    await context.close();
  }
}

describe.each(['urql', 'apollo'] as const)('%s with the XMLHttpRequest fetch', (client) => {
  it('reports the upload’s progress as it goes, up to the whole body, and posts the photo', async () => {
    const run = await uploadIn(client);
    expect(run.error).toBeNull();
    expect(run.post).toMatchObject({ width: 1400 });
    expect(await server.db.post.count({ where: { id: dbIdOf(run.post!.id) } })).toBe(1);

    const { progress } = run;
    // Several steps at 512 KB/s, each further than the one before, ending with the whole body.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    const total = progress.at(-1)!.total;
    expect(total).toBeGreaterThan(photo.length);
    expect(progress.at(-1)!.loaded).toBe(total);
    for (let i = 1; i < progress.length; i += 1)
      expect(progress[i]!.loaded).toBeGreaterThanOrEqual(progress[i - 1]!.loaded);
    expect(progress[0]!.loaded).toBeLessThan(total);
  }, 120_000);
});
