// Renditions of local images, made the first time a URL asks for one (src/http/media.ts) and kept
// beside the original. However many requests ask at once, an instance renders each once: they share
// one promise until the file is on disk. Several instances sharing UPLOAD_DIR may each render it, and
// the atomic write (atomic.ts) means a reader only ever sees a whole file. Rendering runs in sharp's
// threads (libuv's pool) under mediaJobs, never on the event loop.
import { access, rm } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { probeImage, renderRendition } from './image.ts';

/** Which file answers a rendition's URL. */
export type RenditionFile = 'rendition' | 'original' | 'none';

export interface RenditionsDeps {
  maxPixels: number;
  heicMaxPixels: number;
  logger: Logger;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export function createRenditions({ maxPixels, heicMaxPixels, logger }: RenditionsDeps) {
  const inFlight = new Map<string, Promise<RenditionFile>>();
  const limits = { maxPixels, heicMaxPixels };

  async function render(original: string, target: string, width: number): Promise<RenditionFile> {
    if (await exists(target)) return 'rendition';
    let probe: Awaited<ReturnType<typeof probeImage>>;
    try {
      probe = await probeImage(original, limits);
    } catch (error) {
      // Gone, or a file from before uploads were processed that sharp cannot read: no rendition.
      if (error instanceof AppError || (error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw error;
    }
    // Never enlarged: a rung as wide as the original or wider is the original itself (an avatar's
    // URLs assume 1024 pixels, and a smaller picture is its own best rendition).
    if (probe.width <= width) return 'original';
    const started = performance.now();
    try {
      await renderRendition(original, target, { width }, limits);
    } catch (error) {
      if (error instanceof AppError) {
        logger.warn({ original, width, error }, 'could not render a rendition');
        return 'none';
      }
      throw error;
    }
    // Deleted while it rendered: its removal ran before this file existed, so this takes it away.
    if (!(await exists(original))) {
      await rm(target, { force: true });
      return 'none';
    }
    logger.info({ original, width, ms: Math.round(performance.now() - started) }, 'rendered a rendition');
    return 'rendition';
  }

  return {
    /**
     * Makes sure `target` holds `original` rendered `width` pixels wide, and says which file serves the
     * request: the rendition, the original (not wider than `width`), or none (gone, or unreadable).
     */
    ensure(original: string, target: string, width: number): Promise<RenditionFile> {
      let pending = inFlight.get(target);
      if (!pending) {
        pending = render(original, target, width).finally(() => inFlight.delete(target));
        inFlight.set(target, pending);
      }
      return pending;
    },
  };
}

export type Renditions = ReturnType<typeof createRenditions>;
