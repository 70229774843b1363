UPDATE mirror_runs SET state = 'running', error = NULL, finished_at = NULL WHERE id = $1;
