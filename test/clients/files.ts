// Uploads as a browser has them: File objects (Node 20 has the class), here built from the fixtures.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES } from '../support/server.ts';

/** A fixture as a File, with the bytes it holds, to compare with what the server serves back. */
export async function fixtureFile(name: string, type: string): Promise<{ file: File; bytes: Buffer }> {
  const bytes = await readFile(path.join(FIXTURES, name));
  return { file: new File([new Uint8Array(bytes)], name, { type }), bytes };
}

/** The bytes a media url serves. */
export async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
