-- The last 20 runs of each organization (sync_run: no mart keeps the run history; the
-- data-quality mart keeps only the last run).
SELECT run_id, org_id, source, trigger, status,
       strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started,
       strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished,
       date_diff('second', started_at, finished_at) AS duration_seconds,
       source_file,
       left(error, 300) AS error
FROM sync_run
QUALIFY row_number() OVER (PARTITION BY org_id ORDER BY started_at DESC, run_id DESC) <= 20
ORDER BY org_id, started_at DESC, run_id DESC
