// A stand-in for ImageKit's API on a loopback port, speaking the endpoints the SDK and browsers call,
// with the documented auth, rules and response shapes:
//   POST   /api/v1/files/upload   multipart; Basic auth with the private key, or a browser's HMAC signature
//   POST   /api/v2/files/upload   multipart; Basic auth, or a browser's JWT that signs every other field
//   GET    /v1/files              list and search (path, type, searchQuery, sort, limit, skip)
//   GET    /v1/files/:id/details
//   DELETE /v1/files/:id          204, or 404 for an unknown file
// Both upload versions run `checks` and refuse to overwrite a file when overwriteFile is false; the rules
// are in fake-imagekit-rules.ts. The real service takes uploads on upload.imagekit.io and the rest on
// api.imagekit.io; the SDK only uses the upload host while its base URL is the default, so with baseURL
// set everything comes here.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { locateFfmpeg } from '../../src/infra/media/ffmpeg.ts';
import { ImageKitRefusal, runUploadChecks, searchFilter, verifyUploadToken } from './fake-imagekit-rules.ts';
import { ffprobeJson, run } from './media-files.ts';

export interface FakeFile {
  fileId: string;
  name: string;
  filePath: string;
  size: number;
  mime: string;
  fileType: 'image' | 'non-image';
  width?: number;
  height?: number;
  duration?: number;
  tags: string[];
  /** sha256 of the bytes received, to compare with what was sent. */
  sha256: string;
  /** Where the fake keeps the bytes, to measure them and render them at the URL endpoint. */
  contentPath: string;
  /** ISO time; a test may set it in the past to age the file. */
  createdAt: string;
  updatedAt: string;
  /** 1, then one more each time an upload overwrites the file (ImageKit keeps the fileId). */
  version: number;
}

export interface FakeImageKit {
  /** The API base URL: IMAGEKIT_BASE_URL for the server under test. */
  url: string;
  privateKey: string;
  publicKey: string;
  urlEndpoint: string;
  /** What ImageKit holds, by fileId. */
  files: Map<string, FakeFile>;
  /** Every request answered, in order. */
  requests: { method: string; path: string; status: number }[];
  /** Switches: 'error' answers 500; 'slow' answers nothing for slowMs (and stores nothing). */
  faults: {
    upload?: 'error' | 'slow';
    delete?: 'error';
    details?: 'error';
    list?: 'error';
    /** For the URL endpoint (renditions): 'error' answers 500, 'slow' answers nothing for slowMs. */
    rendition?: 'error' | 'slow';
  };
  slowMs: number;
  /** Renditions served at the URL endpoint. */
  renditions: number;
  /** Runs after an upload is stored, before ImageKit answers. */
  onUpload: ((file: FakeFile) => Promise<void> | void) | null;
  /** Runs before ImageKit answers a file's details. */
  onDetails: ((file: FakeFile | undefined) => Promise<void> | void) | null;
  /** Runs before ImageKit answers a list request, with its query parameters. */
  onList: ((params: URLSearchParams) => Promise<void> | void) | null;
  /** Puts a file straight into the media library (as the dashboard would), bypassing upload rules. */
  addFile(file: { folder: string; name: string; bytes: Uint8Array; createdAt?: Date }): Promise<FakeFile>;
  /** The variables that point the server at this fake. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

const textMimeOf = (name: string) => (path.extname(name) === '.txt' ? 'text/plain' : 'application/octet-stream');

const tools = await locateFfmpeg();

/**
 * What ImageKit reports of a file's media, read from its bytes: an image's stored width and height
 * (as its header has them: the EXIF orientation is not applied), a video's size and duration.
 */
async function measure(file: string, mime: string): Promise<Pick<FakeFile, 'width' | 'height' | 'duration'>> {
  try {
    if (mime.startsWith('image/')) {
      const { width, height } = await sharp(file).metadata();
      return { width, height };
    }
    if (mime.startsWith('video/') && tools) {
      const probe = await ffprobeJson(tools.ffprobe, file);
      const video = probe.streams.find((stream) => stream.codec_type === 'video');
      return { width: video?.width, height: video?.height, duration: Number(probe.format.duration) };
    }
  } catch {
    // Not decodable: ImageKit reports no dimensions.
  }
  return {};
}

/** ImageKit's `tr` parameter as the fake understands it: w-<pixels> and h-<pixels>. */
function resizeOf(tr: string | null): { width?: number; height?: number } {
  const box: { width?: number; height?: number } = {};
  for (const part of (tr ?? '').split(',')) {
    const [key, value] = part.split('-');
    if (key === 'w') box.width = Number(value);
    if (key === 'h') box.height = Number(value);
  }
  return box;
}

export async function startFakeImageKit(): Promise<FakeImageKit> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fake-imagekit-'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const usedTokens = new Set<string>();
  const usedJwts = new Set<string>();

