-- Income statement per organization, month and line. Sign: as a finance leader reads it,
-- income positive and costs negative (the ledger amount negated), so the lines add up to
-- the result: operating result = Σ lines with in_operating_result, net result = Σ lines
-- with in_net_result (mart_statement_line). Budget in the same sign; variance = actual −
-- budget, so a positive variance is better than budget on every line.
CREATE OR REPLACE TABLE mart_profit_and_loss AS
WITH budget_year AS (
  SELECT DISTINCT org_id, fiscal_year_start FROM budget WHERE dimension_type IS NULL
), budget_line AS (
  SELECT b.org_id, b.fiscal_year_start, date_trunc('month', b.month)::DATE AS month, c.statement_line, sum(b.amount) AS amount
  FROM budget b
  JOIN mart_account_classification c ON c.org_id = b.org_id AND c.account_id = b.account_id
  WHERE b.dimension_type IS NULL AND c.statement = 'income_statement'
  GROUP BY ALL
), grid AS (
  SELECT m.org_id, m.fiscal_year_start, m.month, m.month_no, l.statement_line, l.sort_order,
         -coalesce(x.movement, 0) AS amount,
         -- No budget for the year at all is "no budget", not a budget of zero.
         CASE WHEN budgeted.org_id IS NOT NULL THEN -coalesce(b.amount, 0) END AS budget
  FROM tmp_mart_month m
  CROSS JOIN (SELECT * FROM mart_statement_line WHERE statement = 'income_statement') l
  LEFT JOIN tmp_mart_line_month x
    ON x.org_id = m.org_id AND x.fiscal_year_start = m.fiscal_year_start AND x.month = m.month
   AND x.statement = 'income_statement' AND x.statement_line = l.statement_line
  LEFT JOIN budget_line b
    ON b.org_id = m.org_id AND b.fiscal_year_start = m.fiscal_year_start AND b.month = m.month AND b.statement_line = l.statement_line
  LEFT JOIN budget_year budgeted ON budgeted.org_id = m.org_id AND budgeted.fiscal_year_start = m.fiscal_year_start
), windowed AS (
  SELECT *,
         sum(amount) OVER year_to_date AS ytd,
         sum(budget) OVER year_to_date AS budget_ytd,
         -- Only a full twelve months of history makes a rolling year.
         CASE WHEN count(*) OVER twelve_months = 12 THEN sum(amount) OVER twelve_months END AS rolling_12m
  FROM grid
  WINDOW year_to_date AS (PARTITION BY org_id, fiscal_year_start, statement_line ORDER BY month),
         twelve_months AS (PARTITION BY org_id, statement_line ORDER BY month_no RANGE BETWEEN 11 PRECEDING AND CURRENT ROW)
)
SELECT w.org_id, w.fiscal_year_start, w.month, w.statement_line, w.sort_order,
       w.amount::DECIMAL(18,2) AS amount,
       w.ytd::DECIMAL(18,2) AS ytd,
       ly.amount::DECIMAL(18,2) AS last_year,
       ly.ytd::DECIMAL(18,2) AS last_year_ytd,
       w.rolling_12m::DECIMAL(18,2) AS rolling_12m,
       w.budget::DECIMAL(18,2) AS budget,
       w.budget_ytd::DECIMAL(18,2) AS budget_ytd,
       (w.amount - w.budget)::DECIMAL(18,2) AS variance,
       (w.ytd - w.budget_ytd)::DECIMAL(18,2) AS variance_ytd
FROM windowed w
LEFT JOIN windowed ly ON ly.org_id = w.org_id AND ly.statement_line = w.statement_line AND ly.month_no = w.month_no - 12
ORDER BY w.org_id, w.month, w.sort_order;
