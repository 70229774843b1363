-- A run's progress; written in the transaction of the rows it counts.
UPDATE mirror_runs SET progress = $2::jsonb WHERE id = $1;
