import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, exportCost, fetchOneByOne, fortnoxRate, lastModifiedSince, LASTMODIFIED_OVERLAP_MS, SIE_EXPORT_BYTES_PER_SECOND } from '../../extract/index.ts';

describe('the Fortnox incremental read plan', () => {
  it('prices an export at one request plus the request slots its download takes at the token pace', () => {
    // At 25 per 5 s a slot is 200 ms: in that time Fortnox sends a fifth of its export pace.
    const perSlot = SIE_EXPORT_BYTES_PER_SECOND * 0.2;
    expect(exportCost(0, fortnoxRate)).toBe(1);
    expect(exportCost(perSlot * 20, fortnoxRate)).toBeCloseTo(21, 9);
    // A client allowed to go faster gets fewer bytes per slot: the export is worth more requests.
    expect(exportCost(perSlot, { concurrency: 1, requestsPerInterval: 50, intervalMs: 5000 })).toBeCloseTo(3, 9);
  });

  it('fetches one by one only when the changed vouchers and the rest of their list cost fewer requests than an export', () => {
    const exportBytes = SIE_EXPORT_BYTES_PER_SECOND * 0.2 * 20; // an export worth 21 requests
    const ask = (changed: number, listPages = 1) => fetchOneByOne({ changed, listPages, exportBytes, rate: fortnoxRate });
    expect(ask(0)).toBe(true);
    expect(ask(20)).toBe(true);
    expect(ask(21)).toBe(false);
    // Each list page beyond the first (already read to learn the count) is a request too.
    expect(ask(19, 2)).toBe(true);
    expect(ask(20, 2)).toBe(false);
    // A year whose export size is not known is exported again as soon as anything changed.
    expect(fetchOneByOne({ changed: 1, listPages: 1, exportBytes: 0, rate: fortnoxRate })).toBe(false);
  });

  it('keeps its cursor as JSON and treats anything else as no cursor (the year is exported again)', () => {
    const cursor = { readAt: Date.UTC(2026, 10, 22, 11, 0), exportBytes: 123_456 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of [null, '', '2026-11-22', '{"v":2,"readAt":1,"exportBytes":1}', '{"v":1,"readAt":"x","exportBytes":1}']) expect(decodeCursor(bad)).toBeNull();
  });

  it("asks lastmodified in Swedish local time, a margin before the last read began", () => {
    // 11:00 UTC in November is 12:00 in Stockholm; the margin goes back five minutes.
    expect(LASTMODIFIED_OVERLAP_MS).toBe(5 * 60_000);
    expect(lastModifiedSince({ readAt: Date.UTC(2026, 10, 22, 11, 0), exportBytes: 0 })).toBe('2026-11-22 11:55');
    // Summer time: UTC+2.
    expect(lastModifiedSince({ readAt: Date.UTC(2026, 6, 1, 10, 3), exportBytes: 0 })).toBe('2026-07-01 11:58');
  });
});
