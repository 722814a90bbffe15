-- Every ledger line with its voucher (mart_voucher_drilldown), for drilling from an
-- account and month down to the postings. `period` is the trial balance's month, so the
-- lines of an account and period add up to its movement there.
SELECT d.org_id,
       strftime(d.fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(d.month, '%Y-%m-%d') AS period,
       d.account_id,
       d.voucher_id, d.journal_id, d.voucher_number,
       strftime(d.voucher_date, '%Y-%m-%d') AS voucher_date,
       d.voucher_description,
       d.line_no,
       d.amount,
       nordic_amount(d.amount) AS amount_text,
       d.currency,
       d.currency_amount,
       nordic_amount(d.currency_amount) AS currency_amount_text,
       d.vat_code, d.description, d.party_name,
       d.department_id, d.project_id, d.cost_center_id
FROM mart_voucher_drilldown d
ORDER BY d.org_id, d.account_id, d.voucher_date, d.voucher_id, d.line_no
