// Versioned schema changes, applied in order and never edited once released: a warehouse
// made by an older ledgerhouse is upgraded in place by running the ones it lacks.
//
// The big fact tables (voucher, ledger_line, ledger_line_dimension, change_log) carry no
// PRIMARY KEY on purpose: DuckDB's index would slow every append and delete, and the loader
// guarantees their keys instead (documented per table below and checked in the tests).

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'unified schema',
    sql: `
CREATE TABLE organization (
  org_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  country VARCHAR,
  org_number VARCHAR,
  base_currency VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  source_company_ref VARCHAR,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE TABLE fiscal_year (
  org_id VARCHAR NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  label VARCHAR NOT NULL,
  is_closed BOOLEAN NOT NULL,
  PRIMARY KEY (org_id, start_date)
);
CREATE TABLE account (
  org_id VARCHAR NOT NULL,
  account_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  account_type VARCHAR,
  standard_account_id VARCHAR,
  grouping_category VARCHAR,
  grouping_code VARCHAR,
  default_vat_code VARCHAR,
  is_active BOOLEAN NOT NULL,
  extra VARCHAR,
  PRIMARY KEY (org_id, account_id)
);
CREATE TABLE journal (
  org_id VARCHAR NOT NULL,
  journal_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  journal_type VARCHAR NOT NULL,
  PRIMARY KEY (org_id, journal_id)
);
CREATE TABLE dimension (
  org_id VARCHAR NOT NULL,
  dimension_type VARCHAR NOT NULL,
  dimension_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  is_active BOOLEAN NOT NULL,
  PRIMARY KEY (org_id, dimension_type, dimension_id)
);
CREATE TABLE party (
  org_id VARCHAR NOT NULL,
  party_type VARCHAR NOT NULL,
  party_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  org_number VARCHAR,
  country VARCHAR,
  extra VARCHAR,
  PRIMARY KEY (org_id, party_type, party_id)
);
CREATE TABLE tax_code (
  org_id VARCHAR NOT NULL,
  tax_code VARCHAR NOT NULL,
  description VARCHAR,
  rate DECIMAL(9,4),
  standard_tax_code VARCHAR,
  PRIMARY KEY (org_id, tax_code)
);
-- key: (org_id, voucher_id)
CREATE TABLE voucher (
  org_id VARCHAR NOT NULL,
  voucher_id VARCHAR NOT NULL,
  journal_id VARCHAR NOT NULL,
  voucher_number VARCHAR NOT NULL,
  voucher_date DATE NOT NULL,
  posting_date DATE,
  fiscal_year_start DATE NOT NULL,
  description VARCHAR,
  source VARCHAR NOT NULL,
  source_modified_at TIMESTAMP,
  run_id VARCHAR NOT NULL,
  content_hash VARCHAR NOT NULL,
  extra VARCHAR
);
-- key: (org_id, voucher_id, line_no)
CREATE TABLE ledger_line (
  org_id VARCHAR NOT NULL,
  voucher_id VARCHAR NOT NULL,
  line_no INTEGER NOT NULL,
  account_id VARCHAR NOT NULL,
  amount DECIMAL(18,2) NOT NULL,
  currency VARCHAR,
  currency_amount DECIMAL(18,2),
  vat_code VARCHAR,
  description VARCHAR,
  party_type VARCHAR,
  party_id VARCHAR,
  department_id VARCHAR,
  project_id VARCHAR,
  cost_center_id VARCHAR,
  fiscal_year_start DATE NOT NULL,
  voucher_date DATE NOT NULL,
  extra VARCHAR
);
-- key: (org_id, voucher_id, line_no, dimension_type)
CREATE TABLE ledger_line_dimension (
  org_id VARCHAR NOT NULL,
  voucher_id VARCHAR NOT NULL,
  line_no INTEGER NOT NULL,
  dimension_type VARCHAR NOT NULL,
  dimension_id VARCHAR NOT NULL
);
CREATE TABLE opening_balance (
  org_id VARCHAR NOT NULL,
  fiscal_year_start DATE NOT NULL,
  account_id VARCHAR NOT NULL,
  amount DECIMAL(18,2) NOT NULL,
  PRIMARY KEY (org_id, fiscal_year_start, account_id)
);
-- Balances as the source states them (SAF-T account balances, SIE #IB/#UB/#RES/#PSALDO),
-- kept to tie the warehouse out against the source.
CREATE TABLE account_balance (
  org_id VARCHAR NOT NULL,
  fiscal_year_start DATE NOT NULL,
  account_id VARCHAR NOT NULL,
  balance_type VARCHAR NOT NULL,
  as_of DATE NOT NULL,
  dimension_type VARCHAR,
  dimension_id VARCHAR,
  amount DECIMAL(18,2) NOT NULL,
  source VARCHAR NOT NULL
);
CREATE TABLE budget (
  org_id VARCHAR NOT NULL,
  fiscal_year_start DATE NOT NULL,
  account_id VARCHAR NOT NULL,
  month DATE NOT NULL,
  dimension_type VARCHAR,
  dimension_id VARCHAR,
  amount DECIMAL(18,2) NOT NULL
);
CREATE TABLE document (
  org_id VARCHAR NOT NULL,
  document_id VARCHAR NOT NULL,
  voucher_id VARCHAR,
  file_name VARCHAR,
  content_type VARCHAR,
  byte_size BIGINT,
  sha256 VARCHAR,
  stored_path VARCHAR,
  PRIMARY KEY (org_id, document_id)
);
CREATE TABLE sync_run (
  run_id VARCHAR PRIMARY KEY,
  org_id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  trigger VARCHAR NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  status VARCHAR NOT NULL,
  source_file VARCHAR,
  source_sha256 VARCHAR,
  stats VARCHAR,
  error VARCHAR
);
CREATE TABLE sync_state (
  org_id VARCHAR NOT NULL,
  stream VARCHAR NOT NULL,
  slice VARCHAR NOT NULL,
  cursor VARCHAR,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (org_id, stream, slice)
);
-- key: (run_id, org_id, voucher_id)
CREATE TABLE change_log (
  run_id VARCHAR NOT NULL,
  org_id VARCHAR NOT NULL,
  voucher_id VARCHAR NOT NULL,
  fiscal_year_start DATE NOT NULL,
  change VARCHAR NOT NULL
);
-- Every warning of a run, and every failed check of a --force import, for analysts to see.
CREATE TABLE import_issue (
  run_id VARCHAR NOT NULL,
  org_id VARCHAR NOT NULL,
  severity VARCHAR NOT NULL,
  code VARCHAR NOT NULL,
  message VARCHAR NOT NULL,
  file VARCHAR,
  line INTEGER,
  path VARCHAR
);
`,
  },
  {
    version: 2,
    description: 'run_id on ledger lines',
    // Lines are appended straight into the warehouse inside the import's transaction; the run
    // that wrote a line is what tells a new version of a voucher's lines from the old one.
    sql: `
ALTER TABLE ledger_line ADD COLUMN run_id VARCHAR;
ALTER TABLE ledger_line_dimension ADD COLUMN run_id VARCHAR;
UPDATE ledger_line SET run_id = v.run_id FROM voucher v
  WHERE v.org_id = ledger_line.org_id AND v.voucher_id = ledger_line.voucher_id;
UPDATE ledger_line_dimension SET run_id = v.run_id FROM voucher v
  WHERE v.org_id = ledger_line_dimension.org_id AND v.voucher_id = ledger_line_dimension.voucher_id;
`,
  },
  {
    version: 3,
    description: 'extra on organization and journal',
    // A file's header and journals may carry elements the schema has no column for; they
    // are kept as JSON like every other record's.
    sql: `
ALTER TABLE organization ADD COLUMN extra VARCHAR;
ALTER TABLE journal ADD COLUMN extra VARCHAR;
`,
  },
  {
    version: 4,
    description: 'tax_code.rate as DECIMAL(18,4)',
    // The loader writes rates as 8-byte decimals; DECIMAL(9,4) is stored in 4 bytes, so every
    // rate loaded into it was misplaced. Those cannot be told from right ones: they are
    // emptied, and the next import or sync of each organization writes them again.
    sql: `
ALTER TABLE tax_code ALTER COLUMN rate SET DATA TYPE DECIMAL(18,4);
UPDATE tax_code SET rate = NULL;
`,
  },
  {
    version: 5,
    description: 'fiscal_year_start on document',
    // A document is kept with its voucher's fiscal year: a documents slice replaces the
    // year's, and a year leaving the history window takes its documents with it.
    sql: `
ALTER TABLE document ADD COLUMN fiscal_year_start DATE;
`,
  },
];

export const latestSchemaVersion = migrations.at(-1)!.version;
