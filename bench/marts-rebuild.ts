// Child process: the full marts rebuild against its scan floor, both in this one process
// on one open Warehouse (the ETL's own connection and settings), alternating:
//   1. the cached warehouse is copied to bench/out/tmp (not timed) and opened;
//   2. warm-up, not counted: one scan, one buildMarts (the first build also creates the marts);
//   3. <reps> rounds of: the scan floor, then a full buildMarts (drop and recreate every
//      mart in one transaction, commit included).
// Scan floor: SELECT org_id, account_id, sum(amount) FROM ledger_line GROUP BY ALL, read to the end.
//   node --import tsx bench/marts-rebuild.ts <warehouse.duckdb> <reps>

import { copyFileSync } from 'node:fs';
import { buildMarts, type MartsSummary, Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report, timed } from './child.ts';
import { median } from './measure.ts';

const usage = 'marts-rebuild.ts <warehouse.duckdb> <reps>';
const source = argument(0, usage);
const reps = Number(argument(1, usage));
if (!Number.isInteger(reps) || reps < 1) {
  console.error(`usage: ${usage}`);
  process.exit(2);
}

const SCAN_FLOOR_SQL = 'SELECT org_id, account_id, sum(amount) FROM ledger_line GROUP BY ALL';

const path = freshWarehousePath('marts-rebuild');
copyFileSync(source, path);
const warehouse = await Warehouse.open(path);
try {
  const scan = async () => {
    const { ms, value } = await timed(() => warehouse.connection.runAndReadAll(SCAN_FLOOR_SQL));
    return { ms, groups: value.currentRowCount };
  };
  const build = () => timed(() => buildMarts(warehouse));

  const settings = await warehouse.all<{ name: string; value: string }>(
    "SELECT name, value FROM duckdb_settings() WHERE name IN ('threads', 'memory_limit', 'temp_directory') ORDER BY name",
  );
  const counted = await warehouse.one<{ lines: string; vouchers: string; orgs: string }>(
    'SELECT (SELECT count(*) FROM ledger_line)::VARCHAR AS lines, (SELECT count(*) FROM voucher)::VARCHAR AS vouchers, (SELECT count(DISTINCT org_id) FROM ledger_line)::VARCHAR AS orgs',
  );

  const warmScan = await scan();
  const firstBuild = await build();
  const scans: number[] = [];
  const builds: { ms: number; summary: MartsSummary }[] = [];
  for (let round = 0; round < reps; round++) {
    scans.push((await scan()).ms);
    const b = await build();
    builds.push({ ms: b.ms, summary: b.value });
  }

  const stepNames = builds[0]!.summary.steps.map((s) => s.step);
  const steps = stepNames.map((step) => ({ step, ms: median(builds.map((b) => b.summary.steps.find((s) => s.step === step)?.ms ?? 0)) }));
  const last = builds.at(-1)!.summary;
  report({
    ms: median(builds.map((b) => b.ms)),
    lines: Number(counted?.lines ?? 0),
    vouchers: Number(counted?.vouchers ?? 0),
    organizations: Number(counted?.orgs ?? 0),
    settings: Object.fromEntries(settings.map((s) => [s.name, s.value])),
    scanFloor: { sql: SCAN_FLOOR_SQL, groups: warmScan.groups, warmUpMs: warmScan.ms, samplesMs: scans, medianMs: median(scans) },
    build: { firstMs: firstBuild.ms, samplesMs: builds.map((b) => b.ms), medianMs: median(builds.map((b) => b.ms)), steps, tables: last.tables, unmappedAccounts: last.unmappedAccounts, unbalancedVouchers: last.unbalancedVouchers, tieOutDifferences: last.tieOutDifferences },
  });
} finally {
  warehouse.close();
  removeWarehouse(path);
}
