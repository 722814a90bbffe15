import { describe, expect, it } from 'vitest';
import { FaultQueue } from '../../../sandbox/kit/faults.ts';

describe('injected faults', () => {
  it('serve each fault count times, first in first out, only on matching paths', () => {
    const q = new FaultQueue();
    q.inject({ kind: 'status', status: 503, count: 2, path: /^\/ledger\//g });
    q.inject({ kind: 'drop', count: 1 });
    expect(q.take('/company/1')).toEqual({ kind: 'drop', count: 1 });
    expect(q.take('/company/1')).toBeNull();
    // A /g pattern carries no state from one request to the next.
    expect(q.take('/ledger/posting')?.kind).toBe('status');
    expect(q.take('/ledger/posting')?.kind).toBe('status');
    expect(q.take('/ledger/posting')).toBeNull();
  });

  it('refuse a count or a status that cannot be served, and can be cleared', () => {
    const q = new FaultQueue();
    expect(() => q.inject({ kind: 'drop', count: 0 })).toThrow(RangeError);
    expect(() => q.inject({ kind: 'status', status: 99, count: 1 })).toThrow(/HTTP status/);
    q.inject({ kind: 'slow', delayMs: 10, count: 3 });
    q.clear();
    expect(q.take('/x')).toBeNull();
  });
});
