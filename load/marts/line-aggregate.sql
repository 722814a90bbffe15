-- The one pass over ledger_line; every mart is built from this aggregate and the small
-- tables. Grouped by day, not month: truncating millions of dates costs more than the
-- extra groups, and the day is what the voucher check below needs.
CREATE OR REPLACE TEMP TABLE tmp_mart_line_day AS
SELECT org_id, fiscal_year_start, account_id, voucher_date,
       department_id, project_id, cost_center_id,
       sum(amount) AS amount,
       count(*) AS line_count,
       -- Σ cents × h(voucher) mod p: a balanced voucher adds 0 (mod p), an unbalanced one
       -- almost surely not, even when two of them cancel out in the day's sum. So the
       -- days holding unbalanced vouchers are found without grouping by voucher.
       sum(((amount * 100)::BIGINT % 2147483647) * (hash(voucher_id) % 2147483647)::BIGINT) AS voucher_checksum
FROM ledger_line
GROUP BY ALL;
