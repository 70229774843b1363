-- The mirror's serial, sizes and last sync, for one index.
SELECT i.serial, i.last_sync,
       (SELECT count(*) FROM projects p WHERE p.index_id = i.id) AS projects,
       (SELECT count(*) FROM releases r JOIN projects p ON p.id = r.project_id WHERE p.index_id = i.id) AS releases,
       (SELECT count(*) FROM files f JOIN releases r ON r.id = f.release_id JOIN projects p ON p.id = r.project_id WHERE p.index_id = i.id) AS files
FROM indexes i
WHERE i.name = $1;
