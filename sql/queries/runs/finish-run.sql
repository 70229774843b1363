-- Ends a run: $2 = 'done' | 'failed', $3 = error text or null.
UPDATE mirror_runs SET state = $2, error = $3, finished_at = now() WHERE id = $1;
