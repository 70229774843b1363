-- An upload token of index $1 (only its sha256 $2 is kept).
INSERT INTO index_tokens (index_id, digest, description)
SELECT id, $2, $3 FROM indexes WHERE name = $1 AND kind = 'private'
RETURNING id, created_at;
