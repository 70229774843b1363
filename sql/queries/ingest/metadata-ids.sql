-- Ids of the staged metadata digests (new or already stored).
SELECT m.id, encode(m.digest, 'hex') AS digest
FROM stage_metadata s
JOIN metadata m ON m.digest = s.digest;
