import type { Source, SourceStream, StreamSlice } from '../extract/index.ts';
import { finishRun, startRun, type Warehouse } from '../load/index.ts';
import {
  emptyTransformResult,
  transformFileLedger,
  type FileHeader,
  type FiscalYearRow,
  type LedgerEvent,
  type OrganizationInfo,
} from '../transform/index.ts';
import type { Progress } from './progress.ts';
import { describeFailure, loadSlice } from './slice-load.ts';
import { UsageError } from './usage-error.ts';

export interface SyncOptions {
  orgId: string;
  /** Fiscal years kept: the current one and the ones before it. */
  keepYears?: number;
  /** Read only this fiscal year (its label, e.g. `2025`), closed or not. */
  fiscalYear?: string;
  /** Re-read closed years too, and incremental streams from the start. */
  full?: boolean;
  trigger?: 'sync' | 'schedule' | 'demo';
  progress?: Progress;
  /** `YYYY-MM-DD`; picks the current fiscal year. Default: the clock. */
  today?: string;
}

export interface StreamOutcome {
  stream: string;
  /** `organization` or the fiscal year's label. */
  slice: string;
  status: 'succeeded' | 'failed' | 'skipped';
  rows: number;
  ms: number;
  /** Vouchers inserted, updated and deleted (voucher streams only). */
  changes: { inserted: number; updated: number; deleted: number };
  /** Why it failed or was skipped. */
  note: string | null;
}

export interface SyncSummary {
  runId: string;
  status: 'succeeded' | 'partial' | 'failed';
  organization: OrganizationInfo;
  years: FiscalYearRow[];
  streams: StreamOutcome[];
}

/** A closed year is re-read at most this often unless asked for. */
const CLOSED_YEAR_MAX_AGE_DAYS = 7;

/**
 * One sync of one organization: every stream of the source, slice by slice, each slice
 * committed in its own transaction with its sync state. A failing stream is recorded and the
 * others go on; the run ends `partial`. A crash loses only the slice in flight, and the next
 * run reads it again, so an interrupted sync followed by a new one equals an uninterrupted one.
 */
