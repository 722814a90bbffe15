-- Cash flow by the indirect method (mart_cash_flow: cash in positive), one row per line
-- so a page can show it as a statement: the month and the year to date. The year to date
-- of a flow is its sum over the year so far; of cash at start, the year's first month's.
WITH monthly AS (
  SELECT c.*,
         sum(net_result) OVER ytd AS net_result_ytd,
         sum(depreciation) OVER ytd AS depreciation_ytd,
         sum(change_in_untaxed_reserves) OVER ytd AS change_in_untaxed_reserves_ytd,
         sum(change_in_working_capital) OVER ytd AS change_in_working_capital_ytd,
         sum(operating_cash_flow) OVER ytd AS operating_cash_flow_ytd,
         sum(investing_cash_flow) OVER ytd AS investing_cash_flow_ytd,
         sum(financing_cash_flow) OVER ytd AS financing_cash_flow_ytd,
         sum(unclassified_cash_flow) OVER ytd AS unclassified_cash_flow_ytd,
         sum(unbalanced_postings) OVER ytd AS unbalanced_postings_ytd,
         sum(net_cash_flow) OVER ytd AS net_cash_flow_ytd,
         first_value(cash_opening) OVER ytd AS cash_opening_ytd,
         cash_closing AS cash_closing_ytd
  FROM mart_cash_flow c
  WINDOW ytd AS (PARTITION BY org_id, fiscal_year_start ORDER BY month)
), long AS (
  UNPIVOT monthly
  ON (net_result, net_result_ytd) AS net_result,
     (depreciation, depreciation_ytd) AS depreciation,
     (change_in_untaxed_reserves, change_in_untaxed_reserves_ytd) AS change_in_untaxed_reserves,
     (change_in_working_capital, change_in_working_capital_ytd) AS change_in_working_capital,
     (operating_cash_flow, operating_cash_flow_ytd) AS operating_cash_flow,
     (investing_cash_flow, investing_cash_flow_ytd) AS investing_cash_flow,
     (financing_cash_flow, financing_cash_flow_ytd) AS financing_cash_flow,
     (unclassified_cash_flow, unclassified_cash_flow_ytd) AS unclassified_cash_flow,
     (unbalanced_postings, unbalanced_postings_ytd) AS unbalanced_postings,
     (net_cash_flow, net_cash_flow_ytd) AS net_cash_flow,
     (cash_opening, cash_opening_ytd) AS cash_opening,
     (cash_closing, cash_closing_ytd) AS cash_closing
  INTO NAME line VALUE amount, ytd
)
SELECT x.org_id,
       strftime(x.fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(x.month, '%Y-%m-%d') AS period,
       x.month, x.line, l.label, l.display_order, l.is_subtotal, l.is_flow,
       x.amount::DECIMAL(18,2) AS amount,
       x.ytd::DECIMAL(18,2) AS ytd,
       -- The two lines that are zero for sound books are shown only when they are not.
       (l.line NOT IN ('unclassified_cash_flow', 'unbalanced_postings')
        OR bool_or(x.amount <> 0) OVER (PARTITION BY x.org_id, x.fiscal_year_start, x.line)) AS shown,
       nordic_whole(x.amount) AS amount_text,
       nordic_whole(x.ytd) AS ytd_text
FROM long x
JOIN (VALUES
  ('net_result', 'Net result', 10, false, true),
  ('depreciation', 'Depreciation and write-downs', 20, false, true),
  ('change_in_untaxed_reserves', 'Change in untaxed reserves', 30, false, true),
  ('change_in_working_capital', 'Change in working capital', 40, false, true),
  ('operating_cash_flow', 'Cash flow from operations', 50, true, true),
  ('investing_cash_flow', 'Cash flow from investing', 60, true, true),
  ('financing_cash_flow', 'Cash flow from financing', 70, true, true),
  ('unclassified_cash_flow', 'Change in accounts no mapping covers', 80, false, true),
  ('unbalanced_postings', 'Postings that do not balance', 85, false, true),
  ('net_cash_flow', 'Net change in cash', 90, true, true),
  ('cash_opening', 'Cash at start', 100, false, false),
  ('cash_closing', 'Cash at end', 110, true, false)
) l(line, label, display_order, is_subtotal, is_flow) ON l.line = x.line
ORDER BY x.org_id, x.month, l.display_order
