-- A private index, layered in front of the index named $2 (or none when $2 is null); nothing when
-- the name is taken.
INSERT INTO indexes (name, kind, upstream_id)
VALUES ($1, 'private', (SELECT id FROM indexes WHERE name = $2))
ON CONFLICT (name) DO NOTHING
RETURNING id, name, kind, created_at;
