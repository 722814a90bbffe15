-- Fiscal years of every organization: the fiscal_year rows, and any year that ledger lines
-- or opening balances refer to without one (taken to be twelve months).
CREATE OR REPLACE TEMP TABLE tmp_mart_year AS
WITH stated AS (
  SELECT org_id, start_date AS fiscal_year_start, end_date AS fiscal_year_end FROM fiscal_year
), referred AS (
  SELECT DISTINCT org_id, fiscal_year_start FROM tmp_mart_line_day
  UNION
  SELECT DISTINCT org_id, fiscal_year_start FROM opening_balance
), years AS (
  SELECT org_id, fiscal_year_start, fiscal_year_end FROM stated
  UNION ALL
  SELECT r.org_id, r.fiscal_year_start, (r.fiscal_year_start + INTERVAL 1 YEAR - INTERVAL 1 DAY)::DATE
  FROM referred r ANTI JOIN stated s ON s.org_id = r.org_id AND s.fiscal_year_start = r.fiscal_year_start
)
SELECT y.org_id, y.fiscal_year_start, y.fiscal_year_end,
       date_trunc('month', y.fiscal_year_start)::DATE AS first_month,
       date_trunc('month', y.fiscal_year_end)::DATE AS last_month,
       EXISTS (SELECT 1 FROM opening_balance o WHERE o.org_id = y.org_id AND o.fiscal_year_start = y.fiscal_year_start) AS has_opening,
       row_number() OVER (PARTITION BY y.org_id ORDER BY y.fiscal_year_start) AS year_seq
FROM years y;

-- Every month of every fiscal year; month_no counts months across years (for "last year"
-- and rolling windows whatever month the fiscal year starts in).
CREATE OR REPLACE TEMP TABLE tmp_mart_month AS
SELECT org_id, fiscal_year_start, fiscal_year_end, month,
       least(last_day(month), fiscal_year_end) AS month_end,
       (year(month) * 12 + month(month) - 1)::INTEGER AS month_no,
       month = last_month AS is_year_end
FROM (
  SELECT org_id, fiscal_year_start, fiscal_year_end, last_month,
         unnest(generate_series(first_month::TIMESTAMP, last_month::TIMESTAMP, INTERVAL 1 MONTH))::DATE AS month
  FROM tmp_mart_year
);
