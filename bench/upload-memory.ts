// Server memory while a 300 MB upload passes through it, once to local disk and once to (a fake)
// ImageKit. The server runs as its own process (npx tsx src/server.ts); its resident memory is read
// from /proc/<pid>/status while the client streams the file from disk. Target: peak growth over
// idle of at most 64 MB for either storage.   npm run bench:upload-memory
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FakeImageKit, startFakeImageKit } from '../test/support/fake-imagekit.ts';

const MB = 1024 * 1024;
const FILE_BYTES = 300 * MB;
const TARGET_MB = 64;
const root = path.join(import.meta.dirname, '..');
const UPLOAD = 'mutation($file: Upload!) { uploadPost(file: $file) { id size mimeType url } }';

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-upload-memory-'));
const bigFile = path.join(dir, 'big.mp4');

/** A real MP4 head (so the type sniffing passes) padded with zeros to the full size. */
async function makeBigFile() {
  const head = await readFile(path.join(root, 'test', 'fixtures', 'clip.mp4'));
  const zeros = Buffer.alloc(MB);
  async function* chunks() {
    yield head;
    for (let left = FILE_BYTES - head.length; left > 0; left -= MB) yield left >= MB ? zeros : zeros.subarray(0, left);
  }
  await pipeline(Readable.from(chunks()), createWriteStream(bigFile));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Bytes the process has sent to the storage layer (dirtied pages included), from /proc/<pid>/io. */
async function bytesWritten(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/io`, 'utf8');
  return Number(/^write_bytes: (\d+)$/m.exec(text)![1]);
}

/** kB from /proc/<pid>/status. */
async function status(pid: number): Promise<{ rss: number; hwm: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)![1]);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** npx starts tsx, which starts node with its loader: the server is the deepest node process running src/server.ts. */
async function serverPid(rootPid: number): Promise<{ pid: number; cmdline: string }> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    // The command name is in parentheses and may contain spaces; the ppid is the second field after it.
    if (stat) parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const depthOf = (pid: number): number => {
    let depth = 0;
    for (let p = pid; p !== rootPid; p = parents.get(p)!, depth += 1) if (!parents.has(p) || p <= 1) return -1;
    return depth;
  };
  const cmdlineOf = async (pid: number) =>
    (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').trim();
  const candidates = [];
  for (const pid of parents.keys()) {
    const cmdline = await cmdlineOf(pid);
    // tsx's own process and esbuild's service are descendants too; only the server runs the loader.
    if (depthOf(pid) >= 0 && /\bnode\b.*--import.*src\/server\.ts/.test(cmdline))
      candidates.push({ pid, cmdline, depth: depthOf(pid) });
  }
  const [server] = candidates.sort((a, b) => b.depth - a.depth);
  if (!server) throw new Error('could not find the server process');
  return server;
}

async function gql(url: string, query: string, variables: object, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A GraphQL multipart request whose file part streams from disk, with an exact Content-Length. */
async function streamUpload(url: string, token: string, file: string, size: number) {
  const boundary = `bench-${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: UPLOAD, variables: { file: null } })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    yield* createReadStream(file, { highWaterMark: MB });
    yield tail;
  }
  const target = new URL(`${url}/graphql`);
  return new Promise<any>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + size + tail.length,
          authorization: `Bearer ${token}`,
          'apollo-require-preflight': '1',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', reject);
    pipeline(Readable.from(body()), req).catch(reject);
  });
}

interface Result {
  storage: string;
  idleMb: number;
  peakMb: number;
  hwmMb: number;
  seconds: number;
  leftovers: string[];
  /** What the server process wrote to disk during the upload (/proc/<pid>/io write_bytes). */
  writtenMb: number;
}

