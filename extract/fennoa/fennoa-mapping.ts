// Fennoa rows → the ledger model. The row fields are the notes' (§2.3–2.5): the write API's
// names, confirmed for dimensions, inferred for the rest. Money comes as separate positive
// `debit` and `credit` (at most two decimals); the model's amount is debit − credit.
import { fiscalYearLabel, isIsoDate as isIsoText, moneyFromJsonNumber, parseMoney, type AccountRow, type DimensionRow, type JournalRow, type LedgerLine, type LineDimension, type Money, type TaxCodeRow, type Voucher } from '../../model/index.ts';
import type { SourceFiscalYear } from '../source.ts';
import { describe, FennoaShapeError, type FennoaRow, type ReadRow, type RowShape } from './fennoa-fields.ts';

export const shapes = {
  periods: { endpoint: 'accounting_api/get/periods', required: ['id', 'start_date', 'end_date'], expected: ['is_closed'], noExtra: true },
  accounts: { endpoint: 'accounting_api/get/accounts', required: ['code'], expected: ['name_fi', 'is_active'], optional: ['name_en', 'name_sv'] },
  vatcodes: { endpoint: 'accounting_api/get/vatcodes', required: ['id'], expected: ['name_fi', 'percentage'], optional: ['code', 'name_en', 'name_sv'], noExtra: true },
  dimensionTypes: { endpoint: 'dimension_api/get/types', required: ['id'], expected: ['name_fi'], optional: ['name_en', 'name_sv'], noExtra: true },
  dimensions: {
    endpoint: 'dimension_api',
    required: ['code', 'dimension_type_id'],
    expected: ['id', 'name_fi', 'is_active'],
    optional: ['name_en', 'name_sv', 'description', 'active_after'],
    noExtra: true,
  },
  openingBalances: { endpoint: 'accounting_api/get/opening_balances', required: ['account', 'balance'], expected: [], noExtra: true },
  ledger: {
    endpoint: 'accounting_api/get/ledger',
    required: ['statement_series_code', 'statement_no', 'entry_date', 'account', 'debit', 'credit'],
    expected: ['statement_id', 'description', 'vatcode'],
    optional: ['statement_description'],
    pattern: /^dim_\d+$/,
  },
} as const satisfies Record<string, RowShape>;

/**
 * Fennoa's statement series (its document types), code → internal id, as a client lists them
 * (notes §2.2). No endpoint lists a company's series; others the ledger names become journals
 * of their own code.
 */
export const STATEMENT_SERIES: readonly { code: string; id: number; name: string }[] = [
  { code: 'GL', id: 1, name: 'Muistiotositteet (general journal)' },
  { code: 'IN', id: 2, name: 'Myyntilaskut (sales invoices)' },
  { code: 'PU', id: 3, name: 'Ostolaskut (purchase invoices)' },
  { code: 'PJ', id: 5, name: 'Pankki (bank)' },
  { code: 'CA', id: 16, name: 'Kassa (cash)' },
  { code: 'TI', id: 40, name: 'Automaattiset viennit (automated postings)' },
];

export function journalRow(s: { code: string; id: number; name: string }): JournalRow {
  return { journal_id: s.code, name: s.name, journal_type: 'fennoa:statement_series', extra: { fennoa_series_id: s.id } };
}

const isIsoDate = (v: unknown): v is string => typeof v === 'string' && isIsoText(v);
const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
/** Fennoa's flags are 0/1 (notes §2.3); booleans and "1"/"0" are read the same. */
const flag = (v: unknown, otherwise: boolean): boolean => (v === undefined || v === null ? otherwise : v === true || v === 1 || v === '1' || v === 'true');

export function fiscalYears(rows: ReadRow[], where: string): SourceFiscalYear[] {
  return rows
    .map(({ row }) => {
      const start = row.start_date;
      const end = row.end_date;
      if (!isIsoDate(start) || !isIsoDate(end)) {
        throw new FennoaShapeError(`Fennoa's answer to ${where} cannot be read: period ${String(row.id)} runs from ${describe(start)} to ${describe(end)}, not YYYY-MM-DD dates.`);
      }
      return { start_date: start, end_date: end, label: fiscalYearLabel(start, end), is_closed: flag(row.is_closed, false), source_year_ref: String(row.id) };
    })
    .sort((a, b) => a.start_date.localeCompare(b.start_date));
}

export function accountRow({ row, extra }: ReadRow): AccountRow {
  const code = String(row.code);
  const names = { name_en: text(row.name_en), name_sv: text(row.name_sv) };
  return {
    account_id: code,
    name: text(row.name_fi) ?? names.name_en ?? names.name_sv ?? code,
    // The Finnish chart decides by number (transform/account-type.ts); Fennoa states no type.
    account_type: null,
    standard_account_id: null,
    grouping_category: null,
    grouping_code: null,
    default_vat_code: null,
    is_active: flag(row.is_active, true),
    extra: { ...(names.name_en || names.name_sv ? names : {}), ...extra },
  };
}

