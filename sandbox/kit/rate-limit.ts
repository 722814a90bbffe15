// Per-key request limits, the mechanism every simulator's provider rules are built from:
// a count per window (fixed windows that start at a key's first request, as Tripletex's, or a
// sliding window, as Fiken's per-second rule) and optionally a cap on requests in flight (Fiken
// allows one at a time). The provider decides what a refusal looks like. Requests turned
// away neither count towards the window nor hold a place.

export interface RateRule {
  /** Requests a key may start per window. */
  limit: number;
  windowMs: number;
  window: 'fixed' | 'sliding';
  /** Requests of one key in flight at once; more are `busy`. Default: no cap. */
  concurrent?: number;
}

export type RateVerdict =
  /** Counted; `leave` when the answer is ready (frees the in-flight place). */
  | { kind: 'enter'; limit: number; remaining: number; resetMs: number; leave: () => void }
  /** Over the window's limit; `resetMs` until a request would be counted again. */
  | { kind: 'rate'; limit: number; remaining: 0; resetMs: number }
  /** Over the in-flight cap. */
  | { kind: 'busy' };

export class RateLimiter {
  /** Start times of the counted requests in the current window (fixed: only its count and start). */
  private readonly windows = new Map<string, { start: number; times: number[] }>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    readonly rule: RateRule,
    /** Elapsed time, not calendar time. */
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new RangeError(`rate limit must be a positive integer, got ${rule.limit}`);
    if (!(rule.windowMs > 0)) throw new RangeError(`rate windowMs must be positive, got ${rule.windowMs}`);
    if (rule.concurrent !== undefined && (!Number.isInteger(rule.concurrent) || rule.concurrent < 1)) {
      throw new RangeError(`rate concurrent must be a positive integer, got ${rule.concurrent}`);
    }
  }

  enter(key: string): RateVerdict {
    const { limit, windowMs, concurrent } = this.rule;
    const flying = this.inFlight.get(key) ?? 0;
    if (concurrent !== undefined && flying >= concurrent) return { kind: 'busy' };
    const now = this.now();
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { start: now, times: [] }));
    if (this.rule.window === 'fixed') {
      if (now - w.start >= windowMs) {
        w.start = now;
        w.times.length = 0;
      }
    } else {
      let expired = 0;
      while (expired < w.times.length && w.times[expired]! <= now - windowMs) expired++;
      if (expired) w.times.splice(0, expired);
    }
    const resetMs = () => (this.rule.window === 'fixed' ? w.start : w.times[0] ?? now) + windowMs - now;
    if (w.times.length >= limit) return { kind: 'rate', limit, remaining: 0, resetMs: resetMs() };
    w.times.push(now);
    if (concurrent !== undefined) this.inFlight.set(key, flying + 1);
    let left = false;
    const leave = () => {
      if (left || concurrent === undefined) return;
      left = true;
      const n = (this.inFlight.get(key) ?? 1) - 1;
      if (n > 0) this.inFlight.set(key, n);
      else this.inFlight.delete(key);
    };
    return { kind: 'enter', limit, remaining: limit - w.times.length, resetMs: resetMs(), leave };
  }
}
