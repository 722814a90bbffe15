-- The exact check, run only when voucher-balance.sql found suspect days: every voucher
-- with a line on such a day, summed over all its lines.
INSERT INTO mart_data_quality_unbalanced_voucher
WITH suspects AS (
  SELECT DISTINCT l.org_id, l.voucher_id
  FROM ledger_line l
  JOIN tmp_mart_suspect_day s
    ON s.org_id = l.org_id AND s.fiscal_year_start = l.fiscal_year_start AND s.voucher_date = l.voucher_date
)
SELECT l.org_id, min(l.fiscal_year_start), l.voucher_id, min(l.voucher_date), count(*), sum(l.amount)::DECIMAL(18,2)
FROM ledger_line l
JOIN suspects s ON s.org_id = l.org_id AND s.voucher_id = l.voucher_id
GROUP BY l.org_id, l.voucher_id
HAVING sum(l.amount) <> 0
ORDER BY 1, 3;
