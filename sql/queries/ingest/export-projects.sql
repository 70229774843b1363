-- Every project of index $1, for an export.
SELECT id, name, serial FROM projects WHERE index_id = $1;
