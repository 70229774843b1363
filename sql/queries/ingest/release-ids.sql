-- Ids of every release of some projects ($1), to stage their files with.
SELECT id, project_id, version FROM releases WHERE project_id = ANY ($1::int[]);
