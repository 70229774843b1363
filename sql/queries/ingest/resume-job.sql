UPDATE mirror_jobs SET state = 'running', error = NULL, finished_at = NULL WHERE id = $1;
