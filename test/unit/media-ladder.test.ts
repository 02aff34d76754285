// The rendition ladder (which width a request gets, the srcset listing them) and the limiter that
// bounds how many media jobs run at once.
import { describe, expect, it } from 'vitest';
import { createJobLimiter } from '../../src/infra/media/jobs.ts';
import { snapWidth, srcSet, WIDTH_LADDER } from '../../src/infra/media/ladder.ts';

describe('snapWidth', () => {
  it.each([
    [300, 2048, 320],
    [320, 2048, 320],
    [321, 2048, 640],
    [1, 2048, 160],
    [0.5, 2048, 160],
    [1080, 4000, 1080],
    [2000, 4000, 2048],
    [5000, 2048, 2048],
    // Past the top rung: the original's own width, the best there is.
    [3000, 4000, 4000],
    // Never wider than the original.
    [640, 500, 500],
    [160, 100, 100],
  ])('asked %d of a %d-wide image gives %d', (requested, original, expected) => {
    expect(snapWidth(requested, original)).toBe(expected);
  });

  it.each([
    [0, 100],
    [-5, 100],
    [Number.NaN, 100],
    [100, 0],
    [100, Number.POSITIVE_INFINITY],
  ])('refuses %d of a %d-wide image with a RangeError', (requested, original) => {
    expect(() => snapWidth(requested, original)).toThrow(RangeError);
  });
});

describe('srcSet', () => {
  const url = (width: number) => `/media/a.jpg?w=${width}`;

  it('lists every rung narrower than the original, then the original', () => {
    expect(srcSet(1000, url)).toBe(
      '/media/a.jpg?w=160 160w, /media/a.jpg?w=320 320w, /media/a.jpg?w=640 640w, /media/a.jpg?w=1000 1000w',
    );
  });

  it('lists the whole ladder for a wide original, and only the original for a small one', () => {
    expect(srcSet(4032, url).split(', ')).toEqual([...WIDTH_LADDER, 4032].map((width) => `${url(width)} ${width}w`));
    expect(srcSet(2048, url).split(', ')).toHaveLength(WIDTH_LADDER.length);
    expect(srcSet(100, url)).toBe('/media/a.jpg?w=100 100w');
  });
});

describe('createJobLimiter', () => {
  it('runs at most its slots at once, in arrival order, and passes results and failures through', async () => {
    const limiter = createJobLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const job = (id: number) => async () => {
      started.push(id);
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (id === 3) throw new Error('job 3 failed');
      return id * 10;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((id) => limiter.run(job(id))));
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason.message))).toEqual([
      10,
      20,
      'job 3 failed',
      40,
      50,
      60,
    ]);
    expect([limiter.running, limiter.waiting]).toEqual([0, 0]);
  });

  it('never lets a newcomer take a slot that a finishing job hands on', async () => {
    const limiter = createJobLimiter(1);
    let running = 0;
    let most = 0;
    const job = async () => {
      most = Math.max(most, ++running);
      await Promise.resolve();
      running -= 1;
    };
    const first = limiter.run(job);
    const second = limiter.run(job);
    // Arrives while the first finishes and hands its slot to the second.
    await first;
    await Promise.all([second, limiter.run(job)]);
    expect(most).toBe(1);
  });

  it('needs at least one slot', () => {
    expect(() => createJobLimiter(0)).toThrow(RangeError);
  });
});
