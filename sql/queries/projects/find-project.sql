-- A project of an index by normalized name.
SELECT p.id, p.name, p.serial, p.synced_at
FROM projects p
JOIN indexes i ON i.id = p.index_id
WHERE i.name = $1 AND p.name = $2;
