-- Import warnings and errors counted per organization, severity and code.
SELECT org_id, severity, code, issue_count, run_count,
       strftime(last_seen_at, '%Y-%m-%d %H:%M') AS last_seen
FROM mart_data_quality_import_issue
ORDER BY org_id, CASE severity WHEN 'error' THEN 0 ELSE 1 END, issue_count DESC, code
