-- The files a target may install of some pinned releases: $1 project names and $2 versions
-- (pairs, in step), $3 the indexes (first first), $4 the target's tags, $5 cut-off upload time or null. Compatible
-- wheels and sdists; the caller orders them best first.
WITH target_tags AS MATERIALIZED (
  SELECT unnest($4::text[]) AS tag
)
SELECT pin.project, pin.version, f.filename, f.kind AS file_kind, f.tags, encode(f.sha256, 'hex') AS sha256, f.url, f.yanked AS file_yanked
FROM unnest($1::text[], $2::text[]) AS pin (project, version)
JOIN projects p ON p.id = venvfarm_project($3::text[], pin.project)
JOIN releases r ON r.project_id = p.id AND r.version = pin.version
JOIN files f ON f.release_id = r.id
WHERE (f.kind = 'sdist' OR (f.kind = 'wheel' AND EXISTS (SELECT 1 FROM unnest(f.tags) AS t (tag) WHERE (t.tag IN (SELECT tag FROM target_tags)) IS TRUE)))
  AND ($5::timestamptz IS NULL OR coalesce(f.upload_time, r.upload_time) <= $5::timestamptz);
