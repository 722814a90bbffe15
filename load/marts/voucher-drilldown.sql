-- Account → month → voucher → line, for drilling from any figure down to the postings. A
-- view: it reads ledger_line when asked, so a rebuild costs nothing and a query filtered
-- on org_id, account_id and month reads only what it shows. `month` is the trial
-- balance's month (a line dated outside its fiscal year counts in the year's first or
-- last month there, and here).
CREATE OR REPLACE VIEW mart_voucher_drilldown AS
SELECT l.org_id, l.account_id, c.account_name, c.statement, c.statement_line,
       l.fiscal_year_start,
       CASE WHEN f.org_id IS NULL THEN date_trunc('month', l.voucher_date)::DATE
            ELSE greatest(least(date_trunc('month', l.voucher_date)::DATE, date_trunc('month', f.end_date)::DATE),
                          date_trunc('month', f.start_date)::DATE) END AS month,
       l.voucher_id, v.journal_id, v.voucher_number, l.voucher_date, v.posting_date,
       v.description AS voucher_description,
       l.line_no, l.amount, l.currency, l.currency_amount, l.vat_code, l.description,
       l.party_type, l.party_id, p.name AS party_name,
       l.department_id, l.project_id, l.cost_center_id
FROM ledger_line l
LEFT JOIN fiscal_year f ON f.org_id = l.org_id AND f.start_date = l.fiscal_year_start
LEFT JOIN voucher v ON v.org_id = l.org_id AND v.voucher_id = l.voucher_id
LEFT JOIN mart_account_classification c ON c.org_id = l.org_id AND c.account_id = l.account_id
LEFT JOIN party p ON p.org_id = l.org_id AND p.party_type = l.party_type AND p.party_id = l.party_id;
