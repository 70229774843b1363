-- One project's committed serial, or no row when the mirror has never seen it; $1 = index id, $2 = name.
SELECT serial FROM projects WHERE index_id = $1 AND name = $2;
