// Media files built byte by byte for the src/infra/media tests, and readers of what a file holds
// (JPEG segments, MP4 boxes), so the tests check the bytes themselves, not only what a parser reports.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';

export const run = promisify(execFile);

/** A temp folder for one test file, and its removal. */
export async function tempFolder(prefix: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  return { dir, file: (name: string) => path.join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid PNG signature and IHDR (with its CRC) declaring width x height 8-bit
 * RGB pixels, then a tiny IDAT (a few zero bytes, deflated) and IEND. About 70 bytes on disk.
 */
export function pngBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(16))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The marker segments of a JPEG before its image data, e.g. ['APP0', 'APP2', 'DQT', ...]. */
export function jpegSegments(jpeg: Buffer): string[] {
  const names: string[] = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xda) break; // start of scan: image data follows
    names.push(marker >= 0xe0 && marker <= 0xef ? `APP${marker - 0xe0}` : `0x${marker.toString(16)}`);
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return names;
}

/**
 * The JPEG with an IPTC caption and by-line in a Photoshop APP13 segment (what photo agencies and
 * Lightroom write), inserted after its first segment. sharp has no way to write IPTC itself.
 */
export function withIptc(jpeg: Buffer, caption: string, byline: string): Buffer {
  const dataset = (tag: number, text: string) => {
    const value = Buffer.from(text, 'utf8');
    return Buffer.concat([Buffer.from([0x1c, 0x02, tag, value.length >> 8, value.length & 0xff]), value]);
  };
  const iptc = Buffer.concat([dataset(0x78, caption), dataset(0x50, byline)]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(iptc.length);
  const resource = Buffer.concat([
    Buffer.from('8BIM', 'latin1'),
    Buffer.from([0x04, 0x04, 0x00, 0x00]), // resource 0x0404 (IPTC), empty padded name
    size,
    iptc,
    Buffer.alloc(iptc.length % 2),
  ]);
  const body = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]);
  const header = Buffer.from([0xff, 0xed, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  const firstEnd = 2 + 2 + jpeg.readUInt16BE(4);
  return Buffer.concat([jpeg.subarray(0, firstEnd), header, body, jpeg.subarray(firstEnd)]);
}

/** The four-character types of an MP4/MOV's boxes, nested ones included (moov/udta/©xyz ...). */
export function mp4Boxes(file: Buffer): string[] {
  const containers = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'udta', 'edts', 'dinf', 'meta', 'ilst']);
  const types: string[] = [];
  const walk = (start: number, end: number) => {
    let at = start;
    while (at + 8 <= end) {
      let size = file.readUInt32BE(at);
      const type = file.toString('latin1', at + 4, at + 8);
      let header = 8;
      if (size === 1) {
        size = Number(file.readBigUInt64BE(at + 8));
        header = 16;
      }
      if (size === 0) size = end - at;
      if (size < header) return;
      types.push(type);
      // An MP4 'meta' is a full box (4 bytes of version and flags) before its children; QuickTime's is not.
      const skip = type === 'meta' && file.toString('latin1', at + header + 4, at + header + 8) !== 'hdlr' ? 4 : 0;
      if (containers.has(type)) walk(at + header + skip, Math.min(at + size, end));
      at += size;
    }
  };
  walk(0, file.length);
  return types;
}

/** ffprobe's JSON for a file: format and streams, with packets counted (read, not decoded). */
export async function ffprobeJson(ffprobe: string, file: string) {
  const { stdout } = await run(ffprobe, [
    '-v',
    'error',
    '-count_packets',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    file,
  ]);
  return JSON.parse(stdout) as {
    format: { duration?: string; tags?: Record<string, string> };
    streams: {
      codec_type: string;
      codec_name: string;
      width?: number;
      height?: number;
      nb_read_packets?: string;
      tags?: Record<string, string>;
      side_data_list?: { rotation?: number }[];
    }[];
  };
}
