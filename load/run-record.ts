import { randomUUID } from 'node:crypto';
import type { Warehouse } from './warehouse.ts';

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';

export interface RunStart {
  orgId: string;
  source: string;
  trigger: 'import' | 'sync' | 'schedule' | 'demo';
  sourceFile?: string;
  sourceSha256?: string;
}

/**
 * Writes the `sync_run` row as soon as a run starts, so a run that dies half-way still shows
 * up (as `running`, never finished) instead of vanishing.
 */
export async function startRun(warehouse: Warehouse, start: RunStart): Promise<string> {
  const runId = randomUUID();
  await warehouse.run(
    `INSERT INTO sync_run (run_id, org_id, source, trigger, started_at, status, source_file, source_sha256)
     VALUES ($1, $2, $3, $4, now()::TIMESTAMP, 'running', $5, $6)`,
    [runId, start.orgId, start.source, start.trigger, start.sourceFile ?? null, start.sourceSha256 ?? null],
  );
  return runId;
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

/** Whether the organization's run before `runId` never finished: it died (a crash, a kill). */
export async function previousRunInterrupted(warehouse: Warehouse, orgId: string, runId: string): Promise<boolean> {
  const row = await warehouse.one<{ status: string }>(
    'SELECT status FROM sync_run WHERE org_id = $1 AND run_id <> $2 ORDER BY started_at DESC LIMIT 1',
    [orgId, runId],
  );
  return row?.status === 'running';
}
