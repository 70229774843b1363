-- Current serials of some projects ($1 names, $2 the indexes, first first), to tell whether a cached
-- resolution is still valid; a project absent from the answer is not mirrored.
-- A project of negative serial is only listed, its metadata still being fetched (libs/mirror
-- sync/ensure-project.ts): for the resolver it is not mirrored yet.
SELECT p.name, p.serial
FROM projects p
WHERE p.id IN (
  SELECT (
    SELECT lp.id
    FROM unnest($2::text[]) WITH ORDINALITY AS i (name, n)
    JOIN indexes x ON x.name = i.name
    JOIN projects lp ON lp.index_id = x.id AND lp.name = wanted.name AND lp.serial >= 0
    ORDER BY i.n LIMIT 1
  )
  FROM unnest($1::text[]) AS wanted (name)
);
