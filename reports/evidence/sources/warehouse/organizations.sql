-- Organizations that have marts, for the organization input. The currency comes from the
-- unified organization table: no mart carries it.
SELECT q.org_id,
       coalesce(q.org_name, q.org_id) AS org_name,
       coalesce(q.org_name, q.org_id) || ' (' || q.org_id || ')' AS org_label,
       q.country,
       coalesce(o.base_currency, '') AS currency
FROM mart_data_quality q
LEFT JOIN organization o ON o.org_id = q.org_id
WHERE EXISTS (SELECT 1 FROM mart_kpi k WHERE k.org_id = q.org_id)
ORDER BY org_name, q.org_id
