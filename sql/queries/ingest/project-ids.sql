-- Ids of projects of index $1 by normalized name ($2).
SELECT id, name FROM projects WHERE index_id = $1 AND name = ANY ($2::text[]);
