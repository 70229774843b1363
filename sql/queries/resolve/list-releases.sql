-- Every release of some projects, for the resolver's candidate lists: $1 project names, $2 the
-- indexes, first first (a name is the project of the first index that has it), $3 the target's tags (a wheel counts when it shares one), $4 cut-off upload time or null
-- (files uploaded later do not exist for this request; a release left without any file is left
-- out). One row per release with one of its compatible wheels and whether it has an sdist, which
-- is all a candidate needs: the files of the releases finally pinned come from pinned-files.sql.
-- A release with no compatible file has null wheel and sdist (it is listed, and the resolver
-- words why it cannot be used); a project with no release has one row with a null version.
-- A project of negative serial is only listed, its metadata still being fetched (libs/mirror
-- sync/ensure-project.ts): for the resolver it is not mirrored yet.
WITH layers AS MATERIALIZED (
  SELECT x.id, i.n FROM unnest($2::text[]) WITH ORDINALITY AS i (name, n) JOIN indexes x ON x.name = i.name
),
target_projects AS MATERIALIZED (
  SELECT (SELECT p.id FROM layers l JOIN projects p ON p.index_id = l.id AND p.name = wanted.name AND p.serial >= 0 ORDER BY l.n LIMIT 1) AS id
  FROM unnest($1::text[]) AS wanted (name)
),
-- As in the candidate closure: one hash table of tags, tested against a wheel's first two tags
-- as plain expressions (most wheels have no more) before unnesting the rest.
target_tags AS MATERIALIZED (
  SELECT unnest($3::text[]) AS tag
)
SELECT p.name AS project, p.serial AS project_serial, r.version, r.yanked, r.yanked_reason, r.requires_python,
       f.wheel, f.sdist
FROM projects p
LEFT JOIN releases r
  ON r.project_id = p.id
  AND NOT r.invalid
  AND ($4::timestamptz IS NULL OR EXISTS (
    SELECT 1 FROM files a WHERE a.release_id = r.id AND coalesce(a.upload_time, r.upload_time) <= $4::timestamptz
  ))
LEFT JOIN LATERAL (
  SELECT min(f.filename) FILTER (WHERE f.kind = 'wheel') AS wheel, bool_or(f.kind = 'sdist') AS sdist
  FROM files f
  WHERE f.release_id = r.id
    AND (f.kind = 'sdist'
         OR (f.kind = 'wheel'
             AND (f.tags[1] IN (SELECT tag FROM target_tags)
                  OR f.tags[2] IN (SELECT tag FROM target_tags)
                  OR (cardinality(f.tags) > 2
                      AND EXISTS (SELECT 1 FROM unnest(f.tags[3:]) AS t (tag) WHERE (t.tag IN (SELECT tag FROM target_tags)) IS TRUE)))))
    AND ($4::timestamptz IS NULL OR coalesce(f.upload_time, r.upload_time) <= $4::timestamptz)
) f ON r.id IS NOT NULL
WHERE p.id IN (SELECT id FROM target_projects);
