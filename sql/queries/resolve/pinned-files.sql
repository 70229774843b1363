-- The files a target may install of some pinned releases: $1 project names and $2 versions
-- (pairs, in step), $3 the indexes (first first), $4 the target's tags, $5 cut-off upload time or null. Compatible
-- wheels and sdists; the caller orders them best first.
-- A project of negative serial is only listed, its metadata still being fetched (libs/mirror
-- sync/ensure-project.ts): for the resolver it is not mirrored yet.
WITH layers AS MATERIALIZED (
  SELECT x.id, i.n FROM unnest($3::text[]) WITH ORDINALITY AS i (name, n) JOIN indexes x ON x.name = i.name
),
target_tags AS MATERIALIZED (
  SELECT unnest($4::text[]) AS tag
)
SELECT pin.project, pin.version, f.filename, f.kind AS file_kind, f.tags, encode(f.sha256, 'hex') AS sha256, f.url, f.yanked AS file_yanked
FROM unnest($1::text[], $2::text[]) AS pin (project, version)
JOIN projects p ON p.id = (SELECT lp.id FROM layers l JOIN projects lp ON lp.index_id = l.id AND lp.name = pin.project AND lp.serial >= 0 ORDER BY l.n LIMIT 1)
JOIN releases r ON r.project_id = p.id AND r.version = pin.version
JOIN files f ON f.release_id = r.id
WHERE (f.kind = 'sdist' OR (f.kind = 'wheel' AND EXISTS (SELECT 1 FROM unnest(f.tags) AS t (tag) WHERE (t.tag IN (SELECT tag FROM target_tags)) IS TRUE)))
  AND ($5::timestamptz IS NULL OR coalesce(f.upload_time, r.upload_time) <= $5::timestamptz);
