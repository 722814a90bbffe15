-- Days whose lines do not balance, or whose voucher checksum (line-aggregate.sql) says a
-- voucher on that day does not: the only places an unbalanced voucher can be. Sound
-- books have none, and then ledger_line is not read again.
CREATE OR REPLACE TEMP TABLE tmp_mart_suspect_day AS
SELECT org_id, fiscal_year_start, voucher_date
FROM tmp_mart_line_day
GROUP BY ALL
HAVING sum(amount) <> 0 OR sum(voucher_checksum) % 2147483647 <> 0;

CREATE OR REPLACE TABLE mart_data_quality_unbalanced_voucher (
  org_id VARCHAR NOT NULL,
  fiscal_year_start DATE NOT NULL,
  voucher_id VARCHAR NOT NULL,
  voucher_date DATE NOT NULL,
  line_count BIGINT NOT NULL,
  difference DECIMAL(18,2) NOT NULL
);
