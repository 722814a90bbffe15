-- Fiscal years per organization, for the fiscal-year input. `fiscal_year` (the start date
-- as text) is the key every other source carries: text compares the same in the browser,
-- where dates arrive as timestamps.
SELECT y.org_id,
       strftime(y.fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       y.fiscal_year_start,
       y.fiscal_year_end,
       coalesce(f.label,
                CASE WHEN year(y.fiscal_year_start) = year(y.fiscal_year_end) THEN year(y.fiscal_year_start)::VARCHAR
                     ELSE year(y.fiscal_year_start)::VARCHAR || '/' || right(year(y.fiscal_year_end)::VARCHAR, 2) END) AS fiscal_year_label
FROM mart_data_quality_year y
LEFT JOIN fiscal_year f ON f.org_id = y.org_id AND f.start_date = y.fiscal_year_start
ORDER BY y.org_id, y.fiscal_year_start DESC
