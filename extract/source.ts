import type { FiscalYearRow, LedgerEvent, OrganizationInfo, Provider } from '../model/index.ts';

/**
 * A provider connection as the sync engine sees it: who it reaches, the fiscal years it
 * knows, and named streams. Everything provider-specific (auth, paging, field names) stays
 * behind this interface.
 */
export interface Source {
  provider: Provider;
  /** The company the credentials reach; fails early, with what to do, when they do not. */
  organization(): Promise<OrganizationInfo>;
  /** Every fiscal year the provider knows, oldest first, with whether it is closed. */
  fiscalYears(): Promise<SourceFiscalYear[]>;
  streams: readonly SourceStream[];
  close(): Promise<void>;
}

/**
 * A fiscal year as a provider knows it: the unified row, plus the provider's own id for it
 * (Tripletex's annualAccount id, Fiken's year, Fortnox's financial-year id, Fennoa's period
 * id), which its streams may need to ask for the year. The id stays in the extract: the
 * warehouse's `fiscal_year` gets the unified row only.
 */
export interface SourceFiscalYear extends FiscalYearRow {
  source_year_ref: string;
}

/**
 * What a stream yields: ledger events, but never a header. The organization header of an API
 * sync is the engine's to emit, once per slice, from `Source.organization()`.
 */
export type StreamEvent = Exclude<LedgerEvent, { kind: 'header' }>;

/** A stream broke this contract (yielded a header): a connector's bug, named with its stream. */
export class StreamContractError extends Error {
  override readonly name = 'StreamContractError';
  constructor(readonly stream: string, message: string) {
    super(message);
  }
}

/**
 * One named stream (`accounts`, `vouchers`, …). `read` yields pages of ledger events for one
 * slice; an incremental stream returns its new cursor when it is done.
 */
export interface SourceStream {
  name: string;
  /** `organization`: one slice for the whole company; `fiscal_year`: one slice per year. */
  scope: 'organization' | 'fiscal_year';
  /**
   * What a committed slice replaces: master rows are upserted; a year's balances are replaced;
   * a year's vouchers are replaced as a whole after a full read, and only those read after an
   * incremental one (a cursor was given).
   */
  replaces: 'masters' | 'vouchers' | 'balances';
  incremental: boolean;
  read(slice: StreamSlice): AsyncGenerator<StreamEvent[], string | null>;
}

export interface StreamSlice {
  /** The year being read, for `fiscal_year` streams, with the provider's own id for it. */
  fiscalYear: SourceFiscalYear | null;
  /** The cursor the last successful read returned; `null` reads everything. */
  cursor: string | null;
  /** Called after every page, with the total the provider estimates when it gives one. */
  onPage?: (page: PageProgress) => void;
  /**
   * An incremental stream given a cursor that reads the whole slice after all (it was the
   * cheaper way) calls this before its first page: the commit then replaces the slice as a
   * full read does, so what went away at the source goes away here too.
   */
  readWhole?: () => void;
}

export interface PageProgress {
  rows: number;
  estimatedTotal: number | null;
}
