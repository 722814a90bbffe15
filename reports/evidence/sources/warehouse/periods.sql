-- Every month of every fiscal year, for the period input. `selectable` runs up to the last
-- month with postings (every month of a year without any), so the input, newest first,
-- opens on the latest month that has figures.
WITH posted AS (
  SELECT org_id, fiscal_year_start, month, bool_or(movement <> 0) AS has_postings
  FROM mart_monthly_trial_balance GROUP BY ALL
), months AS (
  SELECT k.org_id, k.fiscal_year_start, k.month, coalesce(p.has_postings, false) AS has_postings
  FROM mart_kpi k
  LEFT JOIN posted p ON p.org_id = k.org_id AND p.fiscal_year_start = k.fiscal_year_start AND p.month = k.month
), last_posted AS (
  SELECT org_id, fiscal_year_start, max(month) FILTER (WHERE has_postings) AS last_month FROM months GROUP BY ALL
)
SELECT m.org_id,
       strftime(m.fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(m.month, '%Y-%m-%d') AS period,
       m.month,
       strftime(m.month, '%Y-%m') AS period_label,
       row_number() OVER (PARTITION BY m.org_id, m.fiscal_year_start ORDER BY m.month)::INTEGER AS period_no,
       m.has_postings,
       (l.last_month IS NULL OR m.month <= l.last_month) AS selectable
FROM months m
JOIN last_posted l ON l.org_id = m.org_id AND l.fiscal_year_start = m.fiscal_year_start
ORDER BY m.org_id, m.month
