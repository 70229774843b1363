-- Queues a mirror job unless an identical one is already queued or running (then returns that one).
WITH existing AS (
  SELECT id, kind, state, params, progress, error, created_at, started_at, finished_at
  FROM mirror_jobs
  WHERE kind = $1 AND params = $2::jsonb AND state IN ('queued', 'running')
  ORDER BY id
  LIMIT 1
), inserted AS (
  INSERT INTO mirror_jobs (kind, params)
  SELECT $1, $2::jsonb
  WHERE NOT EXISTS (SELECT 1 FROM existing)
  RETURNING id, kind, state, params, progress, error, created_at, started_at, finished_at
)
SELECT * FROM inserted
UNION ALL
SELECT * FROM existing;
