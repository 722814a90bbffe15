import { commitSlices, explainDuckDbError, Staging, type CommitOutcome, type SliceCommit, type Warehouse } from '../load/index.ts';
import { unbalancedVoucherMessage, type FileTransformContext, type FileTransformResult, type TableBatch } from '../transform/index.ts';
import { systemClock, type Clock, type FiscalYearRow, type ImportIssue } from '../model/index.ts';
import type { Progress } from './progress.ts';
import { printedIssues } from './printed-issues.ts';

/**
 * DuckDB's buffer pool while a slice loads. The appended rows go to disk a row group at a
 * time, but DuckDB keeps the blocks it wrote cached up to its limit, and the checks' hash
 * tables grow to it. Beyond it, DuckDB spills to the temp directory: at 64 MB a 2 GB SAF-T
 * import spilled ~220 MB and peaked at ~410 MB, in the time it took at 128 MB (~550 MB);
 * a 200 MB one peaks ~20 MB lower than at 128 MB. At 32 MB the checks of a 2 GB import ran
 * out of memory.
 */
const LOAD_MEMORY_LIMIT = '64MB';

/**
 * While the batches are appended, when the transform worker's heap is at its fullest, DuckDB
 * needs little more than the row groups it is filling and writing, all on the appending
 * thread. The buffer pool is held lower still: a 200 MB SAF-T import peaked at 315–348 MB
 * over 18 runs against 347–380 MB at 64 MB in the runs between them, a 2 GB one at 330 and
 * 348 MB against 355–394 MB, in the same time (72–86 s against 65–103 s on this machine).
 * And DuckDB gets one thread instead of one per core: its second took ~15 MB more at the
 * median and up to 350 MB against 323 MB over 12 alternating runs, in the same time.
 */
const APPEND_SETTINGS = { memory_limit: '32MB', threads: '1' };

/** A slice that failed its checks: nothing of it was written. Carries every problem found. */
export class ImportRejectedError extends Error {
  override readonly name = 'ImportRejectedError';
  constructor(
    /** The files or the stream slice, as a person names them. */
    readonly source: string,
    readonly errors: ImportIssue[],
  ) {
    super(`${source} was rejected: ${errors.length} problem${errors.length === 1 ? '' : 's'} found, nothing was imported.`);
  }
}

/** A run stopped by SIGTERM or SIGINT: the slice in flight was rolled back. */
export class RunInterruptedError extends Error {
  override readonly name = 'RunInterruptedError';
  constructor(readonly source: string) {
    super(`Interrupted while loading ${source}; it was rolled back, and the slices committed before it are kept. Run it again to finish.`);
  }
}

export type BatchSource = (context: FileTransformContext, result: FileTransformResult) => AsyncIterable<TableBatch>;

export interface SliceLoad {
  orgId: string;
  runId: string;
  /** Files or stream and slice, for messages. */
  label: string;
  batches: BatchSource;
  /** Called once every batch is appended, before the checks and the commit. */
  onAppended?: () => void;
  /** Filled while the batches are read: header, years, issues. */
  result: FileTransformResult;
  /** Commit despite failed checks; every failure is then kept in `import_issue`. */
  force?: boolean;
  /** Commit even deletions the deletion guard would hold back (`--accept-deletions`). */
  acceptDeletions?: boolean;
  /** Aborted by SIGTERM/SIGINT: the slice stops reading and rolls back (see `RunInterruptedError`). */
  signal?: AbortSignal;
  keepYears: number;
  /** Which years the slice replaces; all of them unless given. */
  years?: (result: FileTransformResult) => FiscalYearRow[];
  replaces: (result: FileTransformResult) => SliceCommit['replaces'];
  syncState: (result: FileTransformResult) => Promise<{ stream: string; cursor: string | null }>;
  /** Says when the slice was committed, for its sync state; the system's by default. */
  clock?: Clock;
  progress?: Progress;
}

/**
 * One slice, all or nothing: append everything, check it as a whole, then commit it with
 * its sync state in one transaction, or reject it leaving the warehouse as it was.
 */
export async function loadSlice(warehouse: Warehouse, load: SliceLoad): Promise<CommitOutcome> {
  const { orgId, runId, result, label } = load;
  const staging = new Staging(warehouse);
  try {
    const knownFiscalYears = await warehouse.all<FiscalYearRow & Record<string, unknown>>(
      'SELECT start_date::VARCHAR AS start_date, end_date::VARCHAR AS end_date, label, is_closed FROM fiscal_year WHERE org_id = $1',
      [orgId],
    );
    const readCheckAndCommit = async () => {
      const progress = load.progress?.start(`importing ${label}`);
      let lines = 0;
      await warehouse.withSettings(APPEND_SETTINGS, async () => {
        for await (const tableBatch of load.batches({ orgId, runId, knownFiscalYears }, result)) {
          if (load.signal?.aborted) throw new RunInterruptedError(label);
          await staging.append(tableBatch);
          if (tableBatch.table === 'ledger_line') {
            lines += tableBatch.batch.numRows;
            progress?.update(`${lines.toLocaleString('en')} lines`);
          }
        }
      });
      progress?.done();
      if (load.signal?.aborted) throw new RunInterruptedError(label);
      load.onAppended?.();
      staging.seal();
      if (staging.received('ledger_line') || staging.received('voucher')) await checkAppended(warehouse, result, label, orgId, runId);
      await checkOrganization(warehouse, result, label, orgId);

      const errors = result.issues.filter((i) => i.severity === 'error');
      if (errors.length > 0 && !load.force) throw new ImportRejectedError(label, errors);
      if (!result.header) throw new ImportRejectedError(label, [{ severity: 'error', code: 'no_header', message: `${label} has no header: it is not a complete export.`, location: { file: label } }]);

      return commitSlices(warehouse, {
        orgId,
        runId,
        source: result.header.format,
        organization: result.header.organization,
        organizationExtra: result.header.extra === null ? null : JSON.stringify(result.header.extra),
        years: load.years?.(result) ?? [...result.years.values()].map((s) => s.fiscal_year),
        replaces: load.replaces(result),
        keepYears: load.keepYears,
        syncState: { ...(await load.syncState(result)), committedAt: (load.clock ?? systemClock).now() },
        sourceLabel: label,
        issues: result.issues,
        staged: staging.staged,
        acceptDeletions: load.acceptDeletions,
      });
    };
    // One transaction from the first appended line to the commit: a rejected slice or a
    // crash leaves nothing of it in the warehouse.
    return await warehouse.withSettings({ memory_limit: LOAD_MEMORY_LIMIT }, () =>
      warehouse.transaction(async () => {
        try {
          return await readCheckAndCommit();
        } catch (error) {
          // Unwritten appender rows must go before the rollback, or they would land after it.
          // In a transaction DuckDB already aborted, dropping the staging tables fails too;
          // the rollback removes them, and the error that aborted it is the one to report.
          await staging.drop().catch(() => undefined);
          throw explainDuckDbError(error, `Loading ${label}`, warehouse.spillDirectory);
        }
      }),
    );
  } finally {
    await staging.drop().catch(() => undefined);
  }
}

