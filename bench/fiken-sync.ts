// Child process: one full Fiken sync (`syncOrganization` over the source `ledgerhouse sync`
// builds from the credential store) of the simulator's company into a fresh warehouse
// (opening it and the credential store is not timed), in one of two modes:
//   limited   — the connector's default rate policy (`fikenRate`: one at a time, 4 per
//               1 000 ms), against the simulator with Fiken's limit: the subject;
//   unlimited — the same concurrency (one at a time) with a rate far out of reach, against
//               the simulator without the per-second limit: the processing floor.
// Reports wall ms, CPU ms, peak RSS, lines and vouchers in the warehouse afterwards, the run status,
// and a timeline of its requests, slices and main-thread stalls, with what preceded each 429
// (bench/request-timeline.ts).
//   node --import tsx bench/fiken-sync.ts limited|unlimited <credentialsDir> <apiBaseUrl> <oauthBaseUrl> <companySlug>

import { syncOrganization } from '../pipeline/index.ts';
import { fikenRate, type RatePolicy } from '../extract/index.ts';
import { Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report } from './child.ts';
import { FIKEN_ORG_ID, fikenBenchSource } from './fiken-connect.ts';
import { FIKEN_PER_SECOND, FIKEN_TODAY } from './fiken-sandbox.ts';
import { FixedClock } from '../model/index.ts';
import { recordRequests, recordStalls, recordStatements, summariseTimeline } from './request-timeline.ts';
import { recordSlices, sampleFigures, startSample } from './sync-sample.ts';

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
const { slices, progress } = recordSlices(() => origin);

const warehousePath = freshWarehousePath('fiken-sync');
const warehouse = await Warehouse.open(warehousePath);
const statements = recordStatements(warehouse, () => origin);
try {
  const source = await fikenBenchSource(endpoint, credentialsDir, rate);
  const sample = startSample();
  origin = performance.now();
  // When the main thread stalled: a request the rate queue let go before a stall reaches the server late.
  const stalls = recordStalls(() => origin);
  const summary = await syncOrganization(warehouse, source, { orgId, clock: new FixedClock(FIKEN_TODAY), progress });
  const ms = performance.now() - origin;
  stalls.stop();
  const timeline = summariseTimeline(requests, slices, statements, ms, { lookback: FIKEN_PER_SECOND, stalls: stalls.stalls });
  report({ mode, rate, ...(await sampleFigures(warehouse, orgId, 'fiken', summary, { ms, ...sample, timeline })) });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
