import { availableParallelism } from 'node:os';
import { StreamContractError, type DocumentSink, type Source, type SourceFiscalYear, type SourceStream, type StreamEvent, type StreamSlice } from '../extract/index.ts';
import {
  DocumentStore,
  finishRun,
  heldDocuments,
  ORGANIZATION_SLICE,
  previousRunInterrupted,
  readLedgerSources,
  readSyncStates,
  recordIssues,
  startRun,
  statedAccountYears,
  sweepDocuments,
  type SyncState,
  type Warehouse,
} from '../load/index.ts';
import {
  closingMismatch,
  emptyTransformResult,
  transformFileLedger,
  type FileTransformContext,
  type TableBatch,
} from '../transform/index.ts';
import {
  findFiscalYear,
  formatMoney,
  osloToday,
  systemClock,
  type Clock,
  type FileHeader,
  type FiscalYearRow,
  type ImportIssue,
  type LedgerEvent,
  type OrganizationInfo,
} from '../model/index.ts';
import type { Progress } from './progress.ts';
import { describeFailure, loadSlice, RunInterruptedError } from './slice-load.ts';
import { accepted } from './import-files.ts';
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
  /** Picks the current fiscal year and says when a closed year was last read; the system's by default. */
  clock?: Clock;
  /** Commit deletions beyond the deletion guard's thresholds; recorded in the run's stats. */
  acceptDeletions?: boolean;
  /**
   * SIGTERM/SIGINT: the slice in flight rolls back (the ones committed before it stay), no
   * further slice starts, and the run ends `interrupted`.
   */
  signal?: AbortSignal;
  /**
   * A fiscal year whose ledger was loaded from a file (SIE, SAF-T): replace it with the
   * provider's (`true`), keep it and read only its documents (`false`, the default), or ask,
   * once per such year, before anything is read.
   */
  replaceFileLedger?: boolean | ((year: FiscalYearRow, fileSource: string) => Promise<boolean>);
}

