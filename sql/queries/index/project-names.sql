-- Every project of an index with its serial, for the root page of the simple API, by name.
SELECT p.name, greatest(p.serial, 0) AS serial
FROM indexes i
JOIN projects p ON p.index_id = i.id
WHERE i.name = $1
ORDER BY p.name;
