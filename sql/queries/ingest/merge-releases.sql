-- Upserts the staged releases in source order. Yanks, requires-python and serials
-- follow the source (an upstream yank becomes a mirror yank); an upload time the source does
-- not know keeps the one stored. Unchanged rows are not rewritten.
WITH merged AS (
  INSERT INTO releases (project_id, version, key, invalid, yanked, yanked_reason, requires_python, upload_time, serial)
  SELECT project_id, version, key, invalid, yanked, yanked_reason, requires_python, upload_time, serial
  FROM stage_releases
  ORDER BY ord
  ON CONFLICT (project_id, version) DO UPDATE SET
    key = EXCLUDED.key, invalid = EXCLUDED.invalid, yanked = EXCLUDED.yanked, yanked_reason = EXCLUDED.yanked_reason,
    requires_python = EXCLUDED.requires_python, upload_time = COALESCE(EXCLUDED.upload_time, releases.upload_time),
    serial = EXCLUDED.serial
  WHERE (releases.key, releases.invalid, releases.yanked, releases.yanked_reason, releases.requires_python, releases.serial)
        IS DISTINCT FROM (EXCLUDED.key, EXCLUDED.invalid, EXCLUDED.yanked, EXCLUDED.yanked_reason, EXCLUDED.requires_python, EXCLUDED.serial)
     OR (EXCLUDED.upload_time IS NOT NULL AND releases.upload_time IS DISTINCT FROM EXCLUDED.upload_time)
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM merged;
