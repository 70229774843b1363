-- The id of an index by name.
SELECT id FROM indexes WHERE name = $1;
