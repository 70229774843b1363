-- Core metadata the mirror already holds for a project's files, keyed by the PEP 658 hash it
-- came from, so a sync fetches only the `.metadata` files it has not read yet.
-- $1 = index id, $2 = project name.
SELECT f.filename,
       encode(f.metadata_sha256, 'hex') AS metadata_sha256,
       m.requires_python,
       m.provides_extras,
       ARRAY(
         SELECT r.text
         FROM unnest(m.requirement_ids) WITH ORDINALITY AS u(id, ord)
         JOIN requirements r ON r.id = u.id
         ORDER BY u.ord
       ) AS requires_dist
FROM projects p
JOIN releases rel ON rel.project_id = p.id
JOIN files f ON f.release_id = rel.id
JOIN metadata m ON m.id = f.metadata_id
WHERE p.index_id = $1 AND p.name = $2 AND f.metadata_sha256 IS NOT NULL;
