-- Every release of some projects with the files a target may install, for the resolver's
-- candidate lists: $1 project names, $2 index name, $3 the target's tags (a wheel counts when it
-- shares one), $4 cut-off upload time or null (files uploaded later do not exist for this
-- request; a release left without any file is left out). One row per kept file; a release with
-- no compatible file has one row with null file columns (it is listed, and the resolver words
-- why it cannot be used); a project with no release has one row with a null version.
WITH target_index AS (
  SELECT id FROM indexes WHERE name = $2
)
SELECT p.name AS project, p.serial AS project_serial, r.version, r.yanked, r.yanked_reason, r.requires_python,
       f.filename, f.kind AS file_kind, encode(f.sha256, 'hex') AS sha256, f.url, f.yanked AS file_yanked
FROM projects p
LEFT JOIN releases r
  ON r.project_id = p.id
  AND NOT r.invalid
  AND ($4::timestamptz IS NULL OR EXISTS (
    SELECT 1 FROM files a WHERE a.release_id = r.id AND coalesce(a.upload_time, r.upload_time) <= $4::timestamptz
  ))
LEFT JOIN LATERAL (
  SELECT f.filename, f.kind, f.sha256, f.url, f.yanked
  FROM files f
  WHERE f.release_id = r.id
    AND (f.kind = 'sdist' OR (f.kind = 'wheel' AND f.tags && $3::text[]))
    AND ($4::timestamptz IS NULL OR coalesce(f.upload_time, r.upload_time) <= $4::timestamptz)
) f ON true
WHERE p.index_id = (SELECT id FROM target_index)
  AND p.name = ANY ($1::text[]);