/** The error as `sync_run.error` keeps it: the sentence, and a rejected slice's first problems. */
export function describeFailure(error: unknown): string {
  if (error instanceof ImportRejectedError) return [error.message, ...printedIssues(error.errors, 20)].join('\n');
  return (error as Error)?.message ?? String(error);
}

/**
 * A source of another company must not land in this organization's ledger: its org number
 * (see `sameOrgNumber`) and its currency must be the organization's.
 */
async function checkOrganization(warehouse: Warehouse, result: FileTransformResult, label: string, orgId: string): Promise<void> {
  const incoming = result.header?.organization;
  if (!incoming) return;
  const stored = await warehouse.one<{ name: string; org_number: string | null; base_currency: string }>(
    'SELECT name, org_number, base_currency FROM organization WHERE org_id = $1',
    [orgId],
  );
  if (!stored) return;
  const problem = (code: string, message: string) => result.issues.push({ severity: 'error', code, message, location: { file: label } });
  if (stored.org_number !== null && incoming.org_number !== null && !sameOrgNumber(stored.org_number, incoming.org_number)) {
    problem(
      'other_organization',
      `${label} is the ledger of ${incoming.name} (org. no. ${incoming.org_number}), but organization "${orgId}" is ${stored.name} (org. no. ${stored.org_number}); import it under an --org of its own.`,
    );
  }
  if (incoming.base_currency.toUpperCase() !== stored.base_currency.toUpperCase()) {
    problem(
      'other_currency',
      `${label} keeps its books in ${incoming.base_currency}, but organization "${orgId}" keeps them in ${stored.base_currency}; import it under an --org of its own.`,
    );
  }
}

/**
 * By digits, and a number inside a longer one of the same company: a VAT number
 * (`SE556677889901`, `NO888888888MVA`), the 12-digit Swedish forms (`16556677-8899`, a
 * personnummer with its century `19650101-1234`).
 */
export function sameOrgNumber(a: string, b: string): boolean {
  const [x, y] = [a.replace(/\D/g, ''), b.replace(/\D/g, '')].sort((p, q) => p.length - q.length) as [string, string];
  return x.length >= 9 ? y.includes(x) : x === y;
}

/**
 * Checks the warehouse's own invariants on everything staged, whatever the reader caught:
 * every voucher balances to the øre (the transform ran the check every source shares on
 * each voucher); vouchers without lines are reported.
 */
async function checkAppended(warehouse: Warehouse, result: FileTransformResult, label: string, orgId: string, runId: string): Promise<void> {
  // A slice with errors is rejected anyway; an imbalance then only echoes a dropped line.
  if (result.issues.some((i) => i.severity === 'error')) return;
  const unbalanced = [...result.unbalanced].sort((a, b) => (a.voucherId < b.voucherId ? -1 : a.voucherId > b.voucherId ? 1 : 0));
  for (const { voucherId, balance } of unbalanced) {
    result.issues.push({
      severity: 'error',
      code: 'unbalanced_voucher',
      message: `${label}: ${unbalancedVoucherMessage(`voucher ${voucherId}`, balance)}`,
      location: { file: label },
    });
  }
  // Only this slice's years: a sync run commits other years' slices under the same run id.
  const years = [...result.years.keys()].filter((y) => /^\d{4}-\d{2}-\d{2}$/.test(y));
  if (years.length === 0) return;
  const inReadYears = `fiscal_year_start IN (${years.map((y) => `DATE '${y}'`).join(', ')})`;
  const empty = await warehouse.all<{ voucher_id: string }>(
    `SELECT voucher_id FROM voucher WHERE org_id = $1 AND run_id = $2 AND ${inReadYears}
     AND voucher_id NOT IN (SELECT voucher_id FROM ledger_line WHERE org_id = $1 AND run_id = $2 AND ${inReadYears}) ORDER BY voucher_id`,
    [orgId, runId],
  );
  for (const row of empty) {
    // Real exports keep emptied (cancelled) vouchers; they balance trivially and are kept.
    result.issues.push({ severity: 'warning', code: 'empty_voucher', message: `${label}: voucher ${row.voucher_id} has no lines.`, location: { file: label } });
  }
}