/** A fiscal year whose file-imported ledger this run kept. */
export interface KeptFileLedger {
  label: string;
  /** The file format it came from: `sie`, `saft`. */
  source: string;
  /** The one sentence that says so, and how to replace it. */
  message: string;
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
  /** Checks that found something without failing the run (closing balances that do not tie); also in `import_issue`. */
  warnings: ImportIssue[];
  /** Years whose ledger came from a file and was kept: their documents were read, not their ledger. */
  keptFileLedgers: KeptFileLedger[];
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
  // A sync is paced by the provider: its main thread must answer sockets and timers on time.
  // DuckDB's commits and checkpoints get every core but one meanwhile (on two cores, giving
  // them both cost ~0.3 s of an 8 s API sync bench in requests sent late).
  const restoreThreads = await leaveOneCore(warehouse);
  let releaseDocuments = () => undefined as void;
  try {
    const organization = await source.organization();
    const allYears = await source.fiscalYears();
    const years = yearsToSync(allYears, options);
    // The organization header is the engine's alone to emit (streams yield no header): one
    // per slice, from the source's organization, with the slice's year as the warehouse keeps it.
    const header = (slice: FiscalYearRow | null): FileHeader => ({
      format: source.provider,
      format_version: `${source.provider}-api`,
      declared_version: null,
      encoding: null,
      software: source.provider,
      organization,
      selection_start: slice?.start_date ?? null,
      selection_end: slice?.end_date ?? null,
      fiscal_years: slice ? [unifiedYear(slice)] : [],
      extra: null,
    });
    // Every slice, in the order it is read.
    const states = await readSyncStates(warehouse, orgId);
    const stateOf = (stream: SourceStream, year: FiscalYearRow | null) => states.get(`${source.provider}:${stream.name}`, year?.start_date ?? ORGANIZATION_SLICE);
    const { kept, replaced } = await fileLedgers(warehouse, source.provider, years, options);
    const { sink: documents, candidates, release } = await documentSink(warehouse, orgId);
    releaseDocuments = release;
    const tasks: (SliceTask | StreamOutcome)[] = [];
    const task = (stream: SourceStream, year: SourceFiscalYear | null): SliceTask => {
      const state = stateOf(stream, year);
      // A file's ledger replaced by the provider's is read whole, whatever an older sync left.
      const fresh = options.full || (year !== null && replaced.has(year.start_date));
      return { stream, year, header: header(year), cursor: stream.incremental && !fresh ? (state?.cursor ?? null) : null, documents };
    };
    // The ledger first, year by year, then master data and balances: the many small slices at
    // the end then fetch while the last year is committed, instead of the run waiting for
    // that commit alone. (Each slice commits on its own, so none depends on another's order.)
    const yearTasks = (stream: SourceStream) =>
      years.map((year): SliceTask | StreamOutcome => {
        // Each stream by its own last read: a run that died between two streams of a closed
        // year must still read the one it did not commit.
        const keptFile = stream.replaces === 'vouchers' || stream.replaces === 'balances' ? kept.get(year.start_date) : undefined;
        const skip = keptFile ? `the ledger imported from a ${keptFile.source.toUpperCase()} file is kept; replace it with --replace-file-ledger` : skipReason(year, stateOf(stream, year), options);
        return skip ? { stream: stream.name, slice: year.label, status: 'skipped', rows: 0, ms: 0, changes: none(), note: skip } : task(stream, year);
      });
    const yearly = source.streams.filter((s) => s.scope === 'fiscal_year');
    for (const stream of yearly.filter((s) => s.replaces === 'vouchers')) tasks.push(...yearTasks(stream));
    for (const stream of source.streams.filter((s) => s.scope === 'organization')) tasks.push(task(stream, null));
    for (const stream of yearly.filter((s) => s.replaces !== 'vouchers')) tasks.push(...yearTasks(stream));

    // Slices are read in order, each as soon as the one before it has read everything, up to
    // a shared number of pages ahead of the loader: requests go on while slices are checked
    // and committed, and a run of small slices does not wait for each one's commit.
    const sliceTasks = tasks.filter((t): t is SliceTask => 'header' in t);
    const budget = new ReadAheadBudget(PAGES_AHEAD);
    const opened = new Map<SliceTask, OpenSlice>();
    const open = (k: number): void => {
      const t = sliceTasks[k];
      if (t && !opened.has(t)) opened.set(t, new OpenSlice(t, budget, () => open(k + 1)));
    };
    for (const t of tasks) {
      if (options.signal?.aborted) throw new RunInterruptedError(`the ${source.provider} sync of "${orgId}"`);
      if (!('header' in t)) {
        outcomes.push(t);
        continue;
      }
      const k = sliceTasks.indexOf(t);
      open(k);
      const context = { orgId, runId, knownFiscalYears: allYears.map(unifiedYear) };
      // Once this slice has appended everything, the next one (already reading) may start
      // its transform while this one is checked and committed.
      const startNext = () => opened.get(sliceTasks[k + 1]!)?.transform(context);
      outcomes.push(await readSlice(warehouse, runId, options, opened.get(t)!, context, startNext));
      opened.delete(t);
    }

    const warnings = await closingMismatches(warehouse, source.provider, orgId, years.filter((y) => !kept.has(y.start_date)), outcomes);
    // Files no row lists any more (a year left the window, a document its source, a slice that
    // failed) go now that nothing is downloading; after a run that died, the whole folder is
    // looked through, as what that run stored is remembered nowhere.
    const wholeFolder = await previousRunInterrupted(warehouse, orgId, runId);
    release();
    await sweepDocuments(warehouse, wholeFolder ? undefined : candidates).catch((error: unknown) =>
      warnings.push({
        severity: 'warning',
        code: 'document_sweep_failed',
        message: `Files no longer listed could not be removed from the document folder (${(error as Error)?.message ?? String(error)}); the next run tries again.`,
        location: { file: DocumentStore.of(warehouse).folder },
      }),
    );
    await recordIssues(warehouse, runId, orgId, warnings);
    const failed = outcomes.filter((o) => o.status === 'failed');
    const status = failed.length === 0 ? 'succeeded' : failed.length === outcomes.filter((o) => o.status !== 'skipped').length ? 'failed' : 'partial';
    const error = failed.length ? failed.map((o) => `${o.stream} ${o.slice}: ${o.note}`).join('\n') : null;
    await finishRun(warehouse, runId, { status, stats: { years: years.map((y) => y.label), streams: outcomes, warnings: warnings.length, ...accepted(options) }, error });
    const keptFileLedgers = [...kept.values()].map(({ year, source: from }) => ({
      label: year.label,
      source: from,
      message: `Fiscal year ${year.label}: the ledger imported from a ${from.toUpperCase()} file was kept (its documents were read); run "ledgerhouse sync ${orgId} --fiscal-year ${year.label} --replace-file-ledger" to replace it with ${source.provider}'s.`,
    }));
    return { runId, status, organization, years, streams: outcomes, warnings, keptFileLedgers };
  } catch (error) {
    const status = error instanceof RunInterruptedError ? 'interrupted' : 'failed';
    await finishRun(warehouse, runId, { status, stats: { streams: outcomes, ...accepted(options) }, error: describeFailure(error) }).catch(() => undefined);
    throw error;
  } finally {
    releaseDocuments();
    await source.close().catch(() => undefined);
    await restoreThreads().catch(() => undefined);
  }
}