export async function syncOrganization(warehouse: Warehouse, source: Source, options: SyncOptions): Promise<SyncSummary> {
  const { orgId } = options;
  const runId = await startRun(warehouse, { orgId, source: source.provider, trigger: options.trigger ?? 'sync' });
  const outcomes: StreamOutcome[] = [];
  try {
    const organization = await source.organization();
    const allYears = await source.fiscalYears();
    const years = yearsToSync(allYears, options);
    const header = (slice: FiscalYearRow | null): FileHeader => ({
      format: source.provider,
      format_version: `${source.provider}-api`,
      declared_version: null,
      encoding: null,
      software: source.provider,
      organization,
      selection_start: slice?.start_date ?? null,
      selection_end: slice?.end_date ?? null,
      fiscal_years: slice ? [slice] : [],
      extra: null,
    });
    const read = (stream: SourceStream, year: FiscalYearRow | null) =>
      readSlice(warehouse, runId, options, stream, year, header(year)).then((o) => outcomes.push(o));

    for (const stream of source.streams.filter((s) => s.scope === 'organization')) await read(stream, null);
    const lastRead = await lastReads(warehouse, orgId, `${source.provider}:vouchers`);
    for (const year of years) {
      const skip = skipReason(year, lastRead.get(year.start_date), options);
      for (const stream of source.streams.filter((s) => s.scope === 'fiscal_year')) {
        if (skip) outcomes.push({ stream: stream.name, slice: year.label, status: 'skipped', rows: 0, ms: 0, changes: none(), note: skip });
        else await read(stream, year);
      }
    }

    const failed = outcomes.filter((o) => o.status === 'failed');
    const status = failed.length === 0 ? 'succeeded' : failed.length === outcomes.filter((o) => o.status !== 'skipped').length ? 'failed' : 'partial';
    const error = failed.length ? failed.map((o) => `${o.stream} ${o.slice}: ${o.note}`).join('\n') : null;
    await finishRun(warehouse, runId, { status, stats: { years: years.map((y) => y.label), streams: outcomes }, error });
    return { runId, status, organization, years, streams: outcomes };
  } catch (error) {
    await finishRun(warehouse, runId, { status: 'failed', stats: { streams: outcomes }, error: describeFailure(error) }).catch(() => undefined);
    throw error;
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** One stream's slice, all or nothing. A failure is the outcome, not an exception. */
async function readSlice(
  warehouse: Warehouse,
  runId: string,
  options: SyncOptions,
  stream: SourceStream,
  year: FiscalYearRow | null,
  header: FileHeader,
): Promise<StreamOutcome> {
  const provider = header.format;
  const sliceKey = year?.start_date ?? 'organization';
  const label = `${provider} ${stream.name}${year ? ` ${year.label}` : ''}`;
  const stateKey = `${provider}:${stream.name}`;
  const cursor = stream.incremental && !options.full ? await storedCursor(warehouse, options.orgId, stateKey, sliceKey) : null;
  const task = options.progress?.start(label);
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  let rows = 0;
  let nextCursor: string | null = null;
  const slice: StreamSlice = {
    fiscalYear: year,
    cursor,
    onPage: (page) => {
      rows = page.rows;
      task?.update(`${page.rows.toLocaleString('en')}${page.estimatedTotal ? ` of ~${page.estimatedTotal.toLocaleString('en')}` : ''} rows`);
    },
  };
  async function* events(): AsyncGenerator<LedgerEvent> {
    yield { kind: 'header', header, location: { file: provider } };
    const pages = stream.read(slice);
    for (;;) {
      const page = await pages.next();
      if (page.done) {
        nextCursor = page.value;
        return;
      }
      yield* page.value;
    }
  }
  const result = emptyTransformResult();
  try {
    const outcome = await loadSlice(warehouse, {
      orgId: options.orgId,
      runId,
      label,
      batches: (context, r) => transformFileLedger(events(), context, r),
      result,
      keepYears: options.keepYears ?? 3,
      years: () => (year ? [year] : []),
      replaces: () => ({
        vouchers: stream.replaces !== 'vouchers' ? 'none' : cursor === null ? 'year' : 'read',
        balances: stream.replaces === 'balances',
      }),
      syncState: async () => ({ stream: stateKey, cursor: nextCursor }),
    });
    return { stream: stream.name, slice: year?.label ?? 'organization', status: 'succeeded', rows, ms: ms(), changes: outcome.changes, note: null };
  } catch (error) {
    return { stream: stream.name, slice: year?.label ?? 'organization', status: 'failed', rows, ms: ms(), changes: none(), note: describeFailure(error) };
  } finally {
    task?.done();
  }
}

/** The current fiscal year and the ones before it, or the one year asked for. */
export function yearsToSync(all: FiscalYearRow[], options: Pick<SyncOptions, 'fiscalYear' | 'keepYears' | 'today'>): FiscalYearRow[] {
  if (options.fiscalYear !== undefined) {
    const year = all.find((y) => y.label === options.fiscalYear || y.start_date.slice(0, 4) === options.fiscalYear);
    if (!year) throw new UsageError(`fiscal year ${options.fiscalYear} is not among the organization's years (${all.map((y) => y.label).join(', ') || 'none'}).`);
    return [year];
  }
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const started = all.filter((y) => y.start_date <= today);
  return (started.length ? started : all).slice(-(options.keepYears ?? 3));
}

function skipReason(year: FiscalYearRow, lastRead: string | undefined, options: SyncOptions): string | null {
  if (!year.is_closed || options.full || options.fiscalYear !== undefined || !lastRead) return null;
  const ageDays = (Date.now() - Date.parse(`${lastRead}Z`)) / 86_400_000;
  if (ageDays >= CLOSED_YEAR_MAX_AGE_DAYS) return null;
  return `closed year, read ${lastRead.slice(0, 10)}; re-read weekly, or now with --full or --fiscal-year ${year.label}`;
}

/** When each year's slice of a stream was last committed. */
async function lastReads(warehouse: Warehouse, orgId: string, stream: string): Promise<Map<string, string>> {
  const rows = await warehouse.all<{ slice: string; updated_at: string }>(
    'SELECT slice, strftime(updated_at, \'%Y-%m-%dT%H:%M:%S\') AS updated_at FROM sync_state WHERE org_id = $1 AND stream = $2',
    [orgId, stream],
  );
  return new Map(rows.map((r) => [r.slice, r.updated_at]));
}

async function storedCursor(warehouse: Warehouse, orgId: string, stream: string, slice: string): Promise<string | null> {
  const row = await warehouse.one<{ cursor: string | null }>('SELECT cursor FROM sync_state WHERE org_id = $1 AND stream = $2 AND slice = $3', [orgId, stream, slice]);
  return row?.cursor ?? null;
}

const none = () => ({ inserted: 0, updated: 0, deleted: 0 });
