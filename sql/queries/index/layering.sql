-- The indexes a name is looked up in, first first: the index $1, then the one it is layered in
-- front of, and so on.
WITH RECURSIVE chain (id, name, upstream_id, depth) AS (
  SELECT id, name, upstream_id, 1 FROM indexes WHERE name = $1
  UNION ALL
  SELECT i.id, i.name, i.upstream_id, c.depth + 1 FROM indexes i JOIN chain c ON i.id = c.upstream_id WHERE c.depth < 8
)
SELECT name FROM chain ORDER BY depth;
