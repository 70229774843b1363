-- Every index, with the one it is layered in front of and its count of projects.
SELECT i.id, i.name, i.kind, u.name AS upstream, i.created_at,
       (SELECT count(*) FROM projects p WHERE p.index_id = i.id) AS projects
FROM indexes i
LEFT JOIN indexes u ON u.id = i.upstream_id
WHERE $1::text IS NULL OR i.name = $1
ORDER BY i.id;
