-- Balance sheet at every month end. Sign: both sides positive as presented, assets as the
-- ledger has them (debit positive), equity and liabilities negated (credit positive), so
-- Σ side 'assets' = Σ side 'equity_and_liabilities' at every month end.
-- current_year_result is the income statement not yet closed into equity (the whole
-- year's result until the year-end transfer is booked, zero after it); balance_difference
-- is what the source's own balances leave unexplained (zero for sound books).
CREATE OR REPLACE TABLE mart_balance_sheet AS
WITH totals AS (
  SELECT org_id, fiscal_year_start, month,
         coalesce(sum(closing) FILTER (WHERE statement = 'income_statement'), 0) AS income_statement_closing,
         sum(closing) AS all_closing
  FROM tmp_mart_line_month GROUP BY ALL
), grid AS (
  SELECT m.org_id, m.fiscal_year_start, m.month, m.month_end, m.month_no,
         l.side, l.section, l.statement_line, l.sort_order,
         CASE l.statement_line
           WHEN 'current_year_result' THEN -coalesce(t.income_statement_closing, 0)
           WHEN 'balance_difference' THEN coalesce(t.all_closing, 0)
           ELSE (CASE l.side WHEN 'assets' THEN 1 ELSE -1 END) * coalesce(x.closing, 0)
         END AS amount
  FROM tmp_mart_month m
  CROSS JOIN (SELECT * FROM mart_statement_line WHERE statement = 'balance_sheet') l
  LEFT JOIN tmp_mart_line_month x
    ON x.org_id = m.org_id AND x.fiscal_year_start = m.fiscal_year_start AND x.month = m.month
   AND x.statement = 'balance_sheet' AND x.statement_line = l.statement_line
  LEFT JOIN totals t ON t.org_id = m.org_id AND t.fiscal_year_start = m.fiscal_year_start AND t.month = m.month
)
SELECT g.org_id, g.fiscal_year_start, g.month, g.month_end, g.side, g.section, g.statement_line, g.sort_order,
       g.amount::DECIMAL(18,2) AS amount,
       ly.amount::DECIMAL(18,2) AS last_year_amount
FROM grid g
LEFT JOIN grid ly ON ly.org_id = g.org_id AND ly.statement_line = g.statement_line AND ly.month_no = g.month_no - 12
ORDER BY g.org_id, g.month, g.sort_order;
