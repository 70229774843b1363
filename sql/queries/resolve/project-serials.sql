-- Current serials of some projects ($1 names, $2 the indexes, first first), to tell whether a cached
-- resolution is still valid; a project absent from the answer is not mirrored.
SELECT p.name, p.serial
FROM projects p
WHERE p.id IN (SELECT venvfarm_project($2::text[], name) FROM unnest($1::text[]) AS name);
