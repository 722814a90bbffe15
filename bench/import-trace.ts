// Diagnostics for the import children, outside the code measured: how long each SQL
// statement of the import took (by wrapping this Warehouse object's run/all, nothing else)
// and how process memory moved (sampled every 100 ms). Both cost next to nothing and go into
// results.json, so a missed goal comes with a first idea of where to look.

import type { Warehouse } from '../load/index.ts';

export interface StatementTime {
  sql: string;
  startMs: number;
  ms: number;
  /** Process RSS when the statement started. */
  rssMb: number;
}

export interface MemoryPeak {
  /** When the peak was seen, in ms after the import started. */
  atMs: number;
  rssMb: number;
  heapUsedMb: number;
  /** Memory of Buffers and ArrayBuffers (Arrow batches, read chunks). */
  externalMb: number;
  /** RSS neither V8's heap nor external: mostly DuckDB. */
  otherMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

export class ImportTrace {
  private readonly statements: (StatementTime & { text: string })[] = [];
  private peak: MemoryPeak | null = null;
  private peakHeapUsedMb = 0;
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(warehouse: Warehouse) {
    for (const method of ['run', 'all'] as const) {
      const original = warehouse[method].bind(warehouse) as (sql: string, params?: unknown) => Promise<unknown>;
      (warehouse as unknown as Record<string, unknown>)[method] = async (sql: string, params?: unknown) => {
        const startMs = performance.now() - this.started;
        const rssMb = mb(process.memoryUsage.rss());
        try {
          return await original(sql, params);
        } finally {
          const text = sql.replace(/\s+/g, ' ').trim();
          this.statements.push({ text, sql: text.slice(0, 100), startMs, ms: performance.now() - this.started - startMs, rssMb });
        }
      };
    }
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  private sample(): void {
    const m = process.memoryUsage();
    this.peakHeapUsedMb = Math.max(this.peakHeapUsedMb, mb(m.heapUsed));
    if (this.peak === null || mb(m.rss) > this.peak.rssMb) {
      this.peak = {
        atMs: Math.round(performance.now() - this.started),
        rssMb: mb(m.rss),
        heapUsedMb: mb(m.heapUsed),
        externalMb: mb(m.external),
        otherMb: mb(m.rss - m.heapTotal - m.external),
      };
    }
  }

  /**
   * Stops sampling. The two phases are told apart by the import's own statements: reading,
   * transforming and appending end where the check for vouchers without lines starts (the
   * balance of each voucher is checked in the transform, as it is read); the other checks
   * and the commit follow. (null when the import no longer runs that check.)
   */
  finish(totalMs: number) {
    clearInterval(this.timer);
    this.sample();
    const check = this.statements.find((s) => /voucher_id NOT IN \(SELECT voucher_id FROM ledger_line/.test(s.text));
    const phases = check
      ? {
          readTransformStageMs: Math.round(check.startMs),
          rssAfterStagingMb: check.rssMb,
          checkAndCommitMs: Math.round(totalMs - check.startMs),
        }
      : null;
    const slowest = [...this.statements].sort((a, b) => b.ms - a.ms).slice(0, 8).map(({ text: _text, ...s }) => ({ ...s, startMs: Math.round(s.startMs), ms: Math.round(s.ms) }));
    return { phases, slowestStatements: slowest, memoryPeak: this.peak, peakHeapUsedMb: this.peakHeapUsedMb };
  }
}
