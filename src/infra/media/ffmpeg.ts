// Where ffmpeg and ffprobe are: Debian's (or any) on PATH first, else the static builds that the npm
// packages @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe ship inside their platform
// packages. Without either, videos are stored as uploaded (no poster, duration or metadata removal),
// and the server says so once at start instead of failing.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runTool } from './tool-process.ts';

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  /** Where each was found: on PATH ('path') or in node_modules ('npm'). */
  sources: { ffmpeg: 'path' | 'npm'; ffprobe: 'path' | 'npm' };
}

export interface LocateOptions {
  /** The directories to search, as in PATH; process.env.PATH by default. */
  searchPath?: string;
  /** Whether to fall back to the npm packages' binaries; true by default. */
  npmPackages?: boolean;
}

const require = createRequire(import.meta.url);
const NPM_PACKAGES = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' } as const;
// Running `-version` proves the binary starts here (right architecture, not on a noexec mount).
const VERSION_TIMEOUT_MS = 10_000;

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function runs(file: string): Promise<boolean> {
  try {
    await runTool(file, ['-hide_banner', '-version'], { timeoutMs: VERSION_TIMEOUT_MS });
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, searchPath: string): Promise<string | null> {
  for (const directory of searchPath.split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

/** The binary the npm package ships for this platform, or null when it is not installed here. */
function fromNpm(name: keyof typeof NPM_PACKAGES): string | null {
  try {
    // Each package throws at require time when no build for this platform was installed.
    const { path: binary } = require(NPM_PACKAGES[name]) as { path: string };
    return binary;
  } catch {
    return null;
  }
}

async function locate(
  name: keyof typeof NPM_PACKAGES,
  { searchPath = process.env.PATH ?? '', npmPackages = true }: LocateOptions,
): Promise<{ file: string; source: 'path' | 'npm' } | null> {
  const system = await onPath(name, searchPath);
  if (system && (await runs(system))) return { file: system, source: 'path' };
  const packaged = npmPackages ? fromNpm(name) : null;
  if (packaged && (await isExecutable(packaged)) && (await runs(packaged))) return { file: packaged, source: 'npm' };
  return null;
}

/**
 * Finds a working ffmpeg and ffprobe (each on PATH first, else from npm), or null when either is
 * missing: the caller then stores videos unprocessed and logs that once.
 */
export async function locateFfmpeg(options: LocateOptions = {}): Promise<FfmpegTools | null> {
  const [ffmpeg, ffprobe] = await Promise.all([locate('ffmpeg', options), locate('ffprobe', options)]);
  if (!ffmpeg || !ffprobe) return null;
  return { ffmpeg: ffmpeg.file, ffprobe: ffprobe.file, sources: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
}

let located: Promise<FfmpegTools | null> | undefined;

/** locateFfmpeg() with the defaults, looked up once per process. */
export function ffmpegTools(): Promise<FfmpegTools | null> {
  located ??= locateFfmpeg();
  return located;
}
