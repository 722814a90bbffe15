// The column layout of every unified table that batches are built for, in table order.
// The warehouse migrations create the same columns in the same order; a test holds the two
// together. Kinds name the Arrow representation and imply the DuckDB one:
//   utf8 → VARCHAR, json → VARCHAR holding JSON, int32 → INTEGER, int64 → BIGINT,
//   money → DECIMAL(18,2) as int64 minor units, date → DATE as int32 days since epoch,
//   timestamp → TIMESTAMP as int64 microseconds, bool → BOOLEAN, rate → DECIMAL(18,4) as int64.

export type ColumnKind = 'utf8' | 'json' | 'int32' | 'int64' | 'money' | 'date' | 'timestamp' | 'bool' | 'rate';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

function columns(spec: Record<string, ColumnKind>): ColumnSpec[] {
  return Object.entries(spec).map(([name, kind]) => ({ name, kind }));
}

export const unifiedTables = {
  organization: columns({
    org_id: 'utf8', name: 'utf8', country: 'utf8', org_number: 'utf8', base_currency: 'utf8',
    source: 'utf8', source_company_ref: 'utf8', created_at: 'timestamp', updated_at: 'timestamp', extra: 'json',
  }),
  fiscal_year: columns({ org_id: 'utf8', start_date: 'date', end_date: 'date', label: 'utf8', is_closed: 'bool' }),
  account: columns({
    org_id: 'utf8', account_id: 'utf8', name: 'utf8', account_type: 'utf8', standard_account_id: 'utf8',
    grouping_category: 'utf8', grouping_code: 'utf8', default_vat_code: 'utf8', is_active: 'bool', extra: 'json',
  }),
  journal: columns({ org_id: 'utf8', journal_id: 'utf8', name: 'utf8', journal_type: 'utf8', extra: 'json' }),
  dimension: columns({ org_id: 'utf8', dimension_type: 'utf8', dimension_id: 'utf8', name: 'utf8', is_active: 'bool' }),
  party: columns({
    org_id: 'utf8', party_type: 'utf8', party_id: 'utf8', name: 'utf8', org_number: 'utf8', country: 'utf8', extra: 'json',
  }),
  tax_code: columns({ org_id: 'utf8', tax_code: 'utf8', description: 'utf8', rate: 'rate', standard_tax_code: 'utf8' }),
  voucher: columns({
    org_id: 'utf8', voucher_id: 'utf8', journal_id: 'utf8', voucher_number: 'utf8', voucher_date: 'date',
    posting_date: 'date', fiscal_year_start: 'date', description: 'utf8', source: 'utf8',
    source_modified_at: 'timestamp', run_id: 'utf8', content_hash: 'utf8', extra: 'json',
  }),
  ledger_line: columns({
    org_id: 'utf8', voucher_id: 'utf8', line_no: 'int32', account_id: 'utf8', amount: 'money', currency: 'utf8',
    currency_amount: 'money', vat_code: 'utf8', description: 'utf8', party_type: 'utf8', party_id: 'utf8',
    department_id: 'utf8', project_id: 'utf8', cost_center_id: 'utf8', fiscal_year_start: 'date',
    voucher_date: 'date', extra: 'json', run_id: 'utf8',
  }),
  ledger_line_dimension: columns({
    org_id: 'utf8', voucher_id: 'utf8', line_no: 'int32', dimension_type: 'utf8', dimension_id: 'utf8', run_id: 'utf8',
  }),
  opening_balance: columns({ org_id: 'utf8', fiscal_year_start: 'date', account_id: 'utf8', amount: 'money' }),
  account_balance: columns({
    org_id: 'utf8', fiscal_year_start: 'date', account_id: 'utf8', balance_type: 'utf8', as_of: 'date',
    dimension_type: 'utf8', dimension_id: 'utf8', amount: 'money', source: 'utf8',
  }),
  budget: columns({
    org_id: 'utf8', fiscal_year_start: 'date', account_id: 'utf8', month: 'date', dimension_type: 'utf8',
    dimension_id: 'utf8', amount: 'money',
  }),
  // fiscal_year_start last: migration 5 added it to the table the first one made.
  document: columns({
    org_id: 'utf8', document_id: 'utf8', voucher_id: 'utf8', file_name: 'utf8', content_type: 'utf8', byte_size: 'int64',
    sha256: 'utf8', stored_path: 'utf8', fiscal_year_start: 'date',
  }),
  import_issue: columns({
    run_id: 'utf8', org_id: 'utf8', severity: 'utf8', code: 'utf8', message: 'utf8', file: 'utf8', line: 'int32',
    path: 'utf8',
  }),
} as const satisfies Record<string, ColumnSpec[]>;

export type UnifiedTable = keyof typeof unifiedTables;
