// Child process: one full Tripletex sync (`syncOrganization` over `tripletexSource`) of the
// simulator's company into a fresh warehouse (opening it is not timed), in one of two modes:
//   limited   — the connector's default rate policy (`tripletexRate`), against the simulator
//               with the Tripletex-like limit: the subject;
//   unlimited — the same concurrency with a rate far out of reach, against the simulator
//               without a limit: the processing floor.
// Reports wall ms, CPU ms, peak RSS, lines and vouchers in the warehouse afterwards, the run status,
// and a timeline of its requests and slices (bench/request-timeline.ts).
//   node --import tsx bench/tripletex-sync.ts limited|unlimited <baseUrl> <consumerToken> <employeeToken>

import { syncOrganization } from '../pipeline/index.ts';
import { tripletexRate, tripletexSource, type RatePolicy } from '../extract/index.ts';
import { Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report } from './child.ts';
import { recordRequests, recordStatements, summariseTimeline } from './request-timeline.ts';
import { recordSlices, sampleFigures, startSample } from './sync-sample.ts';
import { TRIPLETEX_TODAY } from './tripletex-sandbox.ts';
import { FixedClock } from '../model/index.ts';

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
const { slices, progress } = recordSlices(() => origin);

const warehousePath = freshWarehousePath('tripletex-sync');
const warehouse = await Warehouse.open(warehousePath);
const statements = recordStatements(warehouse, () => origin);
try {
  const source = tripletexSource({ baseUrl, credentials: { consumerToken, employeeToken }, country: 'NO', rate });
  const sample = startSample();
  origin = performance.now();
  const summary = await syncOrganization(warehouse, source, { orgId, clock: new FixedClock(TRIPLETEX_TODAY), progress });
  const ms = performance.now() - origin;
  const timeline = summariseTimeline(requests, slices, statements, ms);
  report({ mode, rate, ...(await sampleFigures(warehouse, orgId, 'tripletex', summary, { ms, ...sample, timeline })) });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
