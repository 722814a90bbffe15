-- Movements per account and month. A line dated outside its fiscal year (the source's
-- doing) is counted in the year's first or last month rather than lost; the data-quality
-- mart counts such lines.
CREATE OR REPLACE TEMP TABLE tmp_mart_movement AS
SELECT org_id, fiscal_year_start, account_id, month,
       sum(amount) AS amount, sum(line_count) AS line_count, sum(lines_outside) AS lines_outside
FROM (
  SELECT d.org_id, d.fiscal_year_start, d.account_id,
         greatest(least(date_trunc('month', d.voucher_date)::DATE, y.last_month), y.first_month) AS month,
         d.amount, d.line_count,
         CASE WHEN d.voucher_date NOT BETWEEN y.fiscal_year_start AND y.fiscal_year_end THEN d.line_count ELSE 0 END AS lines_outside
  FROM tmp_mart_line_day d
  JOIN tmp_mart_year y ON y.org_id = d.org_id AND y.fiscal_year_start = d.fiscal_year_start
)
GROUP BY ALL;

-- Opening balance per account and year. A year with opening balances (SAF-T, SIE #IB,
-- provider balances) opens with them, an account absent from them at zero. A year without
-- any opens each balance-sheet account at the previous year's closing, carried as far as
-- needed; income-statement accounts always open at their stated opening (zero when none).
CREATE OR REPLACE TEMP TABLE tmp_mart_year_account AS
WITH year_movement AS (
  SELECT org_id, fiscal_year_start, account_id, sum(amount) AS amount, sum(line_count) AS line_count
  FROM tmp_mart_movement GROUP BY ALL
), base AS (
  SELECT y.org_id, y.fiscal_year_start, y.year_seq, c.account_id,
         (y.has_opening OR y.year_seq = 1 OR c.statement = 'income_statement') AS is_anchor,
         coalesce(o.amount, 0) AS stated_opening,
         coalesce(m.amount, 0) AS year_movement,
         coalesce(m.line_count, 0) AS line_count
  FROM tmp_mart_year y
  JOIN mart_account_classification c ON c.org_id = y.org_id
  LEFT JOIN opening_balance o
    ON o.org_id = y.org_id AND o.fiscal_year_start = y.fiscal_year_start AND o.account_id = c.account_id
  LEFT JOIN year_movement m
    ON m.org_id = y.org_id AND m.fiscal_year_start = y.fiscal_year_start AND m.account_id = c.account_id
), grouped AS (
  SELECT *, sum(is_anchor::INTEGER) OVER (PARTITION BY org_id, account_id ORDER BY year_seq) AS anchor_group
  FROM base
)
SELECT org_id, fiscal_year_start, account_id, year_movement, line_count,
       first_value(stated_opening) OVER (PARTITION BY org_id, account_id, anchor_group ORDER BY year_seq)
         + coalesce(sum(year_movement) OVER (PARTITION BY org_id, account_id, anchor_group ORDER BY year_seq
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS opening
FROM grouped;

-- Every account in every month of every fiscal year, months without postings included.
-- Ledger sign: debit positive, credit negative.
CREATE OR REPLACE TABLE mart_monthly_trial_balance AS
SELECT m.org_id, m.fiscal_year_start, m.month, ya.account_id,
       (ya.opening + coalesce(sum(mv.amount) OVER before_month, 0))::DECIMAL(18,2) AS opening,
       coalesce(mv.amount, 0)::DECIMAL(18,2) AS movement,
       (ya.opening + coalesce(sum(mv.amount) OVER through_month, 0))::DECIMAL(18,2) AS closing
FROM tmp_mart_month m
JOIN tmp_mart_year_account ya ON ya.org_id = m.org_id AND ya.fiscal_year_start = m.fiscal_year_start
LEFT JOIN tmp_mart_movement mv
  ON mv.org_id = m.org_id AND mv.fiscal_year_start = m.fiscal_year_start AND mv.account_id = ya.account_id AND mv.month = m.month
WINDOW through_month AS (PARTITION BY m.org_id, m.fiscal_year_start, ya.account_id ORDER BY m.month),
       before_month AS (PARTITION BY m.org_id, m.fiscal_year_start, ya.account_id ORDER BY m.month
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
ORDER BY m.org_id, ya.account_id, m.month;

-- The trial balance summed per statement line and KPI group: what the statements, the cash
-- flow and the KPIs are made of (a few rows per month, not one per account).
CREATE OR REPLACE TEMP TABLE tmp_mart_group_month AS
SELECT tb.org_id, tb.fiscal_year_start, tb.month, c.statement, c.statement_line, c.kpi_group,
       CASE WHEN c.kpi_group = 'cash' THEN 'cash' ELSE l.cash_flow_group END AS cash_flow_group,
       sum(tb.opening) AS opening, sum(tb.movement) AS movement, sum(tb.closing) AS closing
FROM mart_monthly_trial_balance tb
JOIN mart_account_classification c ON c.org_id = tb.org_id AND c.account_id = tb.account_id
JOIN mart_statement_line l ON l.statement = c.statement AND l.statement_line = c.statement_line
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE tmp_mart_line_month AS
SELECT org_id, fiscal_year_start, month, statement, statement_line,
       sum(opening) AS opening, sum(movement) AS movement, sum(closing) AS closing
FROM tmp_mart_group_month
GROUP BY ALL;
