-- What the marts are built against: the statement lines (fixed in statement-lines.ts) and
-- the mapping rules as read from load/mappings, kept in the warehouse so analysts can see
-- why an account sits where it does.
CREATE OR REPLACE TABLE mart_statement_line (
  statement VARCHAR NOT NULL,
  statement_line VARCHAR NOT NULL,
  side VARCHAR,
  section VARCHAR NOT NULL,
  sort_order INTEGER NOT NULL,
  label VARCHAR NOT NULL,
  in_operating_result BOOLEAN NOT NULL,
  in_net_result BOOLEAN NOT NULL,
  cash_flow_group VARCHAR NOT NULL,
  mappable BOOLEAN NOT NULL,
  PRIMARY KEY (statement, statement_line)
);
CREATE OR REPLACE TABLE mart_account_mapping_rule (
  country VARCHAR NOT NULL,
  rule_kind VARCHAR NOT NULL,
  grouping_category VARCHAR,
  from_code VARCHAR,
  to_code VARCHAR,
  span BIGINT NOT NULL,
  statement_line VARCHAR NOT NULL,
  account_type VARCHAR NOT NULL,
  kpi_group VARCHAR,
  description VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,
  source_line INTEGER NOT NULL
);
