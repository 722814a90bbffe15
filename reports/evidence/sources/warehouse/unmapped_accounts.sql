-- Accounts no mapping rule covers: they sit on the `unmapped` lines until a mapping file
-- says where they belong.
SELECT org_id, account_id, account_name, country, source_account_type, statement, line_count,
       latest_closing, nordic_amount(latest_closing) AS latest_closing_text,
       '/accounts/' || url_encode(account_id) AS account_link
FROM mart_data_quality_unmapped_account
ORDER BY org_id, account_id
