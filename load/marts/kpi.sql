-- KPIs per organization and month. Money in the P&L's and balance sheet's presentation
-- signs (revenue, assets and liabilities positive). Ratios are DECIMAL(18,4) fractions
-- (0.2534 = 25.34 %), days DECIMAL(18,1); NULL where the denominator is zero, and DSO/DPO
-- also where the chart has no receivable/payable accounts to tell apart or the trailing
-- revenue/purchases are not positive.
--   DSO = trade receivables at month end / revenue of the trailing window × its days
--   DPO = trade payables at month end / (cost of goods + other operating expenses) of the
--         trailing window × its days
-- The trailing window is the last twelve months, or fewer where the warehouse holds fewer.
-- Receivables and payables include VAT, revenue and purchases do not: a known bias of
-- ledger-based DSO/DPO, the same every month, so the trend is what to read.
CREATE OR REPLACE TABLE mart_kpi AS
WITH pl AS (
  SELECT p.org_id, p.fiscal_year_start, p.month,
         sum(p.amount) FILTER (WHERE p.statement_line = 'revenue') AS revenue,
         sum(p.ytd) FILTER (WHERE p.statement_line = 'revenue') AS revenue_ytd,
         sum(p.amount) FILTER (WHERE p.statement_line IN ('revenue', 'cost_of_goods')) AS gross_profit,
         sum(p.ytd) FILTER (WHERE p.statement_line IN ('revenue', 'cost_of_goods')) AS gross_profit_ytd,
         sum(p.amount) FILTER (WHERE l.in_operating_result AND p.statement_line <> 'depreciation') AS ebitda,
         sum(p.ytd) FILTER (WHERE l.in_operating_result AND p.statement_line <> 'depreciation') AS ebitda_ytd,
         sum(p.amount) FILTER (WHERE l.in_operating_result) AS operating_result,
         sum(p.ytd) FILTER (WHERE l.in_operating_result) AS operating_result_ytd,
         sum(p.amount) FILTER (WHERE l.in_net_result) AS net_result,
         sum(p.ytd) FILTER (WHERE l.in_net_result) AS net_result_ytd,
         -sum(p.amount) FILTER (WHERE p.statement_line IN ('cost_of_goods', 'other_operating_expenses')) AS purchases
  FROM mart_profit_and_loss p
  JOIN mart_statement_line l ON l.statement = 'income_statement' AND l.statement_line = p.statement_line
  GROUP BY ALL
), bs AS (
  SELECT org_id, fiscal_year_start, month,
         sum(amount) FILTER (WHERE statement_line = 'current_assets') AS current_assets,
         sum(amount) FILTER (WHERE statement_line = 'short_term_liabilities') AS short_term_liabilities,
         sum(amount) FILTER (WHERE statement_line IN ('fixed_assets', 'current_assets')) AS total_assets,
         sum(amount) FILTER (WHERE section = 'equity') AS equity
  FROM mart_balance_sheet GROUP BY ALL
), kpi_groups AS (
  SELECT org_id, fiscal_year_start, month,
         sum(closing) FILTER (WHERE kpi_group = 'trade_receivables') AS trade_receivables,
         -sum(closing) FILTER (WHERE kpi_group = 'trade_payables') AS trade_payables
  FROM tmp_mart_group_month GROUP BY ALL
), trailing_window AS (
  SELECT m.org_id, m.fiscal_year_start, m.month,
         sum(pl.revenue) OVER twelve_months AS trailing_revenue,
         sum(pl.purchases) OVER twelve_months AS trailing_purchases,
         (sum(datediff('day', m.month, m.month_end) + 1) OVER twelve_months)::INTEGER AS trailing_days
  FROM tmp_mart_month m
  JOIN pl ON pl.org_id = m.org_id AND pl.fiscal_year_start = m.fiscal_year_start AND pl.month = m.month
  WINDOW twelve_months AS (PARTITION BY m.org_id ORDER BY m.month_no RANGE BETWEEN 11 PRECEDING AND CURRENT ROW)
)
SELECT pl.org_id, pl.fiscal_year_start, pl.month,
       pl.revenue::DECIMAL(18,2) AS revenue,
       pl.revenue_ytd::DECIMAL(18,2) AS revenue_ytd,
       pl.gross_profit::DECIMAL(18,2) AS gross_profit,
       pl.gross_profit_ytd::DECIMAL(18,2) AS gross_profit_ytd,
       mart_ratio(pl.gross_profit, pl.revenue) AS gross_margin,
       mart_ratio(pl.gross_profit_ytd, pl.revenue_ytd) AS gross_margin_ytd,
       pl.ebitda::DECIMAL(18,2) AS ebitda,
       pl.ebitda_ytd::DECIMAL(18,2) AS ebitda_ytd,
       pl.operating_result::DECIMAL(18,2) AS operating_result,
       pl.operating_result_ytd::DECIMAL(18,2) AS operating_result_ytd,
       mart_ratio(pl.operating_result, pl.revenue) AS operating_margin,
       mart_ratio(pl.operating_result_ytd, pl.revenue_ytd) AS operating_margin_ytd,
       pl.net_result::DECIMAL(18,2) AS net_result,
       pl.net_result_ytd::DECIMAL(18,2) AS net_result_ytd,
       bs.current_assets::DECIMAL(18,2) AS current_assets,
       bs.short_term_liabilities::DECIMAL(18,2) AS short_term_liabilities,
       (bs.current_assets - bs.short_term_liabilities)::DECIMAL(18,2) AS working_capital,
       mart_ratio(bs.current_assets, bs.short_term_liabilities) AS current_ratio,
       bs.total_assets::DECIMAL(18,2) AS total_assets,
       bs.equity::DECIMAL(18,2) AS equity,
       mart_ratio(bs.equity, bs.total_assets) AS equity_ratio,
       g.trade_receivables::DECIMAL(18,2) AS trade_receivables,
       g.trade_payables::DECIMAL(18,2) AS trade_payables,
       CASE WHEN t.trailing_revenue > 0 THEN mart_days(g.trade_receivables * t.trailing_days, t.trailing_revenue) END AS dso_days,
       CASE WHEN t.trailing_purchases > 0 THEN mart_days(g.trade_payables * t.trailing_days, t.trailing_purchases) END AS dpo_days
FROM pl
JOIN bs ON bs.org_id = pl.org_id AND bs.fiscal_year_start = pl.fiscal_year_start AND bs.month = pl.month
JOIN trailing_window t ON t.org_id = pl.org_id AND t.fiscal_year_start = pl.fiscal_year_start AND t.month = pl.month
LEFT JOIN kpi_groups g ON g.org_id = pl.org_id AND g.fiscal_year_start = pl.fiscal_year_start AND g.month = pl.month
ORDER BY pl.org_id, pl.month;