/**
 * Closing = opening + movements for every year the run left whole, where the provider states
 * balances: the ledger read must tie out to the balances the provider reports. A year with a
 * failed slice is not checked: its mismatch would only repeat the failure.
 */
async function closingMismatches(warehouse: Warehouse, provider: string, orgId: string, years: readonly FiscalYearRow[], outcomes: readonly StreamOutcome[]): Promise<ImportIssue[]> {
  const issues: ImportIssue[] = [];
  for (const year of years) {
    if (outcomes.some((o) => o.slice === year.label && o.status === 'failed')) continue;
    for (const a of await statedAccountYears(warehouse, orgId, year.start_date, provider)) {
      const mismatch = closingMismatch(a.opening, a.movements, a.closing);
      if (mismatch === null) continue;
      issues.push({
        severity: 'warning',
        code: 'closing_mismatch',
        message:
          `${provider} states a closing balance of ${formatMoney(a.closing)} for account ${a.account_id} in fiscal year ${year.label}, but opening ${formatMoney(a.opening)} + ` +
          `the vouchers read ${formatMoney(a.movements)} = ${formatMoney(mismatch.expected)} (difference ${formatMoney(mismatch.difference)}); run "ledgerhouse sync ${orgId} --fiscal-year ${year.label}" to read the year again.`,
        location: { file: provider, path: `balances/${year.label}/${a.account_id}` },
      });
    }
  }
  return issues;
}

interface SliceTask {
  stream: SourceStream;
  /** The year the slice reads, with the provider's own id for it; `null` for the organization. */
  year: SourceFiscalYear | null;
  header: FileHeader;
  cursor: string | null;
  documents: DocumentSink;
}

/**
 * The years to sync whose ledger a file import loaded: those to keep, with their file's
 * format, and those the operator had replaced (asked before anything is read).
 */
async function fileLedgers(warehouse: Warehouse, provider: string, years: readonly FiscalYearRow[], options: SyncOptions) {
  const sources = await readLedgerSources(warehouse, options.orgId);
  const kept = new Map<string, { year: FiscalYearRow; source: string }>();
  const replaced = new Set<string>();
  for (const year of years) {
    const from = sources.get(year.start_date);
    if (!from?.fromFile || from.source === provider) continue;
    const decide = options.replaceFileLedger ?? false;
    if (typeof decide === 'boolean' ? decide : await decide(year, from.source)) replaced.add(year.start_date);
    else kept.set(year.start_date, { year, source: from.source });
  }
  return { kept, replaced };
}

/**
 * The document folder as the run's streams see it: what the warehouse lists already (read
 * once, before any slice: a file is then never downloaded twice), and where new bytes go.
 * `candidates` gathers the files the run may leave unlisted: those listed before it and
 * those it stored.
 */
async function documentSink(warehouse: Warehouse, orgId: string): Promise<{ sink: DocumentSink; candidates: Set<string>; release: () => void }> {
  const store = DocumentStore.of(warehouse);
  const held = await heldDocuments(warehouse, orgId);
  const candidates = new Set([...held.values()].map((d) => d.sha256));
  // What this run stored stays pinned against other runs' sweeps until its slices are settled.
  const stored: string[] = [];
  const sink: DocumentSink = {
    held: (documentId) => {
      const row = held.get(documentId);
      // A row whose file went missing (a folder restored without it) is downloaded again.
      return row && store.has(row.sha256) ? row : undefined;
    },
    store: async (body) => {
      const file = await store.store(body);
      candidates.add(file.sha256);
      stored.push(file.sha256);
      return file;
    },
  };
  return { sink, candidates, release: () => store.release(stored.splice(0)) };
}

/** Events transformed between two turns of the event loop (about 10 ms of work). */
const EVENTS_BETWEEN_PAUSES = 500;

/** Arrow batches a slice may transform ahead of its turn to append. */
const BATCHES_AHEAD = 8;

/** Pages read ahead of the loader, over all open slices: about a year of vouchers of a bench company. */
const PAGES_AHEAD = 40;

