// Child process: one full Tripletex sync (`syncOrganization` over `tripletexSource`) of the
// simulator's company into a fresh warehouse (opening it is not timed), in one of two modes:
//   limited   — the connector's default rate policy (`tripletexRate`), against the simulator
//               with the Tripletex-like limit: the subject;
//   unlimited — the same concurrency with a rate far out of reach, against the simulator
//               without a limit: the processing floor.
// Reports wall ms, CPU ms, peak RSS, lines and vouchers in the warehouse afterwards, the run status,
// and a timeline of its requests and slices (bench/request-timeline.ts).
//   node --import tsx bench/tripletex-sync.ts limited|unlimited <baseUrl> <consumerToken> <employeeToken>

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Progress } from '../cli/progress.ts';
import { syncOrganization } from '../cli/sync-engine.ts';
import { tripletexRate, tripletexSource, type RatePolicy } from '../extract/index.ts';
import { Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report } from './child.ts';
import { recordRequests, recordStatements, summariseTimeline, type SliceSpan } from './request-timeline.ts';
import { TRIPLETEX_TODAY } from './tripletex-sandbox.ts';

const usage = 'tripletex-sync.ts limited|unlimited <baseUrl> <consumerToken> <employeeToken>';
const mode = argument(0, usage);
const baseUrl = argument(1, usage);
const consumerToken = argument(2, usage);
const employeeToken = argument(3, usage);
if (mode !== 'limited' && mode !== 'unlimited') {
  console.error(`usage: ${usage}`);
  process.exit(2);
}

/** Unlimited: only the rate changes, not the concurrency, so the two runs differ by the limit alone. */
const rate: RatePolicy = mode === 'limited' ? tripletexRate : { ...tripletexRate, requestsPerInterval: 1_000_000, intervalMs: 1_000 };
const orgId = 'bench-tripletex';

let origin = Number.NaN;
const requests = recordRequests(() => origin);
const slices: SliceSpan[] = [];
const progress: Progress = {
  start(label) {
    const start = performance.now() - origin;
    return { update: () => undefined, done: () => void slices.push({ label, start, end: performance.now() - origin }) };
  },
};

const warehousePath = freshWarehousePath('tripletex-sync');
const warehouse = await Warehouse.open(warehousePath);
const statements = recordStatements(warehouse, () => origin);
try {
  const source = tripletexSource({ baseUrl, credentials: { consumerToken, employeeToken }, country: 'NO', rate });
  // How long the main thread kept timers and sockets waiting: a stall delays requests the rate queue already let go.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  origin = performance.now();
  const summary = await syncOrganization(warehouse, source, { orgId, today: TRIPLETEX_TODAY, progress });
  const ms = performance.now() - origin;
  const cpu = process.cpuUsage(cpuBefore);
  loopDelay.disable();

  const count = async (table: string) =>
    (await warehouse.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table} WHERE org_id = $1`, [orgId]))?.n ?? 0;
  const timeline = summariseTimeline(requests, slices, statements, ms);
  const rows = new Map(summary.streams.map((o) => [`tripletex ${o.stream}${o.slice === 'organization' ? '' : ` ${o.slice}`}`, o]));
  report({
    ms,
    /** CPU time of the whole process (main thread, DuckDB's threads, any workers) during the sync. */
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    mode,
    rate,
    /** Event-loop delay during the sync, ms (p50, p99, max). */
    eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e6), p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
    status: summary.status,
    failed: summary.streams.filter((o) => o.status !== 'succeeded').map((o) => `${o.stream} ${o.slice}: ${o.status}${o.note ? ` (${o.note})` : ''}`),
    years: summary.years.map((y) => y.label),
    lines: await count('ledger_line'),
    vouchers: await count('voucher'),
    timeline: { ...timeline, slices: timeline.slices.map((s) => ({ ...s, rows: rows.get(s.label)?.rows ?? null })) },
  });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
