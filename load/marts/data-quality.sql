-- Per organization and fiscal year: what the books say about themselves. opening_total and
-- movement_total are zero for sound books (every voucher balances, opening balances sum to
-- zero); when not, the balance sheet's balance_difference line shows the same amount.
CREATE OR REPLACE TABLE mart_data_quality_year AS
WITH accounts AS (
  SELECT org_id, fiscal_year_start,
         sum(opening) AS opening_total, sum(year_movement) AS movement_total, sum(line_count) AS line_count
  FROM tmp_mart_year_account GROUP BY ALL
), outside AS (
  SELECT org_id, fiscal_year_start, sum(lines_outside) AS lines_outside FROM tmp_mart_movement GROUP BY ALL
), result AS (
  SELECT p.org_id, p.fiscal_year_start, sum(p.ytd) AS net_result
  FROM mart_profit_and_loss p
  JOIN tmp_mart_month m ON m.org_id = p.org_id AND m.fiscal_year_start = p.fiscal_year_start AND m.month = p.month AND m.is_year_end
  JOIN mart_statement_line l ON l.statement = 'income_statement' AND l.statement_line = p.statement_line AND l.in_net_result
  GROUP BY ALL
), unbalanced AS (
  SELECT org_id, fiscal_year_start, count(*) AS vouchers FROM mart_data_quality_unbalanced_voucher GROUP BY ALL
)
SELECT y.org_id, y.fiscal_year_start, y.fiscal_year_end, y.has_opening AS has_opening_balances,
       coalesce(a.line_count, 0)::BIGINT AS line_count,
       coalesce(a.opening_total, 0)::DECIMAL(18,2) AS opening_total,
       coalesce(a.movement_total, 0)::DECIMAL(18,2) AS movement_total,
       coalesce(u.vouchers, 0)::BIGINT AS unbalanced_vouchers,
       coalesce(o.lines_outside, 0)::BIGINT AS lines_outside_fiscal_year,
       coalesce(r.net_result, 0)::DECIMAL(18,2) AS net_result
FROM tmp_mart_year y
LEFT JOIN accounts a ON a.org_id = y.org_id AND a.fiscal_year_start = y.fiscal_year_start
LEFT JOIN outside o ON o.org_id = y.org_id AND o.fiscal_year_start = y.fiscal_year_start
LEFT JOIN result r ON r.org_id = y.org_id AND r.fiscal_year_start = y.fiscal_year_start
LEFT JOIN unbalanced u ON u.org_id = y.org_id AND u.fiscal_year_start = y.fiscal_year_start
ORDER BY y.org_id, y.fiscal_year_start;

-- Accounts no mapping rule covers, with where they were put meanwhile and what they hold.
CREATE OR REPLACE TABLE mart_data_quality_unmapped_account AS
WITH activity AS (
  SELECT org_id, account_id, sum(line_count) AS line_count FROM tmp_mart_year_account GROUP BY ALL
), latest AS (
  SELECT tb.org_id, tb.account_id, tb.closing
  FROM mart_monthly_trial_balance tb
  QUALIFY row_number() OVER (PARTITION BY tb.org_id, tb.account_id ORDER BY tb.month DESC, tb.fiscal_year_start DESC) = 1
)
SELECT c.org_id, c.account_id, c.account_name, c.country, c.source_account_type, c.statement,
       coalesce(a.line_count, 0)::BIGINT AS line_count,
       l.closing AS latest_closing
FROM mart_account_classification c
LEFT JOIN activity a ON a.org_id = c.org_id AND a.account_id = c.account_id
LEFT JOIN latest l ON l.org_id = c.org_id AND l.account_id = c.account_id
WHERE c.statement_line = 'unmapped'
ORDER BY c.org_id, c.account_id;

-- import_issue counted per organization, severity and code, over all runs.
CREATE OR REPLACE TABLE mart_data_quality_import_issue AS
SELECT i.org_id, i.severity, i.code,
       count(*)::BIGINT AS issue_count,
       count(DISTINCT i.run_id)::BIGINT AS run_count,
       max(r.started_at) AS last_seen_at
FROM import_issue i
LEFT JOIN sync_run r ON r.run_id = i.run_id
GROUP BY ALL
ORDER BY ALL;