  const fake: FakeImageKit = {
    url,
    privateKey: `private_fake_${randomBytes(8).toString('hex')}`,
    publicKey: `public_fake_${randomBytes(8).toString('hex')}`,
    urlEndpoint: `${url}/ik`,
    files: new Map(),
    requests: [],
    faults: {},
    slowMs: 5000,
    renditions: 0,
    onUpload: null,
    onDetails: null,
    onList: null,
    async addFile({ folder, name, bytes, createdAt = new Date() }) {
      const mime = (await fileTypeFromBuffer(bytes))?.mime ?? textMimeOf(name);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const contentPath = path.join(dir, `content-${randomUUID()}`);
      await writeFile(contentPath, bytes);
      const file = newFile(`${folderOf(folder)}${name}`, {
        size: bytes.length,
        mime,
        sha256,
        contentPath,
        ...(await measure(contentPath, mime)),
      });
      file.createdAt = file.updatedAt = createdAt.toISOString();
      fake.files.set(file.fileId, file);
      return file;
    },
    env: () => ({
      IMAGEKIT_PRIVATE_KEY: fake.privateKey,
      IMAGEKIT_PUBLIC_KEY: fake.publicKey,
      IMAGEKIT_URL_ENDPOINT: fake.urlEndpoint,
      IMAGEKIT_BASE_URL: fake.url,
    }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body?: object) => {
    fake.requests.push({ method: req.method ?? '', path: req.url ?? '', status });
    if (res.destroyed) return;
    if (body === undefined) res.writeHead(status).end();
    else res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  };
  const fail = (req: IncomingMessage, res: ServerResponse, status: number, message: string) =>
    send(req, res, status, { message, help: 'For support kindly contact us at support@imagekit.io .' });

  // The SDK sends "Basic base64(privateKey:anything)"; ImageKit only looks at the user part.
  const hasPrivateKey = (req: IncomingMessage) => {
    const match = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    return match !== null && Buffer.from(match[1]!, 'base64').toString('utf8').split(':')[0] === fake.privateKey;
  };

  // Client-side uploads: signature = HMAC-SHA1(privateKey, token + expire), token single use.
  const signedByBrowser = (fields: Record<string, string>) => {
    const { publicKey, signature = '', token = '', expire = '' } = fields;
    const expected = createHmac('sha1', fake.privateKey)
      .update(token + expire)
      .digest('hex');
    const valid =
      publicKey === fake.publicKey &&
      signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) &&
      Number(expire) > Date.now() / 1000 &&
      !usedTokens.has(token);
    if (valid) usedTokens.add(token);
    return valid;
  };

  async function upload(req: IncomingMessage, res: ServerResponse, version: 1 | 2) {
    const basic = req.headers.authorization !== undefined;
    if (basic && !hasPrivateKey(req)) return fail(req, res, 401, 'Your account cannot be authenticated.');
    if (fake.faults.upload === 'slow') {
      req.resume();
      await sleep(fake.slowMs, undefined, { ref: false });
      return fail(req, res, 504, 'Gateway timeout');
    }
    const { fields, file } = await readMultipart(req, dir);
    try {
      if (!basic && version === 1 && !signedByBrowser(fields))
        return fail(req, res, 403, 'Your request contains invalid signature or expired token.');
      if (!basic && version === 2)
        verifyUploadToken(fields, { privateKey: fake.privateKey, publicKey: fake.publicKey, used: usedJwts });
      if (fake.faults.upload === 'error') return fail(req, res, 500, 'Internal server error');
      if (!file || !fields.fileName) return fail(req, res, 400, 'Missing file parameter for upload');
      const stored = await store(file, fields);
      await fake.onUpload?.(stored);
      send(req, res, 200, uploadResponse(stored));
    } catch (error) {
      if (!(error instanceof ImageKitRefusal)) throw error;
      fail(req, res, error.status, error.message);
    } finally {
      if (file) await rm(file.path, { force: true });
    }
  }

