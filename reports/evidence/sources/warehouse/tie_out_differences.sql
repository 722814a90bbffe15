-- The source's own balances that the warehouse does not reproduce (difference = source −
-- warehouse, ledger sign); balances that tie out are only counted, in data_quality.
SELECT org_id,
       strftime(fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       account_id, balance_type,
       strftime(as_of, '%Y-%m-%d') AS as_of,
       source, source_amount, warehouse_amount, difference,
       nordic_amount(source_amount) AS source_amount_text,
       nordic_amount(warehouse_amount) AS warehouse_amount_text,
       nordic_amount(difference) AS difference_text
FROM mart_data_quality_tie_out
WHERE difference IS DISTINCT FROM 0
ORDER BY org_id, fiscal_year_start, account_id, balance_type, as_of
