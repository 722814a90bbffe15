// What both sync children (tripletex-sync.ts, fiken-sync.ts) record and report about one
// sync, beside what is their own (the source, the rate, Fiken's stalls).

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Progress } from '../pipeline/index.ts';
import type { SyncSummary } from '../pipeline/index.ts';
import type { Warehouse } from '../load/index.ts';
import type { SliceSpan, TimelineSummary } from './request-timeline.ts';

/** The engine's progress hook as slice spans, timed from `origin()`. */
export function recordSlices(origin: () => number): { slices: SliceSpan[]; progress: Progress } {
  const slices: SliceSpan[] = [];
  const progress: Progress = {
    start(label) {
      const start = performance.now() - origin();
      return { update: () => undefined, done: () => void slices.push({ label, start, end: performance.now() - origin() }) };
    },
  };
  return { slices, progress };
}

/** From just before the sync: its CPU time, and how long its main thread kept timers and sockets waiting. */
export function startSample(): { loopDelay: IntervalHistogram; cpuBefore: NodeJS.CpuUsage } {
  // A stall delays requests the rate queue already let go.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  return { loopDelay, cpuBefore: process.cpuUsage() };
}

/** The figures both children report: status, counts checked in the warehouse, CPU, event-loop delay, timeline per slice. */
export async function sampleFigures(
  warehouse: Warehouse,
  orgId: string,
  provider: string,
  summary: SyncSummary,
  sample: { ms: number; loopDelay: IntervalHistogram; cpuBefore: NodeJS.CpuUsage; timeline: TimelineSummary },
) {
  const cpu = process.cpuUsage(sample.cpuBefore);
  sample.loopDelay.disable();
  const count = async (table: string) =>
    (await warehouse.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table} WHERE org_id = $1`, [orgId]))?.n ?? 0;
  const rows = new Map(summary.streams.map((o) => [`${provider} ${o.stream}${o.slice === 'organization' ? '' : ` ${o.slice}`}`, o]));
  const { loopDelay, timeline } = sample;
  return {
    ms: sample.ms,
    /** CPU time of the whole process (main thread, DuckDB's threads, any workers) during the sync. */
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    /** Event-loop delay during the sync, ms (p50, p99, max). */
    eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e6), p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
    status: summary.status,
    failed: summary.streams.filter((o) => o.status !== 'succeeded').map((o) => `${o.stream} ${o.slice}: ${o.status}${o.note ? ` (${o.note})` : ''}`),
    years: summary.years.map((y) => y.label),
    lines: await count('ledger_line'),
    vouchers: await count('voucher'),
    timeline: { ...timeline, slices: timeline.slices.map((s) => ({ ...s, rows: rows.get(s.label)?.rows ?? null })) },
  };
}