/** How many pages (or batches) may be read but not yet used; shared by the slices reading ahead. */
export class ReadAheadBudget {
  private buffered = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async room(): Promise<void> {
    while (this.buffered >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  took(): void {
    this.buffered++;
  }

  gave(): void {
    this.buffered--;
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}

/** A slice whose pages are being read, possibly before the slices ahead of it are committed. */
class OpenSlice {
  rows = 0;
  pagesRead = 0;
  estimatedTotal: number | null = null;
  onProgress: (() => void) | null = null;
  /** The stream's cursor once it has read everything. */
  nextCursor: string | null = null;
  /** Given a cursor, the stream read the whole slice anyway: the commit replaces it whole. */
  readWhole = false;
  readonly result = emptyTransformResult();
  readonly pages: ReadAhead<LedgerEvent[], string | null>;
  private batches: ReadAhead<TableBatch, void> | null = null;

  /** `onReadDone` is called once the stream has read its last page, or failed. */
  constructor(
    readonly task: SliceTask,
    budget: ReadAheadBudget,
    onReadDone: () => void,
  ) {
    const slice: StreamSlice = {
      fiscalYear: task.year,
      cursor: task.cursor,
      documents: task.documents,
      onPage: (page) => {
        this.rows = page.rows;
        this.pagesRead++;
        this.estimatedTotal = page.estimatedTotal;
        this.onProgress?.();
      },
      readWhole: () => {
        this.readWhole = true;
      },
    };
    this.pages = new ReadAhead(task.stream.read(slice), budget, onReadDone);
  }

  /**
   * Starts turning the pages into Arrow batches, if not yet started: called early, while the
   * slice ahead is committed, so the main thread does not sit idle through that commit.
   */
  transform(context: FileTransformContext): AsyncIterable<TableBatch> {
    this.batches ??= new ReadAhead(transformFileLedger(this.events(), context, this.result), new ReadAheadBudget(BATCHES_AHEAD));
    const batches = this.batches;
    return {
      async *[Symbol.asyncIterator]() {
        for (let r = await batches.next(); !r.done; r = await batches.next()) yield r.value;
      },
    };
  }

  abandon(): void {
    this.batches?.abandon();
    this.pages.abandon();
  }

  private async *events(): AsyncGenerator<LedgerEvent> {
    const { header, stream } = this.task;
    yield { kind: 'header', header, location: { file: header.format } };
    for (;;) {
      const page = await this.pages.next();
      if (page.done) {
        this.nextCursor = page.value;
        return;
      }
      for (let i = 0; i < page.value.length; i++) {
        // Promises alone never let the event loop in: without a pause, a month of vouchers
        // would hold back the requests the rate window has already released.
        if (i > 0 && i % EVENTS_BETWEEN_PAUSES === 0) await new Promise((resolve) => setImmediate(resolve));
        const event: StreamEvent | LedgerEvent = page.value[i]!;
        // A second header would replace the organization the engine stated for the slice.
        if (event.kind === 'header') throw new StreamContractError(stream.name, `the ${header.format} ${stream.name} stream yielded a header; only the sync engine emits the organization header. Remove it from the stream.`);
        yield event;
      }
    }
  }
}

/**
 * One stream's slice, all or nothing. A failure is the outcome, not an exception. `onAppended`
 * is called once everything is appended, before the checks and the commit.
 */
async function readSlice(warehouse: Warehouse, runId: string, options: SyncOptions, open: OpenSlice, context: FileTransformContext, onAppended: () => void): Promise<StreamOutcome> {
  const { stream, year, header, cursor } = open.task;
  const provider = header.format;
  const label = `${provider} ${stream.name}${year ? ` ${year.label}` : ''}`;
  const progress = options.progress?.start(label);
  open.onProgress = () =>
    progress?.update(`${open.rows.toLocaleString('en')}${open.estimatedTotal ? ` of ~${open.estimatedTotal.toLocaleString('en')}` : ''} rows, ${open.pagesRead} page${open.pagesRead === 1 ? '' : 's'}`);
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const outcome = (status: 'succeeded' | 'failed', changes: StreamOutcome['changes'], note: string | null): StreamOutcome =>
    ({ stream: stream.name, slice: year?.label ?? 'organization', status, rows: open.rows, ms: ms(), changes, note });
  try {
    const committed = await loadSlice(warehouse, {
      orgId: options.orgId,
      runId,
      label,
      // The source's own fiscal years, not the warehouse's: the transform may have started
      // before the slice ahead of it was committed.
      batches: () => open.transform(context),
      onAppended,
      result: open.result,
      keepYears: options.keepYears ?? 3,
      years: () => (year ? [unifiedYear(year)] : []),
      replaces: () => ({
        vouchers: stream.replaces !== 'vouchers' ? 'none' : cursor === null || open.readWhole ? 'year' : 'read',
        balances: stream.replaces === 'balances' ? 'year' : 'none',
        documents: stream.replaces === 'documents' ? 'year' : 'none',
      }),
      syncState: async () => ({ stream: `${provider}:${stream.name}`, cursor: open.nextCursor }),
      clock: options.clock,
      acceptDeletions: options.acceptDeletions,
      signal: options.signal,
    });
    return outcome('succeeded', committed.changes, null);
  } catch (error) {
    // The whole run stops; the slice was rolled back.
    if (error instanceof RunInterruptedError) throw error;
    return outcome('failed', none(), describeFailure(error));
  } finally {
    open.abandon();
    onAppended();
    progress?.done();
  }
}

/**
 * Pulls `source` from the start, keeping pages ahead of the consumer while `budget` has
 * room; `next()` gives the same values, return value and error, in order. `onDone` is called
 * once the source has returned or failed, or was abandoned.
 */
export class ReadAhead<T, R> {
  private readonly buffer: IteratorResult<T, R>[] = [];
  private failure: { error: unknown } | null = null;
  private waiting: (() => void) | null = null;
  private abandoned = false;

  constructor(
    private readonly source: AsyncGenerator<T, R>,
    private readonly budget: ReadAheadBudget,
    onDone: () => void = () => undefined,
  ) {
    void this.pump().finally(onDone);
  }

  async next(): Promise<IteratorResult<T, R>> {
    while (this.buffer.length === 0 && !this.failure) await new Promise<void>((resolve) => (this.waiting = resolve));
    const result = this.buffer.shift();
    if (!result) throw this.failure!.error;
    if (!result.done) this.budget.gave();
    return result;
  }

  /** The consumer is done with this source: what it buffered goes back to the budget. */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    for (const result of this.buffer.splice(0)) if (!result.done) this.budget.gave();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        await this.budget.room();
        if (this.abandoned) break;
        const result = await this.source.next();
        if (this.abandoned) break;
        if (!result.done) this.budget.took();
        this.buffer.push(result);
        this.wake();
        if (result.done) return;
      }
      await this.source.return(undefined as R).catch(() => undefined);
    } catch (error) {
      this.failure = { error };
      this.wake();
    }
  }

