import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { detectFileFormat, FileFormatError, readFileChunks, readSaft, readSie, splitSetPart, type FileFormat } from '../formats/index.ts';
import { emptyTransformResult, transformFileLedger, type FileTransformContext, type FileTransformResult, type TableBatch } from '../transform/index.ts';
import { formatMoney, type FiscalYearRow, type ImportIssue, type LedgerEvent } from '../model/index.ts';
import { finishRun, listedDocumentHashes, startRun, sweepDocuments, type CommitOutcome, type SliceCommit, type Warehouse } from '../load/index.ts';
import type { Progress } from './progress.ts';
import { UsageError } from './usage-error.ts';
import { transformInWorker } from './transform-worker.ts';
import { describeFailure, loadSlice, RunInterruptedError, type BatchSource } from './slice-load.ts';

export { ImportRejectedError } from './slice-load.ts';

export interface ImportOptions {
  orgId: string;
  /** Commit despite failed checks; every failure is then kept in `import_issue`. */
  force?: boolean;
  /** Commit deletions beyond the deletion guard's thresholds; recorded in the run's stats. */
  acceptDeletions?: boolean;
  /** SIGTERM/SIGINT: the import rolls back and its run ends `interrupted`. */
  signal?: AbortSignal;
  /** Fiscal years kept per organization: the newest and the ones before it. */
  keepYears?: number;
  trigger?: 'import' | 'demo';
  progress?: Progress;
}

export interface ImportSummary {
  runId: string;
  files: string[];
  format: FileFormat;
  formatVersion: string | null;
  encoding: string | null;
  years: { label: string; start: string; vouchers: number; lines: number; debit: string; credit: string }[];
  skippedYears: string[];
  expiredYears: string[];
  changes: CommitOutcome['changes'];
  warnings: ImportIssue[];
  /** Errors that a --force import let through; empty otherwise. */
  forcedErrors: ImportIssue[];
}

/**
 * Groups the given paths into imports: the parts of a split SAF-T set (`…_1_12.xml` …
 * `…_12_12.xml`) make one import; every other file is an import of its own.
 */
export function groupImportFiles(paths: string[]): string[][] {
  const sets = new Map<string, string[]>();
  const groups: string[][] = [];
  for (const path of paths) {
    const part = splitSetPart(path);
    if (!part) {
      groups.push([path]);
      continue;
    }
    let set = sets.get(part.set);
    if (!set) {
      sets.set(part.set, (set = []));
      groups.push(set);
    }
    set.push(path);
  }
  return groups;
}

/**
 * From this size on a file is read and transformed on a worker thread while this one loads,
 * which pays once the file takes seconds to read; below it, starting a worker (about a
 * second to load its modules) costs more than it saves.
 */
export const WORKER_MIN_BYTES = 16 << 20;

