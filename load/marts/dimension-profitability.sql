-- Income statement per department, project and cost center (the ledger_line columns),
-- per month and line, in the P&L's sign (income positive, costs negative). Lines without
-- a tag of a type come as dimension_id NULL, so each type's rows add up to the P&L. A type
-- an organization never uses is left out rather than shown as one big untagged row. The
-- year-end result transfer belongs to no department and is left out.
CREATE OR REPLACE TABLE mart_dimension_profitability AS
WITH lines AS (
  SELECT d.org_id, d.fiscal_year_start,
         greatest(least(date_trunc('month', d.voucher_date)::DATE, y.last_month), y.first_month) AS month,
         c.statement_line, d.department_id, d.project_id, d.cost_center_id, d.amount, d.line_count
  FROM tmp_mart_line_day d
  JOIN tmp_mart_year y ON y.org_id = d.org_id AND y.fiscal_year_start = d.fiscal_year_start
  JOIN mart_account_classification c ON c.org_id = d.org_id AND c.account_id = d.account_id
  WHERE c.statement = 'income_statement' AND c.statement_line <> 'result_allocation'
), tagged AS (
  SELECT org_id, fiscal_year_start, month, statement_line, 'department' AS dimension_type, department_id AS dimension_id, amount, line_count FROM lines
  UNION ALL
  SELECT org_id, fiscal_year_start, month, statement_line, 'project', project_id, amount, line_count FROM lines
  UNION ALL
  SELECT org_id, fiscal_year_start, month, statement_line, 'cost_center', cost_center_id, amount, line_count FROM lines
), used AS (
  SELECT DISTINCT org_id, dimension_type FROM tagged WHERE dimension_id IS NOT NULL
)
SELECT t.org_id, t.fiscal_year_start, t.month, t.dimension_type, t.dimension_id,
       any_value(dm.name) AS dimension_name, t.statement_line,
       (-sum(t.amount))::DECIMAL(18,2) AS amount,
       sum(t.line_count)::BIGINT AS line_count
FROM tagged t
JOIN used u ON u.org_id = t.org_id AND u.dimension_type = t.dimension_type
LEFT JOIN dimension dm ON dm.org_id = t.org_id AND dm.dimension_type = t.dimension_type AND dm.dimension_id = t.dimension_id
GROUP BY t.org_id, t.fiscal_year_start, t.month, t.dimension_type, t.dimension_id, t.statement_line
ORDER BY ALL;
