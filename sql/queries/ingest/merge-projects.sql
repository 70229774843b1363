-- Upserts the staged projects of index $1; an unchanged row is not rewritten (no new tuple).
-- Answers how many rows were inserted and how many updated.
WITH merged AS (
  INSERT INTO projects (index_id, name, serial)
  SELECT $1, name, serial FROM stage_projects ORDER BY ord
  ON CONFLICT (index_id, name) DO UPDATE SET serial = EXCLUDED.serial
  WHERE projects.serial IS DISTINCT FROM EXCLUDED.serial
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM merged;
