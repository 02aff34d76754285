// Serves locally stored media with its Content-Type, an ETag and byte ranges (206), so browsers can
// seek videos and revalidate cheaply; image renditions are rendered on their first request.
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Renditions } from '../infra/media/renditions.ts';
import { MEDIA_ROUTE } from '../infra/storage/local.ts';
import { isStoredKey, parseRenditionKey } from '../infra/storage/local-keys.ts';

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
};

export function isMediaRequest(url: string): boolean {
  return url.startsWith(MEDIA_ROUTE);
}

/** Parses a single "bytes=a-b" range; null when absent, 'invalid' when unsatisfiable. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges or other units: serving the whole file is allowed (RFC 9110 §14.2).
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return 'invalid';
  let start: number;
  let end: number;
  if (from === '') {
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

/** A file's ETag: its size and modification time, which change whenever its bytes could have. */
const etagOf = (info: Stats) => `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;

/** Whether If-None-Match names the ETag (or is *): the client's copy is current. */
function isCurrent(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '');
    return value === '*' || value === etag;
  });
}

export interface MediaServing {
  uploadDir: string;
  renditions: Renditions;
}

export async function serveMedia(req: IncomingMessage, res: ServerResponse, { uploadDir, renditions }: MediaServing) {
  const key = keyOf(req.url ?? '/');
  const notFound = () => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (key === null) return notFound();
  let file = path.join(uploadDir, key);
  if (!isStoredKey(key)) {
    // Only a rung of the ladder, of an original that exists: nothing else is ever rendered.
    const rendition = parseRenditionKey(key);
    if (!rendition) return notFound();
    const original = path.join(uploadDir, rendition.originalKey);
    const served = await renditions.ensure(original, file, rendition.width);
    if (served === 'none') return notFound();
    if (served === 'original') file = original;
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return notFound();

  const etag = etagOf(info);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[path.extname(file).slice(1)] ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    'last-modified': info.mtime.toUTCString(),
    etag,
    // Keys are random and never reused, and a rendition of one is made from it alone: never changes.
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  };
  if (isCurrent(req.headers['if-none-match'], etag)) {
    const { 'content-type': _type, 'accept-ranges': _ranges, ...validators } = headers;
    res.writeHead(304, validators).end();
    return;
  }
  const range = parseRange(req.headers.range, info.size);
  if (range === 'invalid') {
    res.writeHead(416, { 'content-range': `bytes */${info.size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
  headers['content-length'] = info.size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return;
  }
  await pipeline(createReadStream(file, { start, end }), res).catch(() => {
    // The client went away mid-transfer (a seeking video player does this all the time).
  });
}

/** The storage key a /media/ URL names, or null when its escapes are not valid UTF-8. */
function keyOf(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url, 'http://localhost').pathname.slice(MEDIA_ROUTE.length));
  } catch {
    return null;
  }
}
