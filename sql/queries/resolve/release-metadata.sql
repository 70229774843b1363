-- The metadata of some releases of one project, for releases the candidate closure did not
-- prefetch: $1 project, $2 versions, $3 the indexes (first first). One row per file that has metadata, with its
-- Requires-Dist texts in order (unparsable ones too: the resolver refuses such a release); the
-- caller picks the file an installer would read.
-- A project of negative serial is only listed, its metadata still being fetched (libs/mirror
-- sync/ensure-project.ts): for the resolver it is not mirrored yet.
SELECT r.version, f.filename, f.kind AS file_kind, f.tags, m.requires_python, m.provides_extras,
       coalesce((
         SELECT array_agg(q.text ORDER BY u.ord)
         FROM unnest(m.requirement_ids) WITH ORDINALITY AS u (id, ord)
         JOIN requirements q ON q.id = u.id
       ), '{}') AS requirements
FROM projects p
JOIN releases r ON r.project_id = p.id
JOIN files f ON f.release_id = r.id
JOIN metadata m ON m.id = f.metadata_id
WHERE p.id = (
    SELECT lp.id
    FROM unnest($3::text[]) WITH ORDINALITY AS i (name, n)
    JOIN indexes x ON x.name = i.name
    JOIN projects lp ON lp.index_id = x.id AND lp.name = $1 AND lp.serial >= 0
    ORDER BY i.n LIMIT 1
  )
  AND r.version = ANY ($2::text[]);
