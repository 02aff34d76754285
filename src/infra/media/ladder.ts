// The widths images are rendered at for local storage (like ImageKit's resized URLs): a few fixed
// rungs, so any requested width maps onto one of six files per image instead of one file per number
// a client can send.

/** The rendition widths, narrowest first. */
export const WIDTH_LADDER = [160, 320, 640, 1080, 1440, 2048] as const;

function assertWidth(value: number, what: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${what} must be a positive number, not ${value}.`);
}

/**
 * The width to serve for a requested one: the narrowest rung at least as wide, never wider than the
 * original. A request past the top rung gets the original width (the original itself is the best
 * there is). So a 2048-wide image asked at 300 gets 320, and asked at 5000 gets 2048.
 */
export function snapWidth(requested: number, originalWidth: number): number {
  assertWidth(requested, 'The requested width');
  assertWidth(originalWidth, 'The original width');
  const rung = WIDTH_LADDER.find((width) => width >= requested) ?? originalWidth;
  return Math.min(rung, originalWidth);
}

/**
 * An <img srcset> value: each rung narrower than the original, then the original width itself, as
 * `url 320w` entries (the width descriptors browsers pick from by layout width and pixel density).
 */
export function srcSet(originalWidth: number, urlFor: (width: number) => string): string {
  assertWidth(originalWidth, 'The original width');
  const widths = [...WIDTH_LADDER.filter((width) => width < originalWidth), originalWidth];
  return widths.map((width) => `${urlFor(width)} ${width}w`).join(', ');
}
