import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../sandbox/kit/index.ts';

/** Elapsed time the test moves by hand. */
function timer() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('per-key rate limits', () => {
  it('fixed windows start at a key\'s first request and refuse the rest of the window', () => {
    const time = timer();
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000, window: 'fixed' }, time.now);
    expect(limiter.enter('a')).toMatchObject({ kind: 'enter', remaining: 1, resetMs: 1000 });
    time.advance(600);
    expect(limiter.enter('a')).toMatchObject({ kind: 'enter', remaining: 0, resetMs: 400 });
    expect(limiter.enter('a')).toEqual({ kind: 'rate', limit: 2, remaining: 0, resetMs: 400 });
    expect(limiter.enter('b').kind).toBe('enter'); // keys are counted apart
    time.advance(400);
    expect(limiter.enter('a')).toMatchObject({ kind: 'enter', remaining: 1, resetMs: 1000 });
  });

  it('sliding windows count any span of windowMs, so a burst at a boundary is refused', () => {
    const time = timer();
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000, window: 'sliding' }, time.now);
    limiter.enter('u');
    time.advance(900);
    limiter.enter('u');
    time.advance(200); // a fixed window would have started afresh here
    expect(limiter.enter('u').kind).toBe('enter');
    expect(limiter.enter('u')).toMatchObject({ kind: 'rate', resetMs: 800 });
    time.advance(800);
    expect(limiter.enter('u').kind).toBe('enter');
  });

  it('caps requests in flight; a refused request neither counts nor holds a place', () => {
    const time = timer();
    const limiter = new RateLimiter({ limit: 3, windowMs: 1000, window: 'sliding', concurrent: 1 }, time.now);
    const first = limiter.enter('u');
    expect(first.kind).toBe('enter');
    expect(limiter.enter('u')).toEqual({ kind: 'busy' });
    if (first.kind === 'enter') {
      first.leave();
      first.leave(); // leaving twice frees one place, not two
    }
    const second = limiter.enter('u');
    expect(second).toMatchObject({ kind: 'enter', remaining: 1 });
    expect(limiter.enter('u')).toEqual({ kind: 'busy' });
  });

  it('refuses rules that cannot be served', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1000, window: 'fixed' })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, windowMs: 0, window: 'fixed' })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, windowMs: 10, window: 'fixed', concurrent: 0 })).toThrow(RangeError);
  });
});