-- The source's own balances (SAF-T opening/closing balances, SIE #IB/#UB/#RES/#PSALDO,
-- provider balances) against the warehouse's: closing at the month of as_of, opening at
-- the year's start, period movements against the month's movement. Balances per
-- dimension are not tied out here, nor are comparison-year balances (prior_*: a file's figures for
-- the year before, which that year's own rows tie out). Sign: ledger (debit positive); difference = source −
-- warehouse.
CREATE OR REPLACE TABLE mart_data_quality_tie_out AS
WITH compared AS (
  SELECT b.org_id, b.fiscal_year_start, b.account_id, b.balance_type, b.as_of, b.source,
         b.amount AS source_amount,
         CASE b.balance_type
           WHEN 'opening' THEN ya.opening
           WHEN 'closing' THEN tb.closing
           WHEN 'period_movement' THEN tb.movement
         END AS warehouse_amount
  FROM account_balance b
  JOIN tmp_mart_year y ON y.org_id = b.org_id AND y.fiscal_year_start = b.fiscal_year_start
  LEFT JOIN tmp_mart_year_account ya
    ON ya.org_id = b.org_id AND ya.fiscal_year_start = b.fiscal_year_start AND ya.account_id = b.account_id
  LEFT JOIN mart_monthly_trial_balance tb
    ON tb.org_id = b.org_id AND tb.fiscal_year_start = b.fiscal_year_start AND tb.account_id = b.account_id
   AND tb.month = greatest(least(date_trunc('month', b.as_of)::DATE, y.last_month), y.first_month)
  WHERE b.dimension_type IS NULL AND b.balance_type IN ('opening', 'closing', 'period_movement')
)
SELECT org_id, fiscal_year_start, account_id, balance_type, as_of, source, source_amount,
       warehouse_amount::DECIMAL(18,2) AS warehouse_amount,
       (source_amount - warehouse_amount)::DECIMAL(18,2) AS difference
FROM compared
ORDER BY org_id, fiscal_year_start, account_id, balance_type, as_of;

-- One row per organization: its last run and the counts above, with a status to sort by:
-- error (the last run failed, or vouchers do not balance), warning (anything else to look
-- at), ok.
CREATE OR REPLACE TABLE mart_data_quality AS
WITH orgs AS (
  SELECT org_id FROM organization
  UNION SELECT org_id FROM sync_run
  UNION SELECT org_id FROM mart_account_classification
), last_run AS (
  SELECT * FROM sync_run QUALIFY row_number() OVER (PARTITION BY org_id ORDER BY started_at DESC, run_id DESC) = 1
), last_success AS (
  SELECT org_id, max(finished_at) AS finished_at FROM sync_run WHERE status = 'succeeded' GROUP BY ALL
), accounts AS (
  SELECT org_id, count(*) AS accounts, count(*) FILTER (WHERE statement_line = 'unmapped') AS unmapped
  FROM mart_account_classification GROUP BY ALL
), years AS (
  SELECT org_id, count(*) AS fiscal_years,
         sum(unbalanced_vouchers) AS unbalanced_vouchers,
         count(*) FILTER (WHERE opening_total <> 0 OR movement_total <> 0) AS unbalanced_years,
         sum(lines_outside_fiscal_year) AS lines_outside
  FROM mart_data_quality_year GROUP BY ALL
), issues AS (
  SELECT org_id,
         sum(issue_count) FILTER (WHERE severity = 'error') AS errors,
         sum(issue_count) FILTER (WHERE severity <> 'error') AS warnings
  FROM mart_data_quality_import_issue GROUP BY ALL
), tie_out AS (
  SELECT org_id, count(*) AS checked, count(*) FILTER (WHERE difference IS DISTINCT FROM 0) AS differences
  FROM mart_data_quality_tie_out GROUP BY ALL
), summary AS (
  SELECT o.org_id, org.name AS org_name, org.country,
         r.run_id AS last_run_id, r.source AS last_run_source, r.trigger AS last_run_trigger, r.status AS last_run_status,
         r.started_at AS last_run_started_at, r.finished_at AS last_run_finished_at, r.error AS last_run_error,
         s.finished_at AS last_succeeded_at,
         coalesce(y.fiscal_years, 0)::BIGINT AS fiscal_years,
         coalesce(a.accounts, 0)::BIGINT AS accounts,
         coalesce(a.unmapped, 0)::BIGINT AS unmapped_accounts,
         coalesce(y.unbalanced_vouchers, 0)::BIGINT AS unbalanced_vouchers,
         coalesce(y.unbalanced_years, 0)::BIGINT AS years_with_balance_difference,
         coalesce(y.lines_outside, 0)::BIGINT AS lines_outside_fiscal_year,
         coalesce(i.errors, 0)::BIGINT AS import_errors,
         coalesce(i.warnings, 0)::BIGINT AS import_warnings,
         coalesce(t.checked, 0)::BIGINT AS tie_out_balances,
         coalesce(t.differences, 0)::BIGINT AS tie_out_differences
  FROM orgs o
  LEFT JOIN organization org ON org.org_id = o.org_id
  LEFT JOIN last_run r ON r.org_id = o.org_id
  LEFT JOIN last_success s ON s.org_id = o.org_id
  LEFT JOIN accounts a ON a.org_id = o.org_id
  LEFT JOIN years y ON y.org_id = o.org_id
  LEFT JOIN issues i ON i.org_id = o.org_id
  LEFT JOIN tie_out t ON t.org_id = o.org_id
)
SELECT *,
       CASE
         WHEN last_run_status = 'failed' OR unbalanced_vouchers > 0 THEN 'error'
         WHEN last_run_status IS DISTINCT FROM 'succeeded' OR unmapped_accounts > 0 OR years_with_balance_difference > 0
           OR lines_outside_fiscal_year > 0 OR import_errors > 0 OR import_warnings > 0 OR tie_out_differences > 0 THEN 'warning'
         ELSE 'ok'
       END AS status
FROM summary
ORDER BY org_id;