  private wake(): void {
    this.waiting?.();
    this.waiting = null;
  }
}

/** Sets DuckDB to all cores but one; returns how to put the setting back. */
async function leaveOneCore(warehouse: Warehouse): Promise<() => Promise<void>> {
  const row = await warehouse.one<{ threads: string }>("SELECT current_setting('threads')::VARCHAR AS threads");
  const before = Number(row?.threads ?? 0);
  const during = Math.max(1, Math.min(before, availableParallelism() - 1));
  if (!before || during === before) return async () => undefined;
  await warehouse.run(`SET threads = ${during}`);
  return () => warehouse.run(`SET threads = ${before}`);
}

/** The current fiscal year and the ones before it, or the one year asked for. */
export function yearsToSync<Y extends FiscalYearRow>(all: Y[], options: Pick<SyncOptions, 'fiscalYear' | 'keepYears' | 'clock'>): Y[] {
  if (options.fiscalYear !== undefined) {
    const found = findFiscalYear(all, options.fiscalYear);
    if (!found.year) throw new UsageError(`The organization ${found.why}`);
    return [found.year];
  }
  const today = osloToday(options.clock);
  const started = all.filter((y) => y.start_date <= today);
  return (started.length ? started : all).slice(-(options.keepYears ?? 3));
}

/** Why a closed year's slice is not read this run, if it is not: it was read within the week. */
function skipReason(year: FiscalYearRow, lastRead: SyncState | undefined, options: SyncOptions): string | null {
  if (!year.is_closed || options.full || options.fiscalYear !== undefined || !lastRead) return null;
  // The same clock wrote `committedAt`: the age is measured on one calendar.
  const ageDays = ((options.clock ?? systemClock).now() - lastRead.committedAt) / 86_400_000;
  if (ageDays >= CLOSED_YEAR_MAX_AGE_DAYS) return null;
  return `closed year, read ${new Date(lastRead.committedAt).toISOString().slice(0, 10)}; re-read weekly, or now with --full or --fiscal-year ${year.label}`;
}

const none = () => ({ inserted: 0, updated: 0, deleted: 0 });

/** A source's fiscal year as the warehouse keeps it: without the provider's own id for it. */
function unifiedYear({ start_date, end_date, label, is_closed }: FiscalYearRow): FiscalYearRow {
  return { start_date, end_date, label, is_closed };
}
