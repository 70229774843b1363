-- The index a token (by its sha256) uploads to, and whether it was revoked.
SELECT i.name AS index_name, t.revoked_at IS NOT NULL AS revoked
FROM index_tokens t
JOIN indexes i ON i.id = t.index_id
WHERE t.digest = $1;
