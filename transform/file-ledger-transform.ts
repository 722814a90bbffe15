import type { RecordBatch } from 'apache-arrow';
import { BatchBuilder, type CellValue } from './batch-builder.ts';
import { jsonOf, voucherFingerprint } from './content-hash.ts';
import { accountTypeByNumber } from './account-type.ts';
import { addLine, controlTotalMismatches, emptyTotals, voucherBalance, type ControlTotals, type VoucherBalance } from './validations/index.ts';
import { addDays, FiscalCalendar, fitsDecimal18, formatMoney, unifiedTables, type UnifiedTable, VoucherIdSet, describeLocation } from '../model/index.ts';
import type { FileHeader, FiscalYearRow, ImportIssue, IsoDate, LedgerEvent, Money, SourceLocation } from '../model/index.ts';

export interface TableBatch {
  table: UnifiedTable;
  batch: RecordBatch;
}

export interface FileTransformContext {
  orgId: string;
  runId: string;
  /** Fiscal years the warehouse already has for this organization. */
  knownFiscalYears: FiscalYearRow[];
}

export interface FiscalYearStats {
  fiscal_year: FiscalYearRow;
  vouchers: number;
  lines: number;
  debit: Money;
  credit: Money;
}

/** What a file turned into, besides its batches: the facts the loader and the summary need. */
export interface FileTransformResult {
  header: FileHeader | null;
  issues: ImportIssue[];
  /** Fiscal years the file touches, with what it holds for each. */
  years: Map<IsoDate, FiscalYearStats>;
  /** False for files without vouchers (SIE 1–3, a SIE 4 file with no #VER): they must not replace a year's vouchers. */
  hasVouchers: boolean;
  /**
   * Every voucher whose lines do not sum to zero, by its warehouse id: the loader reports
   * them when the source's own checks did not (an API, events made in code).
   */
  unbalanced: { voucherId: string; balance: VoucherBalance }[];
}

/**
 * Maps a file reader's events onto the unified tables: assigns every voucher its fiscal
 * year and stable id, fills what the source leaves out (account types by national chart),
 * and checks what only the whole file can tell (control totals, amounts that fit the
 * warehouse). Yields Arrow batches as they fill; problems go to `result.issues`.
 */
