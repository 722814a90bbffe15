-- Every account of every organization with where the mapping put it, for the account pages
-- (one templated page per account number; the organization is an input there).
SELECT c.org_id,
       c.account_id,
       coalesce(c.account_name, c.account_id) AS account_name,
       c.account_id || ' ' || coalesce(c.account_name, '') AS account_label,
       c.statement, c.statement_line, l.label AS statement_line_label,
       c.account_type, c.kpi_group, c.mapped_by, c.mapping_file, c.mapping_line,
       '/accounts/' || url_encode(c.account_id) AS account_link
FROM mart_account_classification c
LEFT JOIN mart_statement_line l ON l.statement = c.statement AND l.statement_line = c.statement_line
ORDER BY c.org_id, c.account_id
