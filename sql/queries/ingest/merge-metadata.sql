-- Stores metadata not stored yet; one row per digest, shared by every file that declares it.
INSERT INTO metadata (digest, requires_python, provides_extras, requirement_ids)
SELECT DISTINCT ON (digest) digest, requires_python, provides_extras, requirement_ids
FROM stage_metadata
ORDER BY digest
ON CONFLICT (digest) DO NOTHING;
