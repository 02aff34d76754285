// Media files appear whole or not at all: they are written under a temporary name beside the target
// and renamed into place (a rename within one directory is atomic), so a reader, a crash or a failed
// encoder never leaves a half-written file under the real name.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Runs `write` with a fresh temporary path in the target's directory, then renames that file to
 * `target`. On any failure the temporary file is removed and the target is left as it was.
 */
export async function writeAtomically<T>(target: string, write: (temporary: string) => Promise<T>): Promise<T> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`);
  try {
    // Created here first, so that a directory we cannot write to fails as the file system error it is
    // (EACCES, ENOENT, ENOSPC), before any encoder could report it as something about the media.
    await (await open(temporary, 'wx', 0o644)).close();
    const result = await write(temporary);
    await rename(temporary, target);
    return result;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