  const folderOf = (folder: string | undefined) =>
    `/${(folder ?? '').split('/').filter(Boolean).join('/')}/`.replace('//', '/');

  type Content = Pick<FakeFile, 'size' | 'mime' | 'sha256' | 'contentPath' | 'width' | 'height' | 'duration'>;

  function newFile(filePath: string, content: Content): FakeFile {
    const image = content.mime.startsWith('image/');
    const now = new Date().toISOString();
    return {
      fileId: randomBytes(12).toString('hex'),
      name: filePath.slice(filePath.lastIndexOf('/') + 1),
      filePath,
      ...content,
      fileType: image ? 'image' : 'non-image',
      tags: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
  }

  async function store(file: ReceivedFile, fields: Record<string, string>): Promise<FakeFile> {
    // ImageKit tells binary files by their magic number and text files by their extension.
    const mime = (await fileTypeFromFile(file.path))?.mime ?? textMimeOf(fields.fileName ?? '');
    runUploadChecks(fields.checks, { size: file.size, mime });
    // ImageKit keeps letters, digits, . _ and - in a name and turns anything else into _.
    const fileName = (fields.fileName ?? 'file').replace(/[^\p{L}\p{M}\p{N}._-]/gu, '_');
    const ext = path.extname(fileName);
    const base = path.basename(fileName, ext);
    const unique = fields.useUniqueFileName !== 'false';
    const filePath = `${folderOf(fields.folder)}${unique ? `${base}_${randomBytes(5).toString('hex')}${ext}` : fileName}`;
    const contentPath = path.join(dir, `content-${randomUUID()}`);
    await copyFile(file.path, contentPath);
    const content = { size: file.size, mime, sha256: file.sha256, contentPath, ...(await measure(contentPath, mime)) };
    const existing = [...fake.files.values()].find((other) => other.filePath === filePath);
    if (existing) {
      // overwriteFile defaults to true; false (with useUniqueFileName false) refuses at once.
      if (fields.overwriteFile === 'false') {
        throw new ImageKitRefusal(
          400,
          'A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.',
        );
      }
      // A new version of the same file: its fileId stays, its content is the new one.
      const image = mime.startsWith('image/');
      Object.assign(existing, content, {
        fileType: image ? 'image' : 'non-image',
        updatedAt: new Date().toISOString(),
        version: existing.version + 1,
      });
      return existing;
    }
    const stored = newFile(filePath, content);
    stored.tags = fields.tags ? fields.tags.split(',') : [];
    fake.files.set(stored.fileId, stored);
    return stored;
  }

  const uploadResponse = (file: FakeFile) => ({
    fileId: file.fileId,
    name: file.name,
    size: file.size,
    versionInfo: { id: `${file.fileId}-${file.version}`, name: `Version ${file.version}` },
    filePath: file.filePath,
    url: `${fake.urlEndpoint}${file.filePath}`,
    fileType: file.fileType,
    height: file.height,
    width: file.width,
    ...(file.duration === undefined
      ? {}
      : { duration: file.duration, bitRate: 1200, videoCodec: 'h264', audioCodec: 'aac' }),
    thumbnailUrl: file.fileType === 'image' ? `${fake.urlEndpoint}/tr:n-ik_ml_thumbnail${file.filePath}` : undefined,
    tags: file.tags.length > 0 ? file.tags : null,
    AITags: null,
    isPrivateFile: false,
    isPublished: true,
    customCoordinates: null,
  });

  const details = (file: FakeFile) => ({
    type: 'file',
    ...uploadResponse(file),
    thumbnailUrl: undefined,
    thumbnail: `${fake.urlEndpoint}/tr:n-ik_ml_thumbnail${file.filePath}`,
    mime: file.mime,
    hasAlpha: false,
    customMetadata: {},
    createdAt: file.createdAt,
    updatedAt: file.updatedAt,
  });

  /**
   * The URL endpoint: GET /ik/<filePath>[/ik-thumbnail.jpg]?tr=w-..,h-.. renders the file (or a video's
   * first frame) fitted in the box, in its own format (the thumbnail as JPEG), as ImageKit's CDN does.
   */
  async function rendition(req: IncomingMessage, res: ServerResponse, pathname: string, tr: string | null) {
    const requested = decodeURIComponent(pathname.slice('/ik'.length));
    const thumbnail = requested.endsWith('/ik-thumbnail.jpg');
    const filePath = thumbnail ? requested.slice(0, -'/ik-thumbnail.jpg'.length) : requested;
    const file = [...fake.files.values()].find((candidate) => candidate.filePath === filePath);
    if (fake.faults.rendition === 'slow') {
      await sleep(fake.slowMs, undefined, { ref: false });
      return fail(req, res, 504, 'Gateway timeout');
    }
    if (fake.faults.rendition === 'error') return fail(req, res, 500, 'Internal server error');
    if (!file) return fail(req, res, 404, 'Not found');
    let source: Buffer = await readFile(file.contentPath);
    if (thumbnail) {
      if (!tools) return fail(req, res, 500, 'no ffmpeg to make a thumbnail');
      const frame = path.join(dir, `frame-${randomUUID()}.jpg`);
      await run(tools.ffmpeg, ['-v', 'error', '-i', file.contentPath, '-frames:v', '1', '-y', frame]);
      source = await readFile(frame);
      await rm(frame, { force: true });
    }
    const box = resizeOf(tr);
    const image = sharp(source, { autoOrient: true }).resize({ ...box, fit: 'inside', withoutEnlargement: true });
    const { data, info } = await image.toBuffer({ resolveWithObject: true });
    fake.renditions += 1;
    fake.requests.push({ method: req.method ?? '', path: req.url ?? '', status: 200 });
    res.writeHead(200, { 'content-type': `image/${info.format}`, 'content-length': data.length }).end(data);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const { pathname, searchParams } = new URL(req.url ?? '/', url);
    if (req.method === 'GET' && pathname.startsWith('/ik/')) {
      req.resume();
      return rendition(req, res, pathname, searchParams.get('tr'));
    }
    if (req.method === 'POST' && pathname === '/api/v1/files/upload') return upload(req, res, 1);
    if (req.method === 'POST' && pathname === '/api/v2/files/upload') return upload(req, res, 2);
    req.resume();
    if (req.method === 'GET' && pathname === '/v1/files')
      return list(req, res).catch((error: unknown) => {
        if (!(error instanceof ImageKitRefusal)) throw error;
        fail(req, res, error.status, error.message);
      });
    const match = /^\/v1\/files\/([^/]+)(\/details)?$/.exec(pathname);
    if (!match) return fail(req, res, 404, 'Not found');
    if (!hasPrivateKey(req)) return fail(req, res, 401, 'Your account cannot be authenticated.');
    const file = fake.files.get(decodeURIComponent(match[1]!));
    if (req.method === 'GET' && match[2]) {
      if (fake.faults.details === 'error') return fail(req, res, 500, 'Internal server error');
      await fake.onDetails?.(file);
      return file ? send(req, res, 200, details(file)) : fail(req, res, 404, 'The requested file does not exist.');
    }
    if (req.method === 'DELETE' && !match[2]) {
      if (fake.faults.delete === 'error') return fail(req, res, 500, 'Internal server error');
      if (!file) return fail(req, res, 404, 'The requested file does not exist.');
      fake.files.delete(file.fileId);
      return send(req, res, 204);
    }
    return fail(req, res, 405, 'Method not allowed');
  }

  /** The folders files are in, with the creation time of their oldest file (ImageKit keeps its own). */
  function folders(): FolderEntry[] {
    const found = new Map<string, FolderEntry>();
    for (const file of fake.files.values()) {
      const parts = file.filePath.split('/').slice(1, -1);
      for (let depth = 1; depth <= parts.length; depth += 1) {
        const folderPath = `/${parts.slice(0, depth).join('/')}`;
        const known = found.get(folderPath);
        if (!known || known.createdAt > file.createdAt) {
          found.set(folderPath, { type: 'folder', name: parts[depth - 1]!, folderPath, createdAt: file.createdAt });
        }
      }
    }
    return [...found.values()];
  }

  const SORTS: Record<string, (a: Listed, b: Listed) => number> = {
    ASC_CREATED: (a, b) => a.createdAt.localeCompare(b.createdAt),
    DESC_CREATED: (a, b) => b.createdAt.localeCompare(a.createdAt),
    ASC_NAME: (a, b) => a.name.localeCompare(b.name),
  };

  /**
   * GET /v1/files: files (or with type=folder, folders) directly in `path` (anywhere without it), matching
   * `searchQuery`; with a searchQuery the type parameter has no effect, so both kinds match unless the
   * query names one. Sorted (ASC_CREATED by default), then `skip` and `limit` (1 to 1000, default 1000).
   */
  async function list(req: IncomingMessage, res: ServerResponse) {
    if (!hasPrivateKey(req)) return fail(req, res, 401, 'Your account cannot be authenticated.');
    if (fake.faults.list === 'error') return fail(req, res, 500, 'Internal server error');
    const params = new URL(req.url ?? '/', url).searchParams;
    await fake.onList?.(params);
    const where = params.get('path') === null ? null : folderOf(params.get('path') ?? '/');
    const searchQuery = params.get('searchQuery');
    const type = searchQuery === null ? (params.get('type') ?? 'file') : 'all';
    const limit = Number(params.get('limit') ?? 1000);
    const skip = Number(params.get('skip') ?? 0);
    const sort = SORTS[params.get('sort') ?? 'ASC_CREATED'];
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || !Number.isInteger(skip) || skip < 0 || !sort) {
      return fail(req, res, 400, 'Invalid limit, skip or sort parameter.');
    }
    const matches = searchFilter(searchQuery);
    const parentOf = (assetPath: string) => assetPath.slice(0, assetPath.lastIndexOf('/') + 1);
    const listed: Listed[] = [
      ...[...fake.files.values()].map((file) => ({ ...file, type: 'file' as const, path: file.filePath })),
      ...folders().map((folder) => ({ ...folder, path: folder.folderPath })),
    ].filter(
      (asset) =>
        (where === null || parentOf(asset.path) === where) && (type === 'all' || asset.type === type) && matches(asset),
    );
    const page = listed.sort(sort).slice(skip, skip + limit);
    return send(
      req,
      res,
      200,
      page.map((asset) => (asset.type === 'file' ? details(fake.files.get(asset.fileId)!) : folderJson(asset))),
    );
  }

