import { randomUUID } from 'node:crypto';
import type { Warehouse } from './warehouse.ts';

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted';

export interface RunStart {
  orgId: string;
  source: string;
  trigger: 'import' | 'sync' | 'schedule' | 'demo';
  sourceFile?: string;
  sourceSha256?: string;
}

/**
 * This process, as the `running` rows it writes name it (in `stats`, until the run finishes).
 * A pid alone could be reused by a later process (a container's CLI is often pid 1).
 */
const thisProcess = { process: randomUUID(), pid: process.pid };

/**
 * Writes the `sync_run` row as soon as a run starts, so a run that dies half-way still shows
 * up instead of vanishing. Runs left `running` by another process are marked `interrupted`
 * first: DuckDB lets one process write a warehouse at a time, so a process that could still
 * finish them would hold the warehouse, and this one could not have opened it.
 */
export async function startRun(warehouse: Warehouse, start: RunStart): Promise<string> {
  await markAbandonedRuns(warehouse);
  const runId = randomUUID();
  await warehouse.run(
    `INSERT INTO sync_run (run_id, org_id, source, trigger, started_at, status, source_file, source_sha256, stats)
     VALUES ($1, $2, $3, $4, now()::TIMESTAMP, 'running', $5, $6, $7)`,
    [runId, start.orgId, start.source, start.trigger, start.sourceFile ?? null, start.sourceSha256 ?? null, JSON.stringify(thisProcess)],
  );
  return runId;
}

/** Runs of processes that are gone, never finished (killed, crashed): `interrupted`. Returns how many. */
export async function markAbandonedRuns(warehouse: Warehouse): Promise<number> {
  const abandoned = await warehouse.all<{ run_id: string }>(
    `UPDATE sync_run SET status = 'interrupted', finished_at = now()::TIMESTAMP,
       error = 'Its process ended before the run finished (killed or crashed); the slice in flight was rolled back, the ones committed before it are kept.'
     WHERE status = 'running' AND (stats IS NULL OR json_extract_string(stats, '$.process') IS DISTINCT FROM $1) RETURNING run_id`,
    [thisProcess.process],
  );
  return abandoned.length;
}

export async function finishRun(
  warehouse: Warehouse,
  runId: string,
  end: { status: Exclude<RunStatus, 'running'>; stats: unknown; error?: string | null; sourceSha256?: string | null },
): Promise<void> {
  await warehouse.run(
    `UPDATE sync_run SET finished_at = now()::TIMESTAMP, status = $2, stats = $3, error = $4,
       source_sha256 = coalesce($5, source_sha256) WHERE run_id = $1`,
    [runId, end.status, JSON.stringify(end.stats, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), end.error ?? null, end.sourceSha256 ?? null],
  );
}

/**
 * Whether the organization's run before `runId` never finished: it died (a crash, a kill; the
 * next start marks it `interrupted`) or was stopped by a signal. Either may have left files.
 */
export async function previousRunInterrupted(warehouse: Warehouse, orgId: string, runId: string): Promise<boolean> {
  const row = await warehouse.one<{ status: string }>(
    'SELECT status FROM sync_run WHERE org_id = $1 AND run_id <> $2 ORDER BY started_at DESC LIMIT 1',
    [orgId, runId],
  );
  return row?.status === 'running' || row?.status === 'interrupted';
}