async function run(storage: 'local' | 'imagekit'): Promise<Result> {
  const work = path.join(dir, storage);
  const tmp = path.join(work, 'tmp');
  await rm(work, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  let fake: FakeImageKit | null = null;
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^IMAGE_?KIT|^STORAGE$/.test(name)),
  );
  const env: Record<string, string | undefined> = {
    ...inherited,
    NODE_ENV: 'production',
    MAIL_LOG_ONLY: 'true',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0000',
    DATABASE_URL: `file:${path.join(work, 'bench.db')}`,
    DATA_DIR: work,
    UPLOAD_DIR: path.join(work, 'uploads'),
    MAX_UPLOAD_BYTES: String(FILE_BYTES + 10 * MB),
    BCRYPT_COST: '4',
    LOG_LEVEL: 'warn',
    // graphql-upload-ts's temp files go here, so leftovers can be counted.
    TMPDIR: tmp,
    // One account uploads every file; the per-user limits are not what this measures.
    UPLOAD_MAX_PER_HOUR: '0',
    UPLOAD_MAX_BYTES_PER_DAY: '0',
  };
  if (storage === 'imagekit') {
    fake = await startFakeImageKit();
    Object.assign(env, fake.env(), { IMAGEKIT_TIMEOUT_MS: '600000', IMAGEKIT_MAX_RETRIES: '0' });
  }
  const url = `http://127.0.0.1:${env.PORT}`;
  const child: ChildProcess = spawn('npx', ['tsx', 'src/server.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  try {
    for (let i = 0; ; i += 1) {
      if (
        await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 300) throw new Error('the server did not start');
      await sleep(100);
    }
    const { pid, cmdline } = await serverPid(child.pid!);
    console.log(`\n[${storage}] server pid ${pid}: ${cmdline}`);

    const input = { email: 'bench@example.com', username: 'bench', password: 'correct horse battery' };
    await gql(url, 'mutation($input: RegisterInput!) { register(input: $input) { id } }', { input });
    const { login } = await gql(
      url,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: input.email, p: input.password },
    );
    // Warm-up: the same path with a small file, so code loading is not counted as upload memory.
    const warm = path.join(root, 'test', 'fixtures', 'clip.mp4');
    for (let i = 0; i < 3; i += 1) await streamUpload(url, login.token, warm, (await stat(warm)).size);
    await sleep(1500);
    const idleSamples: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      idleSamples.push((await status(pid)).rss);
      await sleep(50);
    }
    const idle = Math.max(...idleSamples);
    // Resets VmHWM to the current RSS, so it then holds the peak of the upload alone.
    await writeFile(`/proc/${pid}/clear_refs`, '5');

    const writtenBefore = await bytesWritten(pid);
    let peak = idle;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, (await status(pid)).rss);
        await sleep(10);
      }
    })();
    const started = Date.now();
    const res = await streamUpload(url, login.token, bigFile, FILE_BYTES);
    const seconds = (Date.now() - started) / 1000;
    sampling = false;
    await sampler;
    const { hwm } = await status(pid);
    const written = (await bytesWritten(pid)) - writtenBefore;
    if (res.errors || res.data?.uploadPost?.size !== FILE_BYTES)
      throw new Error(`upload failed: ${JSON.stringify(res)}`);
    if (fake && ![...fake.files.values()].some((f) => f.size === FILE_BYTES))
      throw new Error('the fake ImageKit did not receive the whole file');

    await sleep(500);
    const leftovers = [
      ...(await readdir(tmp)).filter((name) => name.startsWith('capacitor-')),
      ...(await readdir(path.join(work, 'uploads', '.incoming')).catch(() => [])),
    ];
    return {
      storage,
      idleMb: idle / 1024,
      peakMb: peak / 1024,
      hwmMb: hwm / 1024,
      seconds,
      leftovers,
      writtenMb: written / MB,
    };
  } finally {
    // The whole process group this run started: npx, tsx and the server.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    await fake?.close();
    await rm(work, { recursive: true, force: true });
  }
}

try {
  console.log(`writing a ${FILE_BYTES / MB} MB test file...`);
  await makeBigFile();
  const results = [await run('local'), await run('imagekit')];
  console.log(`\nupload of ${FILE_BYTES / MB} MB; server RSS in MB (target: growth <= ${TARGET_MB} MB)`);
  console.log(
    'storage    idle   peak (sampled)  growth   peak (VmHWM)  growth   seconds   written to disk   leftovers',
  );
  let ok = true;
  for (const r of results) {
    const growth = r.peakMb - r.idleMb;
    const hwmGrowth = r.hwmMb - r.idleMb;
    ok &&= hwmGrowth <= TARGET_MB && r.leftovers.length === 0;
    console.log(
      `${r.storage.padEnd(9)} ${r.idleMb.toFixed(1).padStart(6)} ${r.peakMb.toFixed(1).padStart(10)} ${growth.toFixed(1).padStart(12)} ` +
        `${r.hwmMb.toFixed(1).padStart(10)} ${hwmGrowth.toFixed(1).padStart(11)} ${r.seconds.toFixed(1).padStart(9)} ` +
        `${`${r.writtenMb.toFixed(0)} MB (${(r.writtenMb / (FILE_BYTES / MB)).toFixed(2)}x)`.padStart(17)}   ${r.leftovers.length === 0 ? 'none' : r.leftovers.join(', ')}`,
    );
  }
  console.log(ok ? '\nwithin target' : '\nOVER TARGET');
  process.exitCode = ok ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
