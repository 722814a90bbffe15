// Child process: one full Fennoa sync (`syncOrganization` over `fennoaSource`) of the
// simulator's company into a fresh warehouse (opening it is not timed), in one of two modes:
//   limited   — the connector's default rate policy (`fennoaRate`), against the simulator
//               with Fennoa's limit (100 a second): the subject;
//   unlimited — the same concurrency with a rate far out of reach, against the simulator
//               without a limit: the processing floor.
// Reports wall ms, CPU ms, peak RSS, lines and vouchers in the warehouse afterwards, the run status,
// and a timeline of its requests and slices (bench/request-timeline.ts).
//   node --import tsx bench/fennoa-sync.ts limited|unlimited <baseUrl> <apiUser> <apiKey> <companyName>

import { syncOrganization } from '../pipeline/index.ts';
import { fennoaRate, fennoaSource, type RatePolicy } from '../extract/index.ts';
import { Warehouse } from '../load/index.ts';
import { FixedClock } from '../model/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report } from './child.ts';
import { FENNOA_PER_SECOND, FENNOA_TODAY } from './fennoa-sandbox.ts';
import { recordRequests, recordStalls, recordStatements, summariseTimeline } from './request-timeline.ts';
import { recordSlices, sampleFigures, startSample } from './sync-sample.ts';

const usage = 'fennoa-sync.ts limited|unlimited <baseUrl> <apiUser> <apiKey> <companyName>';
const mode = argument(0, usage);
const baseUrl = argument(1, usage);
const credentials = { apiUser: argument(2, usage), apiKey: argument(3, usage) };
const companyName = argument(4, usage);
if (mode !== 'limited' && mode !== 'unlimited') {
  console.error(`usage: ${usage}`);
  process.exit(2);
}

/** Unlimited: only the rate changes, not the concurrency, so the two runs differ by the limit alone. */
const rate: RatePolicy = mode === 'limited' ? fennoaRate : { ...fennoaRate, requestsPerInterval: 1_000_000, intervalMs: 1_000 };
const orgId = 'bench-fennoa';

let origin = Number.NaN;
const requests = recordRequests(() => origin);
const { slices, progress } = recordSlices(() => origin);

const warehousePath = freshWarehousePath('fennoa-sync');
const warehouse = await Warehouse.open(warehousePath);
const statements = recordStatements(warehouse, () => origin);
try {
  const source = fennoaSource({ baseUrl, credentials, companyName, country: 'FI', rate });
  const sample = startSample();
  origin = performance.now();
  const stalls = recordStalls(() => origin);
  const summary = await syncOrganization(warehouse, source, { orgId, clock: new FixedClock(FENNOA_TODAY), progress });
  const ms = performance.now() - origin;
  stalls.stop();
  const timeline = summariseTimeline(requests, slices, statements, ms, { lookback: FENNOA_PER_SECOND, stalls: stalls.stalls });
  report({ mode, rate, ...(await sampleFigures(warehouse, orgId, 'fennoa', summary, { ms, ...sample, timeline })) });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
