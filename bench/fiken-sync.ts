// Child process: one full Fiken sync (`syncOrganization` over the source `ledgerhouse sync`
// builds from the credential store) of the simulator's company into a fresh warehouse
// (opening it and the credential store is not timed), in one of two modes:
//   limited   — the connector's default rate policy (`fikenRate`: one at a time, 4 per
//               1 050 ms), against the simulator with Fiken's limit: the subject;
//   unlimited — the same concurrency (one at a time) with a rate far out of reach, against
//               the simulator without the per-second limit: the processing floor.
// Reports wall ms, CPU ms, peak RSS, lines and vouchers in the warehouse afterwards, the run status,
// and a timeline of its requests, slices and main-thread stalls, with what preceded each 429
// (bench/request-timeline.ts).
//   node --import tsx bench/fiken-sync.ts limited|unlimited <credentialsDir> <apiBaseUrl> <oauthBaseUrl> <companySlug>

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Progress } from '../cli/progress.ts';
import { syncOrganization } from '../cli/sync-engine.ts';
import { fikenRate, type RatePolicy } from '../extract/index.ts';
import { Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report } from './child.ts';
import { FIKEN_ORG_ID, fikenBenchSource } from './fiken-connect.ts';
import { FIKEN_PER_SECOND, FIKEN_TODAY } from './fiken-sandbox.ts';
import { recordRequests, recordStalls, recordStatements, summariseTimeline, type SliceSpan } from './request-timeline.ts';

const usage = 'fiken-sync.ts limited|unlimited <credentialsDir> <apiBaseUrl> <oauthBaseUrl> <companySlug>';
const mode = argument(0, usage);
const credentialsDir = argument(1, usage);
const endpoint = { apiBaseUrl: argument(2, usage), oauthBaseUrl: argument(3, usage), companySlug: argument(4, usage) };
if (mode !== 'limited' && mode !== 'unlimited') {
  console.error(`usage: ${usage}`);
  process.exit(2);
}

/** Unlimited: only the rate changes, not the concurrency (Fiken's one at a time), so the two runs differ by the limit alone. */
const rate: RatePolicy = mode === 'limited' ? fikenRate : { ...fikenRate, requestsPerInterval: 1_000_000, intervalMs: 1_000 };
const orgId = FIKEN_ORG_ID;

let origin = Number.NaN;
const requests = recordRequests(() => origin);
const slices: SliceSpan[] = [];
const progress: Progress = {
  start(label) {
    const start = performance.now() - origin;
    return { update: () => undefined, done: () => void slices.push({ label, start, end: performance.now() - origin }) };
  },
};

const warehousePath = freshWarehousePath('fiken-sync');
const warehouse = await Warehouse.open(warehousePath);
const statements = recordStatements(warehouse, () => origin);
try {
  const source = await fikenBenchSource(endpoint, credentialsDir, rate);
  // How long the main thread kept timers and sockets waiting: a stall delays requests the rate queue already let go.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  origin = performance.now();
  // When the main thread stalled: a request the rate queue let go before a stall reaches the server late.
  const stalls = recordStalls(() => origin);
  const summary = await syncOrganization(warehouse, source, { orgId, today: FIKEN_TODAY, progress });
  const ms = performance.now() - origin;
  const cpu = process.cpuUsage(cpuBefore);
  stalls.stop();
  loopDelay.disable();

  const count = async (table: string) =>
    (await warehouse.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table} WHERE org_id = $1`, [orgId]))?.n ?? 0;
  const timeline = summariseTimeline(requests, slices, statements, ms, { lookback: FIKEN_PER_SECOND, stalls: stalls.stalls });
  const rows = new Map(summary.streams.map((o) => [`fiken ${o.stream}${o.slice === 'organization' ? '' : ` ${o.slice}`}`, o]));
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
