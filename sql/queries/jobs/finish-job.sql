-- Ends a job: $2 = 'done' | 'failed', $3 = error text or null.
UPDATE mirror_jobs SET state = $2, error = $3, finished_at = now() WHERE id = $1;
