-- Income statement per organization and month: the mart's lines (income positive, costs
-- negative) plus two subtotals, operating result and net result, summed here in DECIMAL so
-- the pages only pick rows. Unmapped accounts (in the net result, not the operating result)
-- sort just before the net result; the year-end allocation stays after it, in no result.
WITH line AS (
  SELECT p.org_id, p.fiscal_year_start, p.month, p.statement_line, l.label, l.section,
         CASE p.statement_line WHEN 'unmapped' THEN 85 ELSE p.sort_order END AS display_order,
         false AS is_subtotal, l.in_operating_result, l.in_net_result,
         p.amount, p.ytd, p.last_year, p.last_year_ytd, p.rolling_12m, p.budget, p.budget_ytd, p.variance, p.variance_ytd
  FROM mart_profit_and_loss p
  JOIN mart_statement_line l ON l.statement = 'income_statement' AND l.statement_line = p.statement_line
), subtotal AS (
  SELECT org_id, fiscal_year_start, month, s.statement_line, s.label, 'subtotal' AS section, s.display_order,
         true AS is_subtotal, false AS in_operating_result, false AS in_net_result,
         sum(amount) AS amount, sum(ytd) AS ytd, sum(last_year) AS last_year, sum(last_year_ytd) AS last_year_ytd,
         sum(rolling_12m) AS rolling_12m, sum(budget) AS budget, sum(budget_ytd) AS budget_ytd,
         sum(variance) AS variance, sum(variance_ytd) AS variance_ytd
  FROM line
  JOIN (VALUES ('operating_result', 'Operating result', 55), ('net_result', 'Net result', 88)) s(statement_line, label, display_order)
    ON (s.statement_line = 'operating_result' AND line.in_operating_result) OR (s.statement_line = 'net_result' AND line.in_net_result)
  GROUP BY org_id, fiscal_year_start, month, s.statement_line, s.label, s.display_order
), statement AS (
  SELECT * FROM line
  UNION ALL
  SELECT * FROM subtotal
)
SELECT org_id,
       strftime(fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(month, '%Y-%m-%d') AS period,
       month, statement_line, label, section, display_order, is_subtotal,
       amount::DECIMAL(18,2) AS amount,
       ytd::DECIMAL(18,2) AS ytd,
       last_year::DECIMAL(18,2) AS last_year,
       last_year_ytd::DECIMAL(18,2) AS last_year_ytd,
       ledger_change(ytd, last_year_ytd) AS ytd_change,
       rolling_12m::DECIMAL(18,2) AS rolling_12m,
       budget::DECIMAL(18,2) AS budget,
       budget_ytd::DECIMAL(18,2) AS budget_ytd,
       variance::DECIMAL(18,2) AS variance,
       variance_ytd::DECIMAL(18,2) AS variance_ytd,
       -- Lines that are zero all year, this year and last, are left off the statements.
       (is_subtotal OR bool_or(amount <> 0 OR coalesce(last_year, 0) <> 0 OR coalesce(budget, 0) <> 0)
                        OVER (PARTITION BY org_id, fiscal_year_start, statement_line)) AS shown,
       nordic_whole(amount) AS amount_text,
       nordic_whole(ytd) AS ytd_text,
       nordic_whole(last_year) AS last_year_text,
       nordic_whole(last_year_ytd) AS last_year_ytd_text,
       nordic_percent(ledger_change(ytd, last_year_ytd)) AS ytd_change_text,
       nordic_whole(rolling_12m) AS rolling_12m_text,
       nordic_whole(budget) AS budget_text,
       nordic_whole(budget_ytd) AS budget_ytd_text,
       nordic_whole(variance) AS variance_text,
       nordic_whole(variance_ytd) AS variance_ytd_text
FROM statement
ORDER BY org_id, month, display_order
