-- Vouchers whose lines do not sum to zero, with the difference (ledger sign).
SELECT org_id, voucher_id,
       strftime(fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(voucher_date, '%Y-%m-%d') AS voucher_date,
       line_count, difference, nordic_amount(difference) AS difference_text
FROM mart_data_quality_unbalanced_voucher
ORDER BY org_id, voucher_date, voucher_id