/** Imports one file (or one split set) into the warehouse as one all-or-nothing run. */
export async function importFile(warehouse: Warehouse, files: string[], options: ImportOptions): Promise<ImportSummary> {
  let format: FileFormat;
  try {
    format = await detectFileFormat(files[0]!);
    for (const other of files.slice(1)) {
      if ((await detectFileFormat(other)) !== format) throw new UsageError(`${basename(other)} is not the same kind of file as ${basename(files[0]!)}; import them separately.`);
    }
  } catch (error) {
    if (error instanceof FileFormatError) await recordUnreadableFile(warehouse, files, options, error);
    throw error;
  }
  if (format === 'sie' && files.length > 1) throw new UsageError('SIE files are imported one at a time; give one SIE file per import.');
  // Hashed while the import reads the file, not in a pass of its own before it.
  const sha256 = hashFiles(files);
  sha256.catch(() => undefined); // awaited later; a failure there is the import's failure
  const bytes = (await Promise.all(files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
  const batches: BatchSource =
    bytes >= WORKER_MIN_BYTES
      ? (context, result) => transformInWorker({ files, format, context }, result)
      : (context, result) => transformFileLedger(format === 'saft' ? readSaft(files) : readSie(files[0]!), context, result);
  return runImport(warehouse, batches, { ...options, files, format, sha256 });
}

/** A file not even recognised (empty, binary, another format) is a failed import run too. */
async function recordUnreadableFile(warehouse: Warehouse, files: string[], options: ImportOptions, error: FileFormatError): Promise<void> {
  const runId = await startRun(warehouse, { orgId: options.orgId, source: 'file', trigger: options.trigger ?? 'import', sourceFile: files.map((f) => basename(f)).join(', ') });
  const sourceSha256 = await hashFiles(files).catch(() => null);
  await finishRun(warehouse, runId, { status: 'failed', stats: { issues: 1 }, error: error.message, sourceSha256 });
}

/** What a run is importing: its files, their format and their sha256 (possibly still being computed). */
type RunOptions = ImportOptions & { files: string[]; format: FileFormat; sha256: string | Promise<string> };

/** Imports ledger events produced in this thread (tests, sources without a file). */
export async function importLedgerEvents(warehouse: Warehouse, events: AsyncIterable<LedgerEvent>, options: RunOptions): Promise<ImportSummary> {
  return runImport(warehouse, (context, result) => transformFileLedger(events, context, result), options);
}

/**
 * The import run proper, for any source of unified batches: one slice load (append, check,
 * commit or reject) inside a run record.
 */
async function runImport(warehouse: Warehouse, batches: BatchSource, options: RunOptions): Promise<ImportSummary> {
  const { files, format } = options;
  const fileLabel = files.map((f) => basename(f)).join(', ');
  const runId = await startRun(warehouse, { orgId: options.orgId, source: format, trigger: options.trigger ?? 'import', sourceFile: fileLabel });
  const result = emptyTransformResult();
  try {
    const listedBefore = await listedDocumentHashes(warehouse, options.orgId);
    const outcome = await loadSlice(warehouse, {
      orgId: options.orgId,
      runId,
      label: fileLabel,
      batches,
      result,
      force: options.force,
      acceptDeletions: options.acceptDeletions,
      signal: options.signal,
      keepYears: options.keepYears ?? 3,
      replaces: fileReplaces,
      syncState: async () => ({ stream: `${format}:ledger`, cursor: await options.sha256 }),
      progress: options.progress,
    });
    // A year that left the history window took its documents' rows along; now their files.
    if (outcome.expiredYears.length > 0) await sweepDocuments(warehouse, listedBefore);
    const summary = summarise(runId, files, format, result, outcome);
    await finishRun(warehouse, runId, { status: 'succeeded', stats: { ...runStats(summary), ...accepted(options) }, sourceSha256: await options.sha256 });
    return summary;
  } catch (error) {
    const sourceSha256 = await Promise.resolve(options.sha256).catch(() => null);
    const status = error instanceof RunInterruptedError ? 'interrupted' : 'failed';
    await finishRun(warehouse, runId, { status, stats: { issues: result.issues.length, ...accepted(options) }, error: describeFailure(error), sourceSha256 }).catch(() => undefined);
    throw error;
  }
}

/**
 * What a file replaces of the fiscal years it covers. A 4E file or a whole year's SAF-T is
 * the years' ledger as a whole; SIE 1–3 files hold balances only; a SIE 4I file carries
 * vouchers to add, nothing else; a file without vouchers that should have some replaces
 * only the balances it states; a SAF-T file selecting some months replaces the vouchers
 * dated in them and the balances at the dates it states, and keeps the rest of the year.
 */
export function fileReplaces(result: FileTransformResult): SliceCommit['replaces'] {
  const header = result.header;
  const version = header?.format_version ?? '';
  if (version === 'sie-4I') return { vouchers: result.hasVouchers ? 'read' : 'none', balances: 'none' };
  // Without vouchers: a SIE 1–3 file is the year's balances; any other may be one cut short.
  if (!result.hasVouchers) return { vouchers: 'none', balances: /^sie-[123]$/.test(version) ? 'year' : 'stated' };
  const from = header?.selection_start ?? null;
  const to = header?.selection_end ?? null;
  const wholeYears = from === null || to === null || [...result.years.values()].every(({ fiscal_year: y }) => from <= y.start_date && to >= y.end_date);
  return wholeYears ? { vouchers: 'year', balances: 'year' } : { vouchers: { from, to }, balances: 'stated' };
}

function summarise(runId: string, files: string[], format: FileFormat, result: FileTransformResult, outcome: CommitOutcome): ImportSummary {
  const committed = new Set(outcome.committedYears.map((y) => y.start_date));
  return {
    runId,
    files,
    format,
    formatVersion: result.header?.format_version ?? null,
    encoding: result.header?.encoding ?? null,
    years: [...result.years.values()]
      .filter((s) => committed.has(s.fiscal_year.start_date))
      .sort((a, b) => a.fiscal_year.start_date.localeCompare(b.fiscal_year.start_date))
      .map((s) => ({ label: s.fiscal_year.label, start: s.fiscal_year.start_date, vouchers: s.vouchers, lines: s.lines, debit: formatMoney(s.debit), credit: formatMoney(s.credit) })),
    skippedYears: outcome.skippedYears.map((y) => y.label),
    expiredYears: outcome.expiredYears,
    changes: outcome.changes,
    warnings: result.issues.filter((i) => i.severity === 'warning'),
    forcedErrors: result.issues.filter((i) => i.severity === 'error'),
  };
}

/** `--accept-deletions`, as the run record keeps it: only when given. */
export function accepted(options: { acceptDeletions?: boolean }): { accept_deletions?: true } {
  return options.acceptDeletions ? { accept_deletions: true } : {};
}

function runStats(summary: ImportSummary) {
  return {
    format: summary.formatVersion,
    encoding: summary.encoding,
    years: summary.years,
    skipped_years: summary.skippedYears,
    expired_years: summary.expiredYears,
    changes: summary.changes,
    warnings: summary.warnings.length,
    forced_errors: summary.forcedErrors.length,
  };
}

/** Read through reused buffers: fresh chunks would die on this thread, which collects late. */
async function hashFiles(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    for await (const chunk of readFileChunks(file, 1 << 20)) hash.update(chunk);
  }
  return hash.digest('hex');
}
