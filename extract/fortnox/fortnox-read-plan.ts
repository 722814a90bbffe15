// How a fiscal year's ledger is read between two full reads: the vouchers changed since the
// last run one by one, or a new SIE export of the year. The rule, in requests of the token's
// budget (25 per 5 s):
//
//   one by one costs  the voucher list's remaining pages + one request per changed voucher
//                     (the list's `@TotalResources` with `lastmodified`; its first page is
//                     already paid, it is how we know the count);
//   an export costs   one request, plus the requests the token could have made while the
//                     export downloads: its size at the last full read ÷ what Fortnox sends in
//                     one request slot (SIE_EXPORT_BYTES_PER_SECOND × interval ÷ requests).
//
// One by one is chosen only when it costs fewer. A year that changed a little is topped up
// voucher by voucher; a year that changed a lot, or whose size is not known, is exported again.
import { osloDateTime } from '../../model/index.ts';
import type { RatePolicy } from '../http/http-client.ts';

/**
 * How fast Fortnox serves a SIE export: third parties report 27 years (~12 MB) in about 10 s.
 * A guess on the slow side would favour one-by-one reads; this is the reported pace.
 */
export const SIE_EXPORT_BYTES_PER_SECOND = 1_200_000;

/**
 * A change saved while the last read ran, or on a Fortnox clock a little ahead of ours, is
 * read again: `lastmodified` goes back this far before the last read began (the commit keeps
 * only real changes, so reading a voucher twice costs a request, never a wrong row).
 */
export const LASTMODIFIED_OVERLAP_MS = 5 * 60_000;

/** What the ledger stream remembers of a year between runs. */
export interface LedgerCursor {
  /** When the last read began (epoch ms on the sync's clock). */
  readAt: number;
  /** The size of the year's SIE export at its last full read. */
  exportBytes: number;
}

export function encodeCursor(cursor: LedgerCursor): string {
  return JSON.stringify({ v: 1, readAt: cursor.readAt, exportBytes: cursor.exportBytes });
}

/** The cursor, or null when there is none or it is not ours (then the year is exported again). */
export function decodeCursor(text: string | null): LedgerCursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as { v?: number; readAt?: unknown; exportBytes?: unknown };
    if (c.v !== 1 || typeof c.readAt !== 'number' || typeof c.exportBytes !== 'number' || !Number.isFinite(c.readAt) || !(c.exportBytes >= 0)) return null;
    return { readAt: c.readAt, exportBytes: c.exportBytes };
  } catch {
    return null;
  }
}

/** Fortnox's `lastmodified`: `YYYY-MM-DD HH:MM`, Swedish local time (the same zone as Oslo's). */
export function lastModifiedSince(cursor: LedgerCursor): string {
  return osloDateTime(cursor.readAt - LASTMODIFIED_OVERLAP_MS).slice(0, 16).replace('T', ' ');
}

/** A new export of a year, in requests of the token's budget (see the top of this file). */
export function exportCost(exportBytes: number, rate: RatePolicy): number {
  const slotSeconds = rate.intervalMs / rate.requestsPerInterval / 1000;
  return 1 + exportBytes / (SIE_EXPORT_BYTES_PER_SECOND * slotSeconds);
}

export interface TopUpQuestion {
  /** Vouchers the list says changed since the cursor (`@TotalResources`). */
  changed: number;
  /** Pages of that list (`@TotalPages`); the first one is read already. */
  listPages: number;
  exportBytes: number;
  rate: RatePolicy;
}

/** Whether the changed vouchers are fetched one by one (true) or the year is exported again. */
export function fetchOneByOne(q: TopUpQuestion): boolean {
  return Math.max(0, q.listPages - 1) + q.changed < exportCost(q.exportBytes, q.rate);
}
