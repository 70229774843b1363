-- Upserts the staged files in source order. What the source does not know (hash,
-- size, URL, metadata, upload time: null in the staged row) keeps what is stored; yanks and
-- requires-python follow the source. Unchanged rows are not rewritten.
WITH merged AS (
  INSERT INTO files (release_id, filename, kind, tags, sha256, size, url, requires_python, yanked, yanked_reason,
                     metadata_id, metadata_sha256, synthetic, upload_time)
  SELECT release_id, filename, kind, tags, sha256, size, url, requires_python, yanked, yanked_reason,
         metadata_id, metadata_sha256, synthetic, upload_time
  FROM stage_files
  ORDER BY ord
  ON CONFLICT (release_id, filename) DO UPDATE SET
    kind = EXCLUDED.kind, tags = EXCLUDED.tags,
    sha256 = COALESCE(EXCLUDED.sha256, files.sha256), size = COALESCE(EXCLUDED.size, files.size),
    url = COALESCE(EXCLUDED.url, files.url), requires_python = EXCLUDED.requires_python,
    yanked = EXCLUDED.yanked, yanked_reason = EXCLUDED.yanked_reason,
    metadata_id = COALESCE(EXCLUDED.metadata_id, files.metadata_id),
    metadata_sha256 = COALESCE(EXCLUDED.metadata_sha256, files.metadata_sha256),
    synthetic = EXCLUDED.synthetic, upload_time = COALESCE(EXCLUDED.upload_time, files.upload_time)
  WHERE (files.kind, files.tags, files.requires_python, files.yanked, files.yanked_reason, files.synthetic)
        IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.tags, EXCLUDED.requires_python, EXCLUDED.yanked, EXCLUDED.yanked_reason, EXCLUDED.synthetic)
     OR (EXCLUDED.sha256 IS NOT NULL AND files.sha256 IS DISTINCT FROM EXCLUDED.sha256)
     OR (EXCLUDED.size IS NOT NULL AND files.size IS DISTINCT FROM EXCLUDED.size)
     OR (EXCLUDED.url IS NOT NULL AND files.url IS DISTINCT FROM EXCLUDED.url)
     OR (EXCLUDED.metadata_id IS NOT NULL AND files.metadata_id IS DISTINCT FROM EXCLUDED.metadata_id)
     OR (EXCLUDED.metadata_sha256 IS NOT NULL AND files.metadata_sha256 IS DISTINCT FROM EXCLUDED.metadata_sha256)
     OR (EXCLUDED.upload_time IS NOT NULL AND files.upload_time IS DISTINCT FROM EXCLUDED.upload_time)
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM merged;
