import type { Warehouse } from './warehouse.ts';

/** The slice a stream of the whole organization (master data, a file without years) is kept under. */
export const ORGANIZATION_SLICE = 'organization';

/** Where one stream's slice stands: the cursor its last committed read returned, and when. */
export interface SyncState {
  /** The stream, qualified by its source: `tripletex:vouchers`, `sie:ledger`. */
  stream: string;
  /** A fiscal year's start date, or `organization`. */
  slice: string;
  /** An API cursor or a file's sha256; `null` when the stream keeps none. */
  cursor: string | null;
  /** When the slice was committed, by the clock of the run that committed it (ms since the epoch). */
  committedAt: number;
}

/** Every slice's sync state of one organization. */
export class SyncStates {
  private readonly byKey: Map<string, SyncState>;

  constructor(states: readonly SyncState[]) {
    this.byKey = new Map(states.map((s) => [SyncStates.key(s.stream, s.slice), s]));
  }

  get(stream: string, slice: string): SyncState | undefined {
    return this.byKey.get(SyncStates.key(stream, slice));
  }

  private static key(stream: string, slice: string): string {
    return `${stream}|${slice}`;
  }
}

/** The organization's sync states, as the last committed slices left them. */
export async function readSyncStates(warehouse: Warehouse, orgId: string): Promise<SyncStates> {
  const rows = await warehouse.all<{ stream: string; slice: string; cursor: string | null; committed_ms: string }>(
    'SELECT stream, slice, cursor, epoch_ms(updated_at)::VARCHAR AS committed_ms FROM sync_state WHERE org_id = $1',
    [orgId],
  );
  return new SyncStates(rows.map((r) => ({ stream: r.stream, slice: r.slice, cursor: r.cursor, committedAt: Number(r.committed_ms) })));
}

/**
 * Records a slice's new state. Called inside the slice's own transaction, after its data:
 * a crash leaves the previous slice with its state, or the new one with its own.
 * `updated_at` is UTC, from the caller's clock rather than DuckDB's, so that the engine's
 * "a closed year is re-read weekly" is decided on the calendar it was committed by.
 */
export async function writeSyncState(warehouse: Warehouse, orgId: string, state: SyncState): Promise<void> {
  if (!Number.isFinite(state.committedAt)) throw new RangeError(`sync state of ${state.stream} ${state.slice}: ${state.committedAt} is not an instant.`);
  await warehouse.run(
    `INSERT INTO sync_state VALUES ($1, $2, $3, $4, make_timestamp($5::BIGINT * 1000))
     ON CONFLICT DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    [orgId, state.stream, state.slice, state.cursor, Math.round(state.committedAt)],
  );
}

/** Forgets every stream's state of one slice (a fiscal year that left the history window). */
export async function forgetSyncStates(warehouse: Warehouse, orgId: string, slice: string): Promise<void> {
  await warehouse.run('DELETE FROM sync_state WHERE org_id = $1 AND slice = $2', [orgId, slice]);
}

/**
 * Where each fiscal year's ledger came from is kept as the sync state of a stream of its own:
 * the slice is the year, the cursor the source (`sie`, `saft`, or a provider). Written with
 * every slice that replaces a year's ledger, forgotten with the year.
 */
const LEDGER_SOURCE_STREAM = 'ledger';

/** Ledger sources that are statutory files, not a provider's API. */
const FILE_SOURCES: readonly string[] = ['sie', 'saft'];

/** Where one fiscal year's ledger came from. */
export interface LedgerSource {
  /** The fiscal year's start date. */
  slice: string;
  /** `sie`, `saft`, or a provider. */
  source: string;
  /** A file import, not a provider sync. */
  fromFile: boolean;
  committedAt: number;
}

/** Records, inside the slice's transaction, that `source` is where the year's ledger came from. */
export async function writeLedgerSource(warehouse: Warehouse, orgId: string, yearStart: string, source: string, committedAt: number): Promise<void> {
  await writeSyncState(warehouse, orgId, { stream: LEDGER_SOURCE_STREAM, slice: yearStart, cursor: source, committedAt });
}

/**
 * Each fiscal year's ledger source, by its start date. A year loaded before the source was
 * recorded is placed by its newest ledger slice: a file's (`sie:ledger`) or a provider's.
 */
export async function readLedgerSources(warehouse: Warehouse, orgId: string): Promise<Map<string, LedgerSource>> {
  const rows = await warehouse.all<{ slice: string; source: string; committed_ms: string }>(
    `SELECT slice, source, committed_ms FROM (
       SELECT slice, CASE WHEN stream = $2 THEN cursor ELSE split_part(stream, ':', 1) END AS source,
              epoch_ms(updated_at)::VARCHAR AS committed_ms,
              row_number() OVER (PARTITION BY slice ORDER BY stream = $2 DESC, updated_at DESC) AS pick
       FROM sync_state
       WHERE org_id = $1 AND slice <> $3 AND cursor IS NOT NULL
         AND (stream = $2 OR stream IN (${FILE_SOURCES.map((f) => `'${f}:ledger'`).join(', ')}))
     ) WHERE pick = 1`,
    [orgId, LEDGER_SOURCE_STREAM, ORGANIZATION_SLICE],
  );
  return new Map(rows.map((r) => [r.slice, { slice: r.slice, source: r.source, fromFile: FILE_SOURCES.includes(r.source), committedAt: Number(r.committed_ms) }]));
}
