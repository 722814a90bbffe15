// Tripletex-like rate limiting: a fixed window per employee token × consumer token. Inside
// the limit every answer carries X-Rate-Limit-Limit/-Remaining/-Reset; over it the answer is
// 429 for the rest of the window, and (as in Tripletex, issue #103) without X-Rate-Limit-Reset.

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export type RateDecision = { limited: false; headers: Record<string, string> } | { limited: true; headers: Record<string, string> };

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly config: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(config.limit) || config.limit < 1) throw new RangeError(`rateLimit.limit must be a positive integer, got ${config.limit}`);
    if (!(config.windowMs > 0)) throw new RangeError(`rateLimit.windowMs must be positive, got ${config.windowMs}`);
  }

  /** Counts one request for this key. */
  hit(key: string): RateDecision {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.config.windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(key, w);
    }
    w.used++;
    const remaining = Math.max(0, this.config.limit - w.used);
    const headers: Record<string, string> = {
      'X-Rate-Limit-Limit': String(this.config.limit),
      'X-Rate-Limit-Remaining': String(remaining),
    };
    if (w.used > this.config.limit) return { limited: true, headers };
    headers['X-Rate-Limit-Reset'] = String(Math.max(1, Math.ceil((w.start + this.config.windowMs - now) / 1000)));
    return { limited: false, headers };
  }
}
