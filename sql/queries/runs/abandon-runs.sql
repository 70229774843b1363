-- Runs of a kind ($1) on an index ($3) left 'running' by a process that died (the caller holds
-- that index's lock for the kind, so none of them is really running), other than the one being
-- resumed ($2).
UPDATE mirror_runs SET state = 'failed', error = 'interrupted', finished_at = now()
WHERE kind = $1 AND params ->> 'index' = $3 AND state = 'running' AND id IS DISTINCT FROM $2::bigint;