export function taxCodeRow({ row }: ReadRow): TaxCodeRow {
  const rate = row.percentage;
  return {
    tax_code: String(row.id),
    description: text(row.name_fi) ?? text(row.name_en),
    rate: typeof rate === 'number' || typeof rate === 'string' ? String(rate) : null,
    standard_tax_code: text(row.code),
  };
}

/** Dimension type id → the unified dimension_type: by its English (or Finnish) name where that says which, else `fennoa:<id>`. */
export function dimensionTypeNames(rows: ReadRow[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const { row } of rows) {
    const name = `${text(row.name_en) ?? ''} ${text(row.name_fi) ?? ''}`.toLowerCase();
    const id = String(row.id);
    const type = /project|projekti/.test(name) ? 'project' : /department|osasto/.test(name) ? 'department' : /cost cent|kustannuspaikka/.test(name) ? 'cost_center' : `fennoa:${id}`;
    // Two types of one kind: the second keeps its own name, so neither loses its values.
    names.set(id, [...names.values()].includes(type) ? `fennoa:${id}` : type);
  }
  return names;
}

export function dimensionRow({ row }: ReadRow, types: Map<string, string>): DimensionRow {
  const typeId = String(row.dimension_type_id);
  const code = String(row.code);
  return { dimension_type: types.get(typeId) ?? `fennoa:${typeId}`, dimension_id: code, name: text(row.name_fi) ?? text(row.name_en) ?? code, is_active: flag(row.is_active, true) };
}

/** A money field: a JSON number or a decimal text with at most two decimals; null is none. */
export function money(value: unknown, where: string, field: string): Money | null {
  if (value === null || value === '') return null;
  const minor = typeof value === 'string' ? parseMoney(value) : moneyFromJsonNumber(value);
  if (minor === null) throw new FennoaShapeError(`Fennoa's answer to ${where} cannot be read: "${field}" is ${describe(value)}, not an amount with at most two decimals.`);
  return minor;
}

/**
 * Ledger rows grouped into statements. A ledger report need not list a statement's rows
 * together (a general ledger is often ordered by account), so rows are grouped by statement
 * over the whole window, in the order they came within each, and statements are given in date
 * and number order.
 */
export function statements(rows: readonly ReadRow[], dimensionTypes: Map<string, string>, where: string): { voucher: Voucher; id: string }[] {
  const byKey = new Map<string, { voucher: Voucher; id: string }>();
  for (const { row, extra } of rows) {
    const series = String(row.statement_series_code);
    const number = String(row.statement_no);
    const date = row.entry_date;
    if (!isIsoDate(date)) throw new FennoaShapeError(`Fennoa's answer to ${where} cannot be read: "entry_date" of statement ${series} ${number} is ${describe(date)}, not a YYYY-MM-DD date.`);
    const key = row.statement_id === undefined || row.statement_id === null ? `${series} ${number} ${date}` : `id ${String(row.statement_id)}`;
    let s = byKey.get(key);
    if (!s) {
      const voucher: Voucher = {
        journal_id: series,
        voucher_number: number,
        voucher_date: date,
        posting_date: null,
        description: text(row.statement_description),
        source_modified_at: null,
        extra: row.statement_id === undefined || row.statement_id === null ? null : { fennoa_statement_id: row.statement_id },
        lines: [],
      };
      byKey.set(key, (s = { voucher, id: key }));
    }
    s.voucher.lines.push(line(row, extra, dimensionTypes, `${where}, statement ${series} ${number}`));
  }
  return [...byKey.values()].sort(
    (a, b) => byText(a.voucher.voucher_date, b.voucher.voucher_date) || byText(a.voucher.journal_id, b.voucher.journal_id) || byNumber(a.voucher.voucher_number, b.voucher.voucher_number),
  );
}

// One collator for every comparison: `localeCompare` with options builds one per call, which
// cost more than the rest of the mapping on a year's statements.
const byNumber = new Intl.Collator('en', { numeric: true }).compare;
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function line(row: FennoaRow, extra: Record<string, unknown> | null, dimensionTypes: Map<string, string>, where: string): LedgerLine {
  const debit = money(row.debit, where, 'debit') ?? 0n;
  const credit = money(row.credit, where, 'credit') ?? 0n;
  const dimensions: LineDimension[] = [];
  for (const key in row) {
    if (!key.startsWith('dim_')) continue;
    const code = text(row[key]);
    const typeId = key.slice(4);
    if (code !== null) dimensions.push({ dimension_type: dimensionTypes.get(typeId) ?? `fennoa:${typeId}`, dimension_id: code });
  }
  return {
    account_id: String(row.account),
    amount: debit - credit,
    currency: null,
    currency_amount: null,
    vat_code: text(row.vatcode),
    description: text(row.description),
    party_type: null,
    party_id: null,
    dimensions,
    extra,
  };
}
