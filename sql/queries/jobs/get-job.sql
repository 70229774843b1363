SELECT id, kind, state, params, progress, error, created_at, started_at, finished_at
FROM mirror_jobs WHERE id = $1;
