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
   * incremental one (a cursor was given); a year's documents are replaced as a whole.
   */
  replaces: 'masters' | 'vouchers' | 'balances' | 'documents';
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
  /** Where a documents stream puts the files it downloads; the engine gives one to every slice. */
  documents?: DocumentSink;
  /**
   * An incremental stream given a cursor that reads the whole slice after all (it was the
   * cheaper way) calls this before its first page: the commit then replaces the slice as a
   * full read does, so what went away at the source goes away here too.
   */
  readWhole?: () => void;
}

/**
 * The warehouse's document folder as a stream sees it: what it holds already (so nothing is
 * downloaded twice) and where a new file's bytes go. A stream yields a `document` event for
 * every document it lists, held or new: the committed slice lists them all.
 */
export interface DocumentSink {
  /** The document as the warehouse holds it, its file on disk; `undefined`: download it. */
  held(documentId: string): HeldDocument | undefined;
  /** Stores a file's bytes under their sha256 (a name from the source is never a path). */
  store(body: AsyncIterable<Uint8Array>): Promise<StoredDocument>;
}

/** A file in the document folder. */
export interface StoredDocument {
  sha256: string;
  byte_size: number;
  /** Relative to the warehouse file's folder. */
  stored_path: string;
  /** As its first bytes show it (PDF, PNG, JPEG …), or as the warehouse lists it; `null`: unknown. */
  content_type: string | null;
}

/** A document the warehouse lists. */
export type HeldDocument = StoredDocument;

export interface PageProgress {
  rows: number;
  estimatedTotal: number | null;
}
