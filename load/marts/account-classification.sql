-- Every account the warehouse knows of (chart, postings, balances, budgets), each on one
-- statement line. Precedence: the SAF-T grouping code (Norway), then the NS 4102 standard
-- account the company mapped it to (Norway), then the account's own number; within each,
-- the narrowest matching range. Accounts no rule covers land on `unmapped`, on the income
-- statement when the source calls them income or expense, else on the balance sheet.
CREATE OR REPLACE TABLE mart_account_classification AS
WITH universe AS (
  SELECT org_id, account_id FROM account
  UNION SELECT DISTINCT org_id, account_id FROM tmp_mart_line_day
  UNION SELECT org_id, account_id FROM opening_balance
  UNION SELECT org_id, account_id FROM account_balance
  UNION SELECT org_id, account_id FROM budget
), accounts AS (
  SELECT u.org_id, u.account_id, a.name AS account_name, a.account_type AS source_account_type,
         a.grouping_category, a.grouping_code, o.country,
         regexp_extract(u.account_id, '^[0-9]+') AS account_digits,
         CASE WHEN o.country = 'NO' THEN regexp_extract(coalesce(a.standard_account_id, ''), '^[0-9]+') ELSE '' END AS standard_digits
  FROM universe u
  LEFT JOIN account a ON a.org_id = u.org_id AND a.account_id = u.account_id
  LEFT JOIN organization o ON o.org_id = u.org_id
), ranges AS (
  SELECT *, length(from_code)::INTEGER AS width, from_code::BIGINT AS from_number, to_code::BIGINT AS to_number
  FROM mart_account_mapping_rule WHERE rule_kind = 'account_range'
), candidates AS (
  SELECT a.org_id, a.account_id, 1 AS precedence, r.span, r.source_file, r.source_line,
         r.statement_line, r.account_type, r.kpi_group, r.description
  FROM accounts a JOIN mart_account_mapping_rule r
    ON r.rule_kind = 'saft_grouping' AND r.country = a.country AND r.grouping_category = a.grouping_category
   AND (r.from_code IS NULL
        OR (length(a.grouping_code) = length(r.from_code) AND a.grouping_code BETWEEN r.from_code AND r.to_code))
  UNION ALL
  -- A number shorter than the range's width is read with trailing zeros (15 → 1500),
  -- a longer one by its leading digits (150010 → 1500).
  SELECT a.org_id, a.account_id, 2, r.span, r.source_file, r.source_line,
         r.statement_line, r.account_type, r.kpi_group, r.description
  FROM accounts a JOIN ranges r
    ON r.country = a.country AND a.standard_digits <> ''
   AND rpad(left(a.standard_digits, r.width), r.width, '0')::BIGINT BETWEEN r.from_number AND r.to_number
  UNION ALL
  SELECT a.org_id, a.account_id, 3, r.span, r.source_file, r.source_line,
         r.statement_line, r.account_type, r.kpi_group, r.description
  FROM accounts a JOIN ranges r
    ON r.country = a.country AND a.account_digits <> ''
   AND rpad(left(a.account_digits, r.width), r.width, '0')::BIGINT BETWEEN r.from_number AND r.to_number
), best AS (
  SELECT * FROM candidates
  QUALIFY row_number() OVER (PARTITION BY org_id, account_id ORDER BY precedence, span, source_file, source_line) = 1
)
SELECT a.org_id, a.account_id, a.account_name, a.country, a.source_account_type,
       coalesce(l.statement, CASE WHEN a.source_account_type IN ('income', 'expense') THEN 'income_statement' ELSE 'balance_sheet' END) AS statement,
       coalesce(b.statement_line, 'unmapped') AS statement_line,
       coalesce(b.account_type, a.source_account_type) AS account_type,
       b.kpi_group,
       CASE b.precedence WHEN 1 THEN 'saft_grouping' WHEN 2 THEN 'standard_account' WHEN 3 THEN 'account_number' END AS mapped_by,
       b.source_file AS mapping_file,
       b.source_line AS mapping_line,
       b.description AS mapping_description
FROM accounts a
LEFT JOIN best b ON b.org_id = a.org_id AND b.account_id = a.account_id
LEFT JOIN mart_statement_line l ON l.statement_line = b.statement_line AND l.mappable
ORDER BY a.org_id, a.account_id;
