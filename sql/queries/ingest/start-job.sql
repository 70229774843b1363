-- A job run directly by this process (not queued for a runner).
INSERT INTO mirror_jobs (kind, state, params, started_at)
VALUES ($1, 'running', $2::jsonb, now())
RETURNING id;
