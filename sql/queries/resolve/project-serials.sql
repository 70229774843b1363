-- Current serials of some projects ($1 names, $2 index name), to tell whether a cached
-- resolution is still valid; a project absent from the answer is not mirrored.
SELECT p.name, p.serial
FROM projects p
WHERE p.index_id = (SELECT id FROM indexes WHERE name = $2)
  AND p.name = ANY ($1::text[]);
