UPDATE mirror_jobs SET progress = $2::jsonb WHERE id = $1;