  const folderJson = (folder: FolderEntry) => ({
    type: 'folder',
    name: folder.name,
    folderPath: folder.folderPath,
    folderId: createHash('sha256').update(folder.folderPath).digest('hex').slice(0, 24),
    createdAt: folder.createdAt,
    updatedAt: folder.createdAt,
    customMetadata: {},
  });

  server.on('request', (req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent && !res.destroyed) fail(req, res, 500, String(error));
    });
  });
  return fake;
}

interface FolderEntry {
  type: 'folder';
  name: string;
  folderPath: string;
  createdAt: string;
}

type Listed = ({ type: 'file'; fileId: string } & FakeFile & { path: string }) | (FolderEntry & { path: string });

interface ReceivedFile {
  path: string;
  size: number;
  contentType: string;
  sha256: string;
}

/** Streams a multipart body: fields into strings, the file part onto disk, so size costs no memory. */
async function readMultipart(
  req: IncomingMessage,
  dir: string,
): Promise<{ fields: Record<string, string>; file: ReceivedFile | null }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
  if (!boundary) throw new Error('not a multipart request');
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  const fields: Record<string, string> = {};
  let file: ReceivedFile | null = null;
  let part: {
    name: string;
    chunks: Buffer[];
    out?: WriteStream;
    received?: ReceivedFile;
    hash?: ReturnType<typeof createHash>;
  } | null = null;
  let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  // A leading CRLF makes the first delimiter look like all the others.
  let buffer = Buffer.from('\r\n');

  const write = async (data: Buffer) => {
    if (!part || data.length === 0) return;
    if (!part.out) return void part.chunks.push(data);
    part.received!.size += data.length;
    part.hash!.update(data);
    if (!part.out.write(data)) await once(part.out, 'drain');
  };
  const finishPart = async () => {
    if (!part) return;
    if (part.out) {
      part.out.end();
      await once(part.out, 'close');
      file = { ...part.received!, sha256: part.hash!.digest('hex') };
    } else {
      fields[part.name] = Buffer.concat(part.chunks).toString('utf8');
    }
    part = null;
  };

  for await (const chunk of req) {
    buffer = Buffer.concat([buffer, chunk as Buffer]);
    while (state !== 'done') {
      if (state === 'headers') {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) break;
        const headers = buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 4);
        const name = /\bname="([^"]*)"/i.exec(headers)?.[1] ?? '';
        const isFile = /\bfilename="/i.test(headers);
        part = { name, chunks: [] };
        if (isFile) {
          const filePath = path.join(dir, randomUUID());
          part.out = createWriteStream(filePath);
          part.hash = createHash('sha256');
          part.received = {
            path: filePath,
            size: 0,
            contentType: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1] ?? '',
            sha256: '',
          };
        }
        state = 'body';
        continue;
      }
      const at = buffer.indexOf(delimiter);
      if (at === -1 || buffer.length < at + delimiter.length + 2) {
        // Keep a tail that may be the start of a delimiter; the rest is part data.
        const keep = at === -1 ? delimiter.length + 2 : buffer.length - at;
        if (state === 'body' && buffer.length > keep) {
          await write(buffer.subarray(0, buffer.length - keep));
          buffer = buffer.subarray(buffer.length - keep);
        }
        break;
      }
      if (state === 'body') {
        await write(buffer.subarray(0, at));
        await finishPart();
      }
      const next = buffer.subarray(at + delimiter.length, at + delimiter.length + 2).toString();
      buffer = buffer.subarray(at + delimiter.length + 2);
      state = next === '--' ? 'done' : 'headers';
    }
  }
  if (state !== 'done') {
    const open = part as { out?: WriteStream; received?: ReceivedFile } | null;
    open?.out?.destroy();
    if (open?.received) await rm(open.received.path, { force: true });
    throw new Error('the multipart body ended early');
  }
  return { fields, file };
}

