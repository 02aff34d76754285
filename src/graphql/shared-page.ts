// A page every visitor gets the same (GraphiQL's): its ETag and its compressed forms, each made once,
// off the event loop, and which form a request takes.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type PageEncoding = 'br' | 'gzip';

const compressors: Record<PageEncoding, (page: Buffer) => Promise<Buffer>> = {
  // Quality 5: nearly the size of 11 (0.22 of the page against 0.19), in a second instead of half a
  // minute for GraphiQL's 9 MB, made once per server.
  br: (page) =>
    promisify(brotliCompress)(page, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: page.length },
    }),
  gzip: (page) => promisify(gzip)(page),
};

export interface SharedPage {
  /** The ETag of the page as sent with `encoding` (null: as it is). */
  etag(encoding: PageEncoding | null): string;
  /** Whether an If-None-Match header names this page, in any of its forms. */
  matches(ifNoneMatch: string | null): boolean;
  encoded(encoding: PageEncoding): Promise<Buffer>;
}

export function sharedPage(html: string): SharedPage {
  const bytes = Buffer.from(html);
  const hash = createHash('sha256').update(bytes).digest('base64url').slice(0, 27);
  // Each form is its own representation, with a tag of its own (RFC 9110 8.8.3).
  const etag = (encoding: PageEncoding | null) => `"${hash}${encoding ? `-${encoding}` : ''}"`;
  const tags = new Set([etag(null), etag('br'), etag('gzip')]);
  const encoded = new Map<PageEncoding, Promise<Buffer>>();
  return {
    etag,
    matches: (ifNoneMatch) =>
      ifNoneMatch
        ?.split(',')
        .map((tag) => tag.trim().replace(/^W\//, ''))
        .some((tag) => tag === '*' || tags.has(tag)) ?? false,
    encoded(encoding) {
      let body = encoded.get(encoding);
      if (!body) {
        body = compressors[encoding](bytes);
        // A failure is not kept: the next request tries again.
        body.catch(() => encoded.delete(encoding));
        encoded.set(encoding, body);
      }
      return body;
    },
  };
}

/** The encoding to send for an Accept-Encoding header: brotli, else gzip, else none (q=0 refuses one). */
export function preferredEncoding(acceptEncoding: string | null): PageEncoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((item) => item.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((param) => param.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const takes = (encoding: PageEncoding) => (accepted.get(encoding) ?? accepted.get('*') ?? 0) > 0;
  if (takes('br')) return 'br';
  if (takes('gzip')) return 'gzip';
  return null;
}
