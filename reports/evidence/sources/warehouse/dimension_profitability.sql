-- Result per department, project and cost center (mart_dimension_profitability, P&L sign),
-- per month with the year to date. Every dimension used in a year gets every month of the
-- year, so the year to date exists at any period. Untagged lines are their own row, so a
-- type's rows add up to the P&L.
WITH line AS (
  SELECT d.org_id, d.fiscal_year_start, d.month, d.dimension_type, d.dimension_id, d.dimension_name,
         d.statement_line, d.amount, d.line_count, l.in_operating_result
  FROM mart_dimension_profitability d
  JOIN mart_statement_line l ON l.statement = 'income_statement' AND l.statement_line = d.statement_line
), per_month AS (
  SELECT org_id, fiscal_year_start, month, dimension_type, dimension_id,
         coalesce(sum(amount) FILTER (WHERE statement_line = 'revenue'), 0) AS revenue,
         coalesce(sum(amount) FILTER (WHERE statement_line IN ('revenue', 'cost_of_goods')), 0) AS gross_profit,
         coalesce(sum(amount) FILTER (WHERE in_operating_result), 0) AS operating_result,
         sum(amount) AS result,
         sum(line_count) AS line_count
  FROM line GROUP BY ALL
), dimension AS (
  SELECT org_id, fiscal_year_start, dimension_type, dimension_id, any_value(dimension_name) AS dimension_name
  FROM line GROUP BY ALL
), grid AS (
  SELECT d.*, k.month
  FROM dimension d
  JOIN mart_kpi k ON k.org_id = d.org_id AND k.fiscal_year_start = d.fiscal_year_start
), filled AS (
  SELECT g.org_id, g.fiscal_year_start, g.month, g.dimension_type, g.dimension_id, g.dimension_name,
         coalesce(m.revenue, 0) AS revenue,
         coalesce(m.gross_profit, 0) AS gross_profit,
         coalesce(m.operating_result, 0) AS operating_result,
         coalesce(m.result, 0) AS result,
         coalesce(m.line_count, 0) AS line_count
  FROM grid g
  LEFT JOIN per_month m
    ON m.org_id = g.org_id AND m.fiscal_year_start = g.fiscal_year_start AND m.month = g.month
   AND m.dimension_type = g.dimension_type AND m.dimension_id IS NOT DISTINCT FROM g.dimension_id
), ytd AS (
  SELECT *,
         sum(revenue) OVER w AS revenue_ytd,
         sum(gross_profit) OVER w AS gross_profit_ytd,
         sum(operating_result) OVER w AS operating_result_ytd,
         sum(result) OVER w AS result_ytd,
         sum(line_count) OVER w AS line_count_ytd
  FROM filled
  WINDOW w AS (PARTITION BY org_id, fiscal_year_start, dimension_type, dimension_id ORDER BY month)
)
SELECT org_id,
       strftime(fiscal_year_start, '%Y-%m-%d') AS fiscal_year,
       strftime(month, '%Y-%m-%d') AS period,
       month,
       dimension_type,
       CASE dimension_type WHEN 'department' THEN 'Departments' WHEN 'project' THEN 'Projects'
                           WHEN 'cost_center' THEN 'Cost centers' ELSE dimension_type END AS dimension_type_label,
       dimension_id,
       CASE WHEN dimension_id IS NULL THEN '(untagged)'
            WHEN dimension_name IS NULL THEN dimension_id
            ELSE dimension_id || ' ' || dimension_name END AS dimension_label,
       revenue::DECIMAL(18,2) AS revenue,
       gross_profit::DECIMAL(18,2) AS gross_profit,
       operating_result::DECIMAL(18,2) AS operating_result,
       result::DECIMAL(18,2) AS result,
       revenue_ytd::DECIMAL(18,2) AS revenue_ytd,
       gross_profit_ytd::DECIMAL(18,2) AS gross_profit_ytd,
       operating_result_ytd::DECIMAL(18,2) AS operating_result_ytd,
       result_ytd::DECIMAL(18,2) AS result_ytd,
       line_count_ytd::BIGINT AS line_count_ytd,
       nordic_whole(revenue_ytd) AS revenue_ytd_text,
       nordic_whole(gross_profit_ytd) AS gross_profit_ytd_text,
       nordic_whole(operating_result_ytd) AS operating_result_ytd_text,
       nordic_whole(result_ytd) AS result_ytd_text,
       nordic_whole(result) AS result_text
FROM ytd
ORDER BY org_id, month, dimension_type, dimension_id NULLS LAST
