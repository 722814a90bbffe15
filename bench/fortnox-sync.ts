// Child process: one full Fortnox sync (`syncOrganization` over the source `ledgerhouse sync`
// builds from the credential store) of the simulator's company into a fresh warehouse
// (opening it and the credential store is not timed), in one of two modes:
//   limited   — the connector's default rate policy (`fortnoxRate`) against the simulator with
//               Fortnox's limit (25 per 5 s): the subject;
//   unlimited — the same concurrency with a rate far out of reach, against the simulator
//               without the limit: the processing floor.
// Reports wall ms, CPU ms, peak RSS, lines and vouchers in the warehouse afterwards, the run
// status, and a timeline of its requests and slices (bench/request-timeline.ts).
//   node --import tsx bench/fortnox-sync.ts limited|unlimited <credentialsDir> <apiBaseUrl> <oauthBaseUrl>

import { syncOrganization } from '../pipeline/index.ts';
import { fortnoxRate, type RatePolicy } from '../extract/index.ts';
import { Warehouse } from '../load/index.ts';
import { FixedClock } from '../model/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report } from './child.ts';
import { FORTNOX_ORG_ID, fortnoxBenchSource } from './fortnox-connect.ts';
import { FORTNOX_LIMIT, FORTNOX_TODAY } from './fortnox-sandbox.ts';
import { recordRequests, recordStalls, recordStatements, summariseTimeline } from './request-timeline.ts';
import { recordSlices, sampleFigures, startSample } from './sync-sample.ts';

const usage = 'fortnox-sync.ts limited|unlimited <credentialsDir> <apiBaseUrl> <oauthBaseUrl>';
const mode = argument(0, usage);
const credentialsDir = argument(1, usage);
const endpoint = { apiBaseUrl: argument(2, usage), oauthBaseUrl: argument(3, usage) };
if (mode !== 'limited' && mode !== 'unlimited') {
  console.error(`usage: ${usage}`);
  process.exit(2);
}

/** Unlimited: only the rate changes, not the concurrency, so the two runs differ by the limit alone. */
const rate: RatePolicy = mode === 'limited' ? fortnoxRate : { ...fortnoxRate, requestsPerInterval: 1_000_000, intervalMs: 1_000 };
const orgId = FORTNOX_ORG_ID;

let origin = Number.NaN;
const requests = recordRequests(() => origin);
const { slices, progress } = recordSlices(() => origin);

const warehousePath = freshWarehousePath('fortnox-sync');
const warehouse = await Warehouse.open(warehousePath);
const statements = recordStatements(warehouse, () => origin);
try {
  const source = await fortnoxBenchSource(endpoint, credentialsDir, rate);
  const sample = startSample();
  origin = performance.now();
  const stalls = recordStalls(() => origin);
  const summary = await syncOrganization(warehouse, source, { orgId, clock: new FixedClock(FORTNOX_TODAY), progress });
  const ms = performance.now() - origin;
  stalls.stop();
  const timeline = summariseTimeline(requests, slices, statements, ms, { lookback: FORTNOX_LIMIT.limit, stalls: stalls.stalls });
  const documents = (await warehouse.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM document WHERE org_id = $1', [orgId]).catch(() => null))?.n ?? null;
  report({ mode, rate, documents, ...(await sampleFigures(warehouse, orgId, 'fortnox', summary, { ms, ...sample, timeline })) });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
