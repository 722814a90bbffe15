-- KPIs per organization and month (mart_kpi) with cash (mart_cash_flow), each beside the
-- same month a year earlier and the change against it: `_change` is a fraction of last
-- year's size for money (positive = better), `_change` of a ratio is the difference in
-- fraction points, of days the difference in days. Texts are the exact Nordic renderings.
WITH k AS (
  SELECT k.*, c.cash_closing AS cash
  FROM mart_kpi k
  LEFT JOIN mart_cash_flow c ON c.org_id = k.org_id AND c.fiscal_year_start = k.fiscal_year_start AND c.month = k.month
)
SELECT k.org_id,
       strftime(k.fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(k.month, '%Y-%m-%d') AS period,
       k.month,
       k.revenue, ly.revenue AS revenue_last_year,
       k.revenue_ytd, ly.revenue_ytd AS revenue_ytd_last_year, ledger_change(k.revenue_ytd, ly.revenue_ytd) AS revenue_ytd_change,
       k.gross_profit, k.gross_profit_ytd, ly.gross_profit_ytd AS gross_profit_ytd_last_year,
       ledger_change(k.gross_profit_ytd, ly.gross_profit_ytd) AS gross_profit_ytd_change,
       k.gross_margin_ytd, ly.gross_margin_ytd AS gross_margin_ytd_last_year,
       (k.gross_margin_ytd - ly.gross_margin_ytd)::DECIMAL(18,4) AS gross_margin_ytd_change,
       k.ebitda, k.ebitda_ytd, ly.ebitda_ytd AS ebitda_ytd_last_year, ledger_change(k.ebitda_ytd, ly.ebitda_ytd) AS ebitda_ytd_change,
       k.operating_result, ly.operating_result AS operating_result_last_year,
       k.operating_result_ytd, ly.operating_result_ytd AS operating_result_ytd_last_year,
       ledger_change(k.operating_result_ytd, ly.operating_result_ytd) AS operating_result_ytd_change,
       k.operating_margin_ytd, ly.operating_margin_ytd AS operating_margin_ytd_last_year,
       (k.operating_margin_ytd - ly.operating_margin_ytd)::DECIMAL(18,4) AS operating_margin_ytd_change,
       k.net_result, k.net_result_ytd, ly.net_result_ytd AS net_result_ytd_last_year,
       ledger_change(k.net_result_ytd, ly.net_result_ytd) AS net_result_ytd_change,
       k.cash, ly.cash AS cash_last_year, ledger_change(k.cash, ly.cash) AS cash_change,
       k.working_capital, ly.working_capital AS working_capital_last_year, ledger_change(k.working_capital, ly.working_capital) AS working_capital_change,
       k.current_ratio, ly.current_ratio AS current_ratio_last_year, (k.current_ratio - ly.current_ratio)::DECIMAL(18,4) AS current_ratio_change,
       k.total_assets, k.equity,
       k.equity_ratio, ly.equity_ratio AS equity_ratio_last_year, (k.equity_ratio - ly.equity_ratio)::DECIMAL(18,4) AS equity_ratio_change,
       k.trade_receivables, k.trade_payables,
       k.dso_days, ly.dso_days AS dso_days_last_year, (k.dso_days - ly.dso_days)::DECIMAL(18,1) AS dso_days_change,
       k.dpo_days, ly.dpo_days AS dpo_days_last_year, (k.dpo_days - ly.dpo_days)::DECIMAL(18,1) AS dpo_days_change,
       nordic_whole(k.revenue_ytd) AS revenue_ytd_text,
       nordic_whole(ly.revenue_ytd) AS revenue_ytd_last_year_text,
       nordic_percent(ledger_change(k.revenue_ytd, ly.revenue_ytd)) AS revenue_ytd_change_text,
       nordic_whole(k.operating_result_ytd) AS operating_result_ytd_text,
       nordic_whole(k.net_result_ytd) AS net_result_ytd_text,
       nordic_whole(k.cash) AS cash_text,
       nordic_percent(k.gross_margin_ytd) AS gross_margin_ytd_text,
       nordic_percent(k.operating_margin_ytd) AS operating_margin_ytd_text,
       nordic_percent(k.equity_ratio) AS equity_ratio_text,
       nordic_amount(k.current_ratio) AS current_ratio_text,
       nordic_whole(k.working_capital) AS working_capital_text,
       nordic_one(k.dso_days) AS dso_days_text,
       nordic_one(k.dpo_days) AS dpo_days_text
FROM k
LEFT JOIN k ly ON ly.org_id = k.org_id AND ly.month = (k.month - INTERVAL 12 MONTH)::DATE
ORDER BY k.org_id, k.month
