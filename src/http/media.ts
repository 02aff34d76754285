// Serves locally stored media with its Content-Type and byte ranges (206), so browsers can seek videos.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LOCAL_KEY_PATTERN, MEDIA_ROUTE } from '../infra/storage/local.ts';

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

export async function serveMedia(req: IncomingMessage, res: ServerResponse, uploadDir: string): Promise<void> {
  const key = keyOf(req.url ?? '/');
  const notFound = () => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (key === null || !LOCAL_KEY_PATTERN.test(key)) return notFound();
  const file = path.join(uploadDir, key);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return notFound();

  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[path.extname(file).slice(1)] ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    'last-modified': info.mtime.toUTCString(),
    // Keys are random and never reused, so a stored file never changes.
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  };
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
