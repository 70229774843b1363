-- A sync run by the CLI (not claimed from the queue) is recorded as running from the start; $1 = params.
INSERT INTO mirror_jobs (kind, state, params, started_at)
VALUES ('sync', 'running', $1::jsonb, now())
RETURNING id;