export async function* transformFileLedger(
  events: AsyncIterable<LedgerEvent | readonly LedgerEvent[]>,
  context: FileTransformContext,
  result: FileTransformResult,
): AsyncGenerator<TableBatch> {
  const builders = new Map<UnifiedTable, BatchBuilder>();
  const builder = (table: UnifiedTable) => {
    let b = builders.get(table);
    if (!b) builders.set(table, (b = new BatchBuilder(unifiedTables[table])));
    return b;
  };
  const { orgId } = context;
  let calendar = new FiscalCalendar(context.knownFiscalYears);
  const journals = new Set<string>();
  const voucherIds = new VoucherIdSet('/');
  /** A SIE 4I feeder file, which may leave voucher numbers to the importing system. */
  let feeder = false;
  let headerLocation: SourceLocation | null = null;
  /** Voucher id → how many vouchers of the file have claimed it, once more than one has. */
  const repeats = new Map<string, number>();
  let declared: { totals: ControlTotals; location: SourceLocation } | null = null;
  const counted = emptyTotals();

  const problem = (severity: ImportIssue['severity'], code: string, message: string, location: SourceLocation) =>
    result.issues.push({ severity, code, message: `${describeLocation(location)}: ${message}`, location });
  const statsFor = (year: FiscalYearRow) => {
    let s = result.years.get(year.start_date);
    if (!s) result.years.set(year.start_date, (s = { fiscal_year: year, vouchers: 0, lines: 0, debit: 0n, credit: 0n }));
    return s;
  };

  // Not a generator: one generator object per row was the transform's biggest cost.
  const ready: TableBatch[] = [];
  const push = (table: UnifiedTable, values: CellValue[]) => {
    const b = builder(table);
    b.appendRow(values);
    if (b.full) ready.push({ table, batch: b.flush()! });
  };

  for await (const item of events) {
    // Readers may hand over events in batches (SAF-T does): one async step per batch.
    const list: readonly LedgerEvent[] = Array.isArray(item) ? (item as readonly LedgerEvent[]) : [item as LedgerEvent];
    for (const event of list) {
      switch (event.kind) {
        case 'header': {
          result.header = event.header;
          feeder = event.header.format_version === 'sie-4I';
          headerLocation = { file: event.location.file };
          // Years the file states win over what the warehouse assumed before.
          const stated = event.header.fiscal_years;
          const others = context.knownFiscalYears.filter((k) => !stated.some((s) => overlaps(s, k)));
          calendar = new FiscalCalendar([...stated, ...others]);
          if (stated[0]) statsFor(stated[0]);
          if (event.header.selection_start && event.header.selection_end) {
            // A selection that holds no vouchers still replaces those years: they are empty at the source.
            for (let d = event.header.selection_start; d <= event.header.selection_end; ) {
              const year = calendar.yearOf(d);
              statsFor(year);
              d = nextDay(year.end_date);
            }
          }
          break;
        }
        case 'account': {
          const r = event.row;
          const type = r.account_type ?? accountTypeByNumber(result.header?.organization.country ?? null, r.account_id);
          push('account', [orgId, r.account_id, r.name, type, r.standard_account_id, r.grouping_category, r.grouping_code, r.default_vat_code, r.is_active, r.extra]);
          break;
        }
        case 'journal':
          journals.add(event.row.journal_id);
          push('journal', [orgId, event.row.journal_id, event.row.name, event.row.journal_type, event.row.extra]);
          break;
        case 'dimension': {
          const r = event.row;
          push('dimension', [orgId, r.dimension_type, r.dimension_id, r.name, r.is_active]);
          break;
        }
        case 'party': {
          const r = event.row;
          push('party', [orgId, r.party_type, r.party_id, r.name, r.org_number, r.country, r.extra]);
          break;
        }
        case 'tax_code': {
          const r = event.row;
          const rate = r.rate === null ? null : parseRate(r.rate);
          if (r.rate !== null && rate === null) problem('warning', 'malformed_rate', `tax code ${r.tax_code} has the rate "${r.rate}", which is not a percentage; it is stored without a rate.`, event.location);
          push('tax_code', [orgId, r.tax_code, r.description, rate, r.standard_tax_code]);
          break;
        }
        case 'voucher': {
          const v = event.voucher;
          const year = calendar.yearOf(v.voucher_date);
          const fy = year.start_date;
          const voucherExtra = jsonOf(v.extra);
          const lineExtras = v.lines.map((l) => jsonOf(l.extra));
          const contentHash = voucherFingerprint(v, voucherExtra, lineExtras);
          const number = feeder && (v.voucher_number === '0' || v.extra?.synthetic_number === true) ? numberedByContent(contentHash) : v.voucher_number;
          let voucherId = voucherIdOf(fy, v.journal_id, number);
          if (!voucherIds.add(fy.slice(0, 4), v.journal_id, number)) {
            const seen = repeats.get(voucherId) ?? 1;
            repeats.set(voucherId, seen + 1);
            // Some programs reuse a number within a series (BL Administration writes every
            // asset-register voucher as "# 1"). Keep them all, apart by order of appearance.
            problem('warning', 'duplicate_voucher_number', `voucher ${v.journal_id} ${v.voucher_number} appears more than once in fiscal year ${year.label}; this one is stored as ${voucherId}~${seen + 1}.`, event.location);
            voucherId = `${voucherId}~${seen + 1}`;
          }
          if (!journals.has(v.journal_id)) {
            journals.add(v.journal_id);
            push('journal', [orgId, v.journal_id, v.journal_id, `${result.header?.format ?? 'file'}:series`, null]);
          }
          const stats = statsFor(year);
          stats.vouchers++;
          counted.entries++;
          push('voucher', [orgId, voucherId, v.journal_id, v.voucher_number, v.voucher_date, v.posting_date, fy, v.description, result.header?.format ?? 'file', v.source_modified_at, context.runId, contentHash, voucherExtra]);
          let lineNo = 0;
          for (const line of v.lines) {
            lineNo++;
            if (!fitsDecimal18(line.amount) || (line.currency_amount !== null && !fitsDecimal18(line.currency_amount))) {
              problem('error', 'amount_too_large', `line ${lineNo} of voucher ${v.journal_id} ${v.voucher_number} has an amount larger than DECIMAL(18,2) holds.`, event.location);
            }
            addLine(counted, line.amount);
            if (line.amount >= 0n) stats.debit += line.amount;
            else stats.credit -= line.amount;
            stats.lines++;
            let department: string | null = null;
            let project: string | null = null;
            let costCenter: string | null = null;
            for (const d of line.dimensions) {
              if (d.dimension_type === 'department') department ??= d.dimension_id;
              else if (d.dimension_type === 'project') project ??= d.dimension_id;
              else if (d.dimension_type === 'cost_center') costCenter ??= d.dimension_id;
              push('ledger_line_dimension', [orgId, voucherId, lineNo, d.dimension_type, d.dimension_id, context.runId]);
            }
            push('ledger_line', [
              orgId, voucherId, lineNo, line.account_id, line.amount, line.currency, line.currency_amount, line.vat_code,
              line.description, line.party_type, line.party_id, department, project, costCenter, fy, v.voucher_date, lineExtras[lineNo - 1], context.runId,
            ]);
          }
          const balance = voucherBalance(v.lines);
          if (balance.difference !== 0n) result.unbalanced.push({ voucherId, balance });
          break;
        }
        case 'balance': {
          const r = event.row;
          // A comparison year's figures belong to the file's year (its selection start).
          const prior = r.balance_type.startsWith('prior_') && result.header?.selection_start;
          const year = calendar.yearOf(prior ? result.header!.selection_start! : r.as_of);
          push('account_balance', [orgId, year.start_date, r.account_id, r.balance_type, r.as_of, r.dimension_type, r.dimension_id, r.amount, result.header?.format ?? 'file']);
          if (r.balance_type === 'opening' && r.as_of === year.start_date && r.dimension_type === null) {
            push('opening_balance', [orgId, year.start_date, r.account_id, r.amount]);
          }
          break;
        }
        case 'budget': {
          const r = event.row;
          const year = calendar.yearOf(r.month);
          push('budget', [orgId, year.start_date, r.account_id, r.month, r.dimension_type, r.dimension_id, r.amount]);
          break;
        }
        case 'document': {
          const r = event.row;
          const voucherId = r.voucher ? voucherIdOf(r.fiscal_year_start, r.voucher.journal_id, r.voucher.voucher_number) : null;
          push('document', [orgId, r.document_id, voucherId, r.file_name, r.content_type, r.byte_size, r.sha256, r.stored_path, r.fiscal_year_start]);
          break;
        }
        case 'control_totals':
          declared = { totals: { entries: event.number_of_entries, debit: event.total_debit, credit: event.total_credit }, location: event.location };
          break;
        case 'issue':
          result.issues.push(event.issue);
          break;
      }
    }
    if (ready.length > 0) {
      yield* ready;
      ready.length = 0;
    }
  }

  // Control totals vouch for an empty ledger; a SIE file without any #VER may be one cut
  // before its vouchers, so it must not replace the year's with none.
  result.hasVouchers = counted.entries > 0 || declared !== null;
  if (declared) {
    // A voucher dropped for another error also shows here; say so rather than stay silent.
    const echo = result.issues.some((i) => i.severity === 'error') ? ' (this may follow from the problems above)' : '';
    for (const message of controlTotalMismatches(declared.totals, counted, echo)) problem('error', 'control_total_mismatch', message, declared.location);
  }
  // Years the calendar had to assume become fiscal_year rows like stated ones.
  for (const year of [...result.header?.fiscal_years ?? [], ...calendar.derived()]) {
    if (result.years.has(year.start_date)) result.years.get(year.start_date)!.fiscal_year = year;
  }
  const stated = result.header?.fiscal_years ?? [];
  if (stated.length > 0) {
    // A mistyped date makes a year of its own, which may be the newest the history window keeps.
    for (const year of calendar.derived()) {
      const n = result.years.get(year.start_date)?.vouchers ?? 0;
      if (n > 0) {
        problem('warning', 'outside_stated_years', `${n} voucher${n === 1 ? ' is' : 's are'} dated in ${year.label}, outside the fiscal years the file states (${stated.map((y) => y.label).join(', ')}); ${n === 1 ? 'it is' : 'they are'} stored in a fiscal year ${year.label} of ${n === 1 ? 'its' : 'their'} own. Check the date${n === 1 ? '' : 's'}.`, headerLocation ?? { file: '' });
      }
    }
  }
  for (const [table, b] of builders) {
    const batch = b.flush();
    if (batch) yield { table, batch };
  }
}

