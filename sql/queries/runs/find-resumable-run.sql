-- The latest unfinished run of a kind with exactly these params ($1 kind, $2 params): one that
-- was killed (still 'running' though nobody holds its lock) or failed. Its progress says which
-- chunks committed.
SELECT id, progress FROM mirror_runs
WHERE kind = $1 AND params = $2::jsonb AND state IN ('running', 'failed')
ORDER BY id DESC
LIMIT 1;
