-- Balance sheet at every month end (both sides positive as presented), with a total per
-- side summed here in DECIMAL, and the same month end a year earlier.
WITH line AS (
  SELECT b.org_id, b.fiscal_year_start, b.month, b.month_end, b.side, b.section, b.statement_line, l.label,
         b.sort_order AS display_order, false AS is_subtotal, b.amount, b.last_year_amount
  FROM mart_balance_sheet b
  JOIN mart_statement_line l ON l.statement = 'balance_sheet' AND l.statement_line = b.statement_line
), total AS (
  SELECT org_id, fiscal_year_start, month, month_end, side, 'total' AS section,
         'total_' || side AS statement_line,
         CASE side WHEN 'assets' THEN 'Total assets' ELSE 'Total equity and liabilities' END AS label,
         CASE side WHEN 'assets' THEN 199 ELSE 299 END AS display_order,
         true AS is_subtotal, sum(amount) AS amount, sum(last_year_amount) AS last_year_amount
  FROM line GROUP BY ALL
), statement AS (
  SELECT * FROM line
  UNION ALL
  SELECT * FROM total
)
SELECT org_id,
       strftime(fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(month, '%Y-%m-%d') AS period,
       month, month_end, side, section, statement_line, label, display_order, is_subtotal,
       amount::DECIMAL(18,2) AS amount,
       last_year_amount::DECIMAL(18,2) AS last_year_amount,
       (amount - last_year_amount)::DECIMAL(18,2) AS change,
       (is_subtotal OR bool_or(amount <> 0 OR coalesce(last_year_amount, 0) <> 0)
                        OVER (PARTITION BY org_id, fiscal_year_start, statement_line)) AS shown,
       nordic_whole(amount) AS amount_text,
       nordic_whole(last_year_amount) AS last_year_amount_text,
       nordic_whole(amount - last_year_amount) AS change_text
FROM statement
ORDER BY org_id, month, display_order