/** ImageKit's answer to an upload: the file's record, or { message, help } with a 4xx. */
export interface UploadAnswer {
  status: number;
  body: { fileId?: string; filePath?: string; name?: string; message?: string };
}

/** Sends an upload form the way a browser does (no private key): the fields, then the file. */
export async function postUploadForm(
  uploadUrl: string,
  fields: Record<string, string>,
  { bytes, contentType = 'application/octet-stream' }: { bytes: Uint8Array; contentType?: string },
): Promise<UploadAnswer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), fields.fileName ?? 'file');
  const response = await fetch(uploadUrl, { method: 'POST', body: form });
  return { status: response.status, body: await response.json() };
}

/**
 * Uploads with imageKitUploadAuth's answer as a browser does: every field it lists, unchanged. `change`
 * sets a field to another value (null leaves it out), as a tampering browser would.
 */
export function uploadFromBrowser(
  auth: { uploadUrl: string; fields: { name: string; value: string }[] },
  file: { bytes: Uint8Array; contentType?: string },
  change: Record<string, string | null> = {},
): Promise<UploadAnswer> {
  const fields: Record<string, string> = Object.fromEntries(auth.fields.map(({ name, value }) => [name, value]));
  for (const [name, value] of Object.entries(change)) {
    if (value === null) delete fields[name];
    else fields[name] = value;
  }
  return postUploadForm(auth.uploadUrl, fields, file);
}
