-- Cash flow by the indirect method, per month. Sign: cash in positive, cash out negative.
--   operating  = net result + depreciation + change in untaxed reserves (non-cash
--                appropriations) − increase in working capital (current assets other
--                than cash, short-term liabilities)
--   investing  = − change in fixed assets before depreciation
--   financing  = − change in long-term liabilities and equity, the year-end transfer's
--                equity side cancelled by its income-statement side
--   unclassified = − change in balance-sheet accounts no mapping covers
--   unbalanced_postings = what the source's vouchers do not balance (zero for sound books)
-- so that net_cash_flow = the change in cash = cash_closing − cash_opening, every month.
CREATE OR REPLACE TABLE mart_cash_flow AS
WITH flows AS (
  SELECT m.org_id, m.fiscal_year_start, m.month,
         coalesce(-sum(g.movement) FILTER (WHERE g.cash_flow_group = 'result'), 0) AS net_result,
         coalesce(sum(g.movement) FILTER (WHERE g.cash_flow_group = 'result' AND g.statement_line = 'depreciation'), 0) AS depreciation,
         coalesce(-sum(g.movement) FILTER (WHERE g.cash_flow_group = 'non_cash'), 0) AS change_in_untaxed_reserves,
         coalesce(-sum(g.movement) FILTER (WHERE g.cash_flow_group = 'working_capital'), 0) AS change_in_working_capital,
         coalesce(-sum(g.movement) FILTER (WHERE g.cash_flow_group = 'investing'), 0) AS fixed_asset_change,
         coalesce(-sum(g.movement) FILTER (WHERE g.cash_flow_group = 'financing'), 0) AS financing_cash_flow,
         coalesce(-sum(g.movement) FILTER (WHERE g.cash_flow_group = 'unclassified'), 0) AS unclassified_cash_flow,
         coalesce(sum(g.movement), 0) AS unbalanced_postings,
         coalesce(sum(g.movement) FILTER (WHERE g.cash_flow_group = 'cash'), 0) AS net_cash_flow,
         coalesce(sum(g.opening) FILTER (WHERE g.cash_flow_group = 'cash'), 0) AS cash_opening,
         coalesce(sum(g.closing) FILTER (WHERE g.cash_flow_group = 'cash'), 0) AS cash_closing
  FROM tmp_mart_month m
  LEFT JOIN tmp_mart_group_month g ON g.org_id = m.org_id AND g.fiscal_year_start = m.fiscal_year_start AND g.month = m.month
  GROUP BY m.org_id, m.fiscal_year_start, m.month
)
SELECT org_id, fiscal_year_start, month,
       net_result::DECIMAL(18,2) AS net_result,
       depreciation::DECIMAL(18,2) AS depreciation,
       change_in_untaxed_reserves::DECIMAL(18,2) AS change_in_untaxed_reserves,
       change_in_working_capital::DECIMAL(18,2) AS change_in_working_capital,
       (net_result + depreciation + change_in_untaxed_reserves + change_in_working_capital)::DECIMAL(18,2) AS operating_cash_flow,
       (fixed_asset_change - depreciation)::DECIMAL(18,2) AS investing_cash_flow,
       financing_cash_flow::DECIMAL(18,2) AS financing_cash_flow,
       unclassified_cash_flow::DECIMAL(18,2) AS unclassified_cash_flow,
       unbalanced_postings::DECIMAL(18,2) AS unbalanced_postings,
       net_cash_flow::DECIMAL(18,2) AS net_cash_flow,
       cash_opening::DECIMAL(18,2) AS cash_opening,
       cash_closing::DECIMAL(18,2) AS cash_closing
FROM flows
ORDER BY org_id, month;
