-- One row per organization: its last run and what the books say about themselves
-- (mart_data_quality). Times as text: a timestamp column that is all NULL (no run yet)
-- would reach the browser as a number.
SELECT q.org_id,
       coalesce(q.org_name, q.org_id) AS org_name,
       q.country,
       q.status,
       q.last_run_id, q.last_run_source, q.last_run_trigger, q.last_run_status,
       strftime(q.last_run_started_at, '%Y-%m-%d %H:%M') AS last_run_started,
       strftime(q.last_run_finished_at, '%Y-%m-%d %H:%M') AS last_run_finished,
       left(q.last_run_error, 300) AS last_run_error,
       strftime(q.last_succeeded_at, '%Y-%m-%d %H:%M') AS last_succeeded,
       q.fiscal_years, q.accounts, q.unmapped_accounts, q.unbalanced_vouchers,
       q.years_with_balance_difference, q.lines_outside_fiscal_year,
       q.import_errors, q.import_warnings, q.tie_out_balances, q.tie_out_differences,
       CASE q.status WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END AS status_order
FROM mart_data_quality q
ORDER BY status_order, org_name
