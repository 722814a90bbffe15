-- Trial balance per organization, month and account (ledger sign: debit positive), every
-- account every month, with its statement line and a link to its drill-down page.
SELECT tb.org_id,
       strftime(tb.fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(tb.month, '%Y-%m-%d') AS period,
       tb.month,
       tb.account_id,
       coalesce(c.account_name, tb.account_id) AS account_name,
       c.statement,
       c.statement_line,
       l.label AS statement_line_label,
       tb.opening, tb.movement, tb.closing,
       nordic_amount(tb.opening) AS opening_text,
       nordic_amount(tb.movement) AS movement_text,
       nordic_amount(tb.closing) AS closing_text,
       '/accounts/' || url_encode(tb.account_id) AS account_link
FROM mart_monthly_trial_balance tb
LEFT JOIN mart_account_classification c ON c.org_id = tb.org_id AND c.account_id = tb.account_id
LEFT JOIN mart_statement_line l ON l.statement = c.statement AND l.statement_line = c.statement_line
ORDER BY tb.org_id, tb.month, tb.account_id
