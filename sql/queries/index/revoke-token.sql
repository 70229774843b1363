-- Revokes token $2 of index $1; answers the row when it was live.
UPDATE index_tokens t SET revoked_at = now()
FROM indexes i
WHERE i.id = t.index_id AND i.name = $1 AND t.id = $2 AND t.revoked_at IS NULL
RETURNING t.id;
