-- Takes the oldest queued job of a kind for this worker; SKIP LOCKED lets several workers share the table.
UPDATE mirror_jobs
SET state = 'running', started_at = now()
WHERE id = (
  SELECT id FROM mirror_jobs
  WHERE state = 'queued' AND kind = $1
  ORDER BY id
  FOR UPDATE SKIP LOCKED
  LIMIT 1
)
RETURNING id, kind, state, params, progress, error, created_at, started_at, finished_at;