/** A voucher's warehouse id: stable across runs, from its fiscal year, series and number. */
function voucherIdOf(fiscalYearStart: IsoDate, journalId: string, number: string): string {
  return `${fiscalYearStart.slice(0, 4)}/${journalId}/${number}`;
}

export function emptyTransformResult(): FileTransformResult {
  return { header: null, issues: [], years: new Map(), hasVouchers: false, unbalanced: [] };
}

function overlaps(a: FiscalYearRow, b: FiscalYearRow): boolean {
  return a.start_date <= b.end_date && b.start_date <= a.end_date;
}

function nextDay(iso: IsoDate): IsoDate {
  return addDays(iso, 1);
}

const RATE = /^\s*(\d{1,5})(?:\.(\d{1,4}))?\s*$/;

/** `25` → 250000n (DECIMAL(18,4) storage); null when it is not a plain percentage. */
function parseRate(text: string): bigint | null {
  const m = RATE.exec(text);
  if (!m) return null;
  return BigInt(m[1]! + (m[2] ?? '').padEnd(4, '0'));
}

/**
 * The number a voucher left unnumbered by a SIE 4I file gets here, the importing system
 * (SIE 4B, #VER): its content's, so the same voucher fed twice is one voucher and two
 * different ones never take each other's place.
 */
function numberedByContent(contentHash: string): string {
  return `4I-${contentHash.slice(0, 12).replace(/\+/g, '-').replace(/\//g, '_')}`;
}
