-- Per organization and fiscal year: lines, whether the year has opening balances, and what
-- its own balances leave over (zero for sound books; ledger sign).
SELECT org_id,
       strftime(fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(fiscal_year_end, '%Y-%m-%d') AS fiscal_year_end,
       has_opening_balances, line_count, opening_total, movement_total,
       unbalanced_vouchers, lines_outside_fiscal_year, net_result,
       nordic_amount(opening_total) AS opening_total_text,
       nordic_amount(movement_total) AS movement_total_text,
       nordic_whole(net_result) AS net_result_text
FROM mart_data_quality_year
ORDER BY org_id, fiscal_year_start DESC
