-- Every project of an index with the serial its committed rows reflect; $1 = index id.
SELECT name, serial FROM projects WHERE index_id = $1;
